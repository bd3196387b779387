package io.zynamo.it;

import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Plain SQL against one node over pgjdbc, one short connection per call: test plumbing. */
final class NodeSql {

  private NodeSql() {}

  static Connection connect(PostgresNode node) throws SQLException {
    return DriverManager.getConnection(node.jdbcUrl());
  }

  /** A connection to another database of the node. */
  static Connection connect(PostgresNode node, String database) throws SQLException {
    String url = "jdbc:postgresql://" + node.host() + ":" + node.port() + "/" + database;
    return DriverManager.getConnection(url + "?user=" + node.user());
  }

  /** Runs each statement in auto-commit mode. */
  static void execute(PostgresNode node, String... statements) throws SQLException {
    try (Connection connection = connect(node);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** Runs one statement on a connection (through Zynamo or to a node). */
  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The first column of the first row a query returns on a connection, as text. */
  static String string(Connection connection, String sql) throws SQLException {
    List<String> values = strings(connection, sql);
    if (values.isEmpty()) {
      throw new AssertionError("no row: " + sql);
    }
    return values.get(0);
  }

  /** Runs the same statements on every given node. */
  static void executeOnEach(List<PostgresNode> nodes, String... statements) throws SQLException {
    for (PostgresNode node : nodes) {
      execute(node, statements);
    }
  }

  /** The first column of every row, as text. */
  static List<String> strings(PostgresNode node, String sql) throws SQLException {
    try (Connection connection = connect(node)) {
      return strings(connection, sql);
    }
  }

  static List<String> strings(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }

  /** The single value a query returns. */
  static String string(PostgresNode node, String sql) throws SQLException {
    List<String> values = strings(node, sql);
    if (values.size() != 1) {
      throw new AssertionError(sql + ": " + values.size() + " rows (expected: 1)");
    }
    return values.get(0);
  }

  /**
   * Every row of a table, internal columns included, as PostgreSQL's row text ordered by row id:
   * two replicas are identical when their snapshots are equal.
   */
  static List<String> snapshot(PostgresNode node, String table) throws SQLException {
    return strings(node, "SELECT r::text FROM " + table + " r ORDER BY r.zynamo_rowid");
  }

  /** The nodes as {@code host:port} seeds. */
  static List<String> addresses(List<PostgresNode> nodes) {
    return nodes.stream().map(n -> n.host() + ":" + n.port()).toList();
  }

  /** The nodes as the seed list of a {@code jdbc:zynamo://} URL. */
  static String seeds(List<PostgresNode> nodes) {
    return String.join(",", addresses(nodes));
  }

  /** Every row of {@code rs} as its columns' text joined by {@code |}, in the order read. */
  static List<String> rows(ResultSet rs) throws SQLException {
    int columns = rs.getMetaData().getColumnCount();
    List<String> rows = new ArrayList<>();
    while (rs.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= columns; i++) {
        row.append(i > 1 ? "|" : "").append(rs.getString(i));
      }
      rows.add(row.toString());
    }
    return rows;
  }

  /**
   * Waits until the driver instance of {@code zynamo} believes all {@code count} nodes up (its
   * probe runs every probeInterval), within 30 s.
   */
  static void awaitEveryNodeUp(Connection zynamo, int count) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Statement s = zynamo.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM zynamo.nodes WHERE state = 'up'")) {
        rs.next();
        if (rs.getInt(1) == count) {
          return;
        }
      } catch (SQLException e) {
        // a pooled connection to a restarted node fails once (57P01): ask again
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("nodes not up again after 30 s");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /**
   * The one row {@code SELECT zynamo.repair(arguments)} answers through {@code zynamo}, by column
   * label, numbers as longs.
   */
  static Map<String, Object> repair(Connection zynamo, String arguments) throws SQLException {
    try (Statement s = zynamo.createStatement();
        ResultSet rs = s.executeQuery("SELECT zynamo.repair(" + arguments + ")")) {
      if (!rs.next()) {
        throw new AssertionError("zynamo.repair(" + arguments + ") answered no row");
      }
      Map<String, Object> row = new HashMap<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        Object value = rs.getObject(i);
        row.put(
            rs.getMetaData().getColumnLabel(i),
            value instanceof Number n ? (Object) n.longValue() : value);
      }
      if (rs.next()) {
        throw new AssertionError("zynamo.repair(" + arguments + ") answered more than one row");
      }
      return row;
    }
  }
}
