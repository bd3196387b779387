package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zynamo.proxy.embedded.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A differential test's two sides: one plain PostgreSQL and a Zynamo connection, given the same SQL
 * and expected to answer alike.
 */
record SideBySide(Connection plain, Connection zynamo) {

  /**
   * Node 0 as the plain PostgreSQL beside a Zynamo cluster of nodes 1-3 with N = 3, R = 2 and W =
   * 3, so that every node holds every row once a write returns.
   */
  static SideBySide plainAndThreeNodes(PostgresCluster nodes) throws SQLException {
    Connection plain = DriverManager.getConnection(nodes.node(0).jdbcUrl(), "postgres", "");
    Connection zynamo =
        DriverManager.getConnection(
            "jdbc:zynamo://"
                + NodeSql.seeds(nodes.nodes().subList(1, 4))
                + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=3");
    return new SideBySide(plain, zynamo);
  }

  void close() throws SQLException {
    plain.close();
    zynamo.close();
  }

  /** The SQLState {@code sql} fails with on {@code c}; it must fail. */
  static String failure(Connection c, String sql) {
    return assertThrows(
            SQLException.class,
            () -> {
              try (Statement s = c.createStatement()) {
                s.execute(sql);
              }
            })
        .getSQLState();
  }

  /** Runs the same statements on plain PostgreSQL, then through Zynamo, one by one. */
  void both(String... statements) throws SQLException {
    for (Connection c : List.of(plain, zynamo)) {
      try (Statement s = c.createStatement()) {
        for (String sql : statements) {
          s.execute(sql);
        }
      }
    }
  }

  /** The same rows, in the same order, from both sides. */
  void assertSameRows(String sql) throws SQLException {
    assertEquals(rows(plain, sql), rows(zynamo, sql), sql);
  }

  /** A query's rows as {@code a|b|c} lines. */
  static List<String> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return NodeSql.rows(rs);
    }
  }
}
