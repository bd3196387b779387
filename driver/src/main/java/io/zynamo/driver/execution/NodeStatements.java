package io.zynamo.driver.execution;

import io.zynamo.driver.execution.StatementExecutor.TypedNull;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.result.VisibleColumnsResultSet;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Runs the user's own SQL text on one node connection and turns what it gives into an Outcome. */
final class NodeStatements {

  /** Rows per round trip when a result streams from a node inside a transaction. */
  static final int FETCH_SIZE = 1000;

  private NodeStatements() {}

  /** A step run right after the statement executed, before its outcome is read. */
  @FunctionalInterface
  interface AfterExecute {
    AfterExecute NONE = () -> {};

    void run() throws SQLException;
  }

  /**
   * Runs {@code sql} with {@code parameters} on {@code node}. A query's rows stream from the node:
   * the returned result set owns the node statement and {@code release} (which returns the
   * connection), closing them when it is closed; otherwise they are closed before returning.
   */
  static Outcome run(
      Connection node,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys,
      AutoCloseable release)
      throws SQLException {
    return run(node, sql, parameters, generatedKeys, AfterExecute.NONE, release);
  }

  /**
   * As {@link #run(Connection, String, List, boolean, AutoCloseable)}, with {@code after} run once
   * the statement executed (a write's image capture and commit). pgjdbc has then read a
   * non-streaming result (RETURNING rows) whole, so the rows survive the commit.
   */
  static Outcome run(
      Connection node,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys,
      AfterExecute after,
      AutoCloseable release)
      throws SQLException {
    // Without values the text is plain PostgreSQL ("?" is an operator), as for pgjdbc's Statement.
    boolean plain = parameters.isEmpty();
    Statement statement =
        plain
            ? node.createStatement()
            : generatedKeys
                ? node.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                : node.prepareStatement(sql);
    if (after == AfterExecute.NONE && !node.getAutoCommit()) {
      // Inside a transaction that nothing commits before the rows are read, pgjdbc reads them
      // through a cursor in batches of the fetch size: a large answer (a cluster-wide query's
      // merge) streams instead of filling memory. A write's RETURNING rows must survive its
      // commit, so they are still read whole.
      statement.setFetchSize(FETCH_SIZE);
    }
    boolean handedOver = false;
    try {
      boolean rows;
      if (!plain) {
        bind((PreparedStatement) statement, parameters);
      }
      rows =
          StatementCancel.executing(
              statement::cancel,
              () -> {
                if (!plain) {
                  return ((PreparedStatement) statement).execute();
                }
                return generatedKeys
                    ? statement.execute(sql, Statement.RETURN_GENERATED_KEYS)
                    : statement.execute(sql);
              });
      after.run();
      if (rows) {
        handedOver = true;
        return new Outcome.Rows(
            new VisibleColumnsResultSet(
                statement.getResultSet(), null, () -> close(statement, release)));
      }
      long count = statement.getLargeUpdateCount();
      if (generatedKeys) {
        handedOver = true;
        return new Outcome.Count(
            count,
            new VisibleColumnsResultSet(
                statement.getGeneratedKeys(), null, () -> close(statement, release)));
      }
      return new Outcome.Count(count, null);
    } finally {
      if (!handedOver) {
        close(statement, release);
      }
    }
  }

  static void bind(PreparedStatement statement, List<@Nullable Object> parameters)
      throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      Object value = parameters.get(i);
      if (value instanceof TypedNull typed) {
        statement.setNull(i + 1, typed.sqlType());
      } else {
        statement.setObject(i + 1, value);
      }
    }
  }

  /** Closes the statement, then returns the connection. */
  private static void close(Statement statement, AutoCloseable release) throws SQLException {
    CloseAll.close(statement, release);
  }
}
