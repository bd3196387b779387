package io.zynamo.it;

import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Plays the driver's part of ADR 0001 on one node: opens a transaction with the routing settings
 * ({@code zynamo.bucket}, {@code zynamo.hlc}, {@code zynamo.node}), runs the caller's statements,
 * drains the captured images and commits.
 */
final class Coordinator {

  private final PostgresNode node;
  private final String nodeId;
  private final NodeSchema schema;

  Coordinator(PostgresNode node, String nodeId, NodeSchema schema) {
    this.node = node;
    this.nodeId = nodeId;
    this.schema = schema;
  }

  /** Runs the statements as one write routed to {@code bucket}; returns the drained images. */
  List<ChangeRecord> write(int bucket, long hlc, String... statements) throws SQLException {
    try (Transaction transaction = begin(bucket, hlc)) {
      for (String sql : statements) {
        transaction.execute(sql);
      }
      return transaction.commit();
    }
  }

  /** Opens a write routed to {@code bucket}, or to no bucket (a reference table) if negative. */
  Transaction begin(int bucket, long hlc) throws SQLException {
    Connection connection = NodeSql.connect(node);
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement settings =
          connection.prepareStatement(
              "SELECT set_config('zynamo.bucket', ?, true), set_config('zynamo.hlc', ?, true),"
                  + " set_config('zynamo.node', ?, true)")) {
        settings.setString(1, bucket < 0 ? "" : Integer.toString(bucket));
        settings.setString(2, Long.toString(hlc));
        settings.setString(3, nodeId);
        settings.execute();
      }
      return new Transaction(connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** One open routed write; closing it without {@link #commit()} rolls it back. */
  final class Transaction implements AutoCloseable {

    private final Connection connection;

    private Transaction(Connection connection) {
      this.connection = connection;
    }

    void execute(String sql) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }

    /** The first column of what the statement returns (e.g. {@code RETURNING}). */
    List<String> query(String sql) throws SQLException {
      return NodeSql.strings(connection, sql);
    }

    List<ChangeRecord> commit() throws SQLException {
      List<ChangeRecord> records = schema.drainChanges(connection);
      connection.commit();
      return records;
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }
}
