package io.zynamo.it.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** The table every contender reads and writes: the same schema and rows (ids 1..rows) on each. */
final class BenchTable {

  private static final int BATCH = 500;

  private BenchTable() {}

  /** The text column of row {@code id}, which reads check. */
  static String value(long id) {
    return "value-" + id;
  }

  /** Creates the table through {@code connection} (so Zynamo shards it by id) and loads it. */
  static void createAndLoad(Connection connection, int rows) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE bench_kv (id bigint PRIMARY KEY, v text NOT NULL, n bigint NOT NULL)");
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO bench_kv (id, v, n) VALUES (?, ?, 0)")) {
      for (long id = 1; id <= rows; id++) {
        insert.setLong(1, id);
        insert.setString(2, value(id));
        insert.addBatch();
        if (id % BATCH == 0 || id == rows) {
          insert.executeBatch();
        }
      }
    }
  }
}
