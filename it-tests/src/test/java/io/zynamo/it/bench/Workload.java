package io.zynamo.it.bench;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A keyed operation timed one execution at a time, on a prepared statement over the benchmark
 * table. Each checks its answer, so a contender that is fast but wrong fails the run.
 */
enum Workload implements Operation {
  POINT_SELECT("point select by primary key", "SELECT id, v FROM bench_kv WHERE id = ?") {
    @Override
    void execute(PreparedStatement statement, long key) throws SQLException {
      statement.setLong(1, key);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()
            || rows.getLong(1) != key
            || !BenchTable.value(key).equals(rows.getString(2))) {
          throw new IllegalStateException(
              "point select id = "
                  + key
                  + ": wrong or missing row (expected ("
                  + key
                  + ", '"
                  + BenchTable.value(key)
                  + "'))");
        }
        if (rows.next()) {
          throw new IllegalStateException("point select id = " + key + ": more than one row");
        }
      }
    }
  },

  POINT_UPDATE("point update by primary key", "UPDATE bench_kv SET n = n + 1 WHERE id = ?") {
    @Override
    void execute(PreparedStatement statement, long key) throws SQLException {
      statement.setLong(1, key);
      int count = statement.executeUpdate();
      if (count != 1) {
        throw new IllegalStateException(
            "point update id = " + key + ": " + count + " rows updated (expected 1)");
      }
    }
  };

  private final String title;
  private final String sql;

  Workload(String title, String sql) {
    this.title = title;
    this.sql = sql;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String sql() {
    return sql;
  }

  /**
   * Runs the statement once for {@code key} and checks the answer.
   *
   * @throws IllegalStateException if the answer is wrong
   */
  abstract void execute(PreparedStatement statement, long key) throws SQLException;
}
