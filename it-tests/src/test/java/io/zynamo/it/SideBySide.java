package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A differential test's two sides: one plain PostgreSQL and a Zynamo connection, given the same SQL
 * and expected to answer alike.
 */
record SideBySide(Connection plain, Connection zynamo) {

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
