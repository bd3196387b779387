package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An application written against plain PostgreSQL (HikariCP, DDL, batches, prepared statements,
 * generated keys, keyed reads, updates and deletes) runs unchanged with only its JDBC URL swapped
 * to jdbc:zynamo, and observes exactly the same results.
 */
@ZynamoCluster(nodes = 5)
class ExistingApplicationIT {

  private final PostgresCluster nodes;

  ExistingApplicationIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @Test
  void theSameApplicationSeesTheSameResultsOnZynamo() throws SQLException {
    List<String> expected = runApplication(nodes.node(0).jdbcUrl());
    assertEquals(26, expected.size());
    // A 1-node cluster (N = 1) and a 3-node cluster (N = 3, R = W = 2 by default).
    assertEquals(expected, runApplication(zynamoUrl(nodes.nodes().subList(1, 2))));
    assertEquals(expected, runApplication(zynamoUrl(nodes.nodes().subList(2, 5))));
  }

  private static String zynamoUrl(List<PostgresNode> cluster) {
    return "jdbc:zynamo://" + NodeSql.seeds(cluster) + "/postgres";
  }

  /** The application: it knows nothing of Zynamo. */
  private static List<String> runApplication(String jdbcUrl) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      createSchema(pool);
      List<String> log = new ArrayList<>();
      log.add("batch " + insertOrders(pool));
      log.add("generated " + insertOneReturningKey(pool));
      try (Connection c = pool.getConnection();
          Statement s = c.createStatement()) {
        log.add(
            "multi-row "
                + s.executeUpdate(
                    "INSERT INTO orders (id, customer, total) VALUES (30, 'a', 1), (31, 'b', 2),"
                        + " (32, 'c', 3), (33, 'd', 4)"));
        List<String> found = new ArrayList<>();
        try (ResultSet rs =
            s.executeQuery("SELECT id, customer FROM orders WHERE id IN (30, 31, 32, 33, 34)")) {
          while (rs.next()) {
            found.add(rs.getLong(1) + "=" + rs.getString(2));
          }
        }
        found.sort(null);
        log.add("in-list " + found);
      }
      try (Connection c = pool.getConnection()) {
        update(c, "UPDATE orders SET total = total * 2 WHERE id = ?", 5);
        update(c, "DELETE FROM orders WHERE id = ?", 7);
        log.add("status " + update(c, "UPDATE orders SET status = 'shipped' WHERE id = ?", 3));
      }
      for (long id = 1; id <= 21; id++) {
        log.add(readOrder(pool, id));
      }
      return log;
    }
  }

  private static void createSchema(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL,"
              + " total numeric(10,2) NOT NULL, status text NOT NULL DEFAULT 'new',"
              + " created timestamptz NOT NULL DEFAULT now())");
    }
  }

  private static String insertOrders(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO orders (id, customer, total) VALUES (?, ?, ?)")) {
      for (long id = 1; id <= 20; id++) {
        insert.setLong(1, id);
        insert.setString(2, "customer-" + (id % 4));
        insert.setBigDecimal(3, BigDecimal.valueOf(id * 250, 2));
        insert.addBatch();
      }
      int total = 0;
      for (int count : insert.executeBatch()) {
        total += count;
      }
      return Integer.toString(total);
    }
  }

  private static String insertOneReturningKey(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO orders (id, customer, total) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
      insert.setLong(1, 21);
      insert.setString(2, "walk-in");
      insert.setBigDecimal(3, new BigDecimal("9.99"));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong("id") + " " + keys.getString("status");
      }
    }
  }

  private static int update(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, id);
      return s.executeUpdate();
    }
  }

  private static String readOrder(DataSource pool, long id) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT id, customer, total, status FROM orders WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return id + " missing";
        }
        return rs.getLong(1)
            + " "
            + rs.getString(2)
            + " "
            + rs.getBigDecimal(3)
            + " "
            + rs.getString(4)
            + " "
            + rs.getMetaData().getColumnCount();
      }
    }
  }
}
