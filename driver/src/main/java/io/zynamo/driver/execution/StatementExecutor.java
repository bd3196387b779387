package io.zynamo.driver.execution;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The engine as the JDBC layer sees it: one per connection, running one statement at a time. The
 * seam between {@code driver.jdbc} (thin adapters) and routing/execution; JDBC tests fake it.
 */
public interface StatementExecutor extends AutoCloseable {

  /**
   * Runs one SQL statement.
   *
   * @param parameters bound values, index 0 for the first {@code ?}: what {@code setXxx} gave
   *     (Integer, Long, String, BigDecimal, Boolean, byte[], UUID, java.time values, java.sql
   *     Date/Time/Timestamp, pgjdbc objects...) or a {@link TypedNull}
   * @param generatedKeys return the written rows' columns as {@link Outcome.Count#returned()}, as
   *     {@code Statement.RETURN_GENERATED_KEYS} asks (like pgjdbc: all columns of the rows)
   */
  Outcome execute(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException;

  /**
   * Runs a batch of writes by key as one unit, as pgjdbc runs a batch in one implicit transaction:
   * every statement applies or none does, and each gets its own update count. Empty when the batch
   * is not made only of such writes (DDL, a query, RETURNING, a statement over several buckets...):
   * the caller then runs it statement by statement.
   */
  default Optional<long[]> executeBatch(List<BatchStatement> statements) throws SQLException {
    return Optional.empty();
  }

  /** One statement of a batch and its bound values (as for {@link #execute}). */
  record BatchStatement(String sql, List<@Nullable Object> parameters) {
    public BatchStatement {
      java.util.Objects.requireNonNull(sql, "sql");
      parameters = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
    }
  }

  /** Where the session stands: as PostgreSQL's ReadyForQuery reports it ('I', 'T', 'E'). */
  enum TransactionState {
    /** No transaction block: each statement commits on its own. */
    IDLE,
    /** Inside BEGIN ... COMMIT. */
    ACTIVE,
    /** Inside a transaction block that failed: only ROLLBACK helps. */
    FAILED
  }

  /** The session's transaction state (after the last statement). */
  default TransactionState transactionState() {
    return TransactionState.IDLE;
  }

  /**
   * Puts the open transaction block, if any, in the failed state, as PostgreSQL does after any
   * error in it; for an error raised outside the engine (the proxy reading bad COPY data).
   */
  default void failTransaction() {}

  /**
   * Cancels the statement running now, from any other thread, on every node running part of it: it
   * fails with 57014 (inside a transaction block, the transaction fails as after any error). A
   * cancel when no statement runs does nothing, and one that arrives while a statement commits lets
   * it finish, as in PostgreSQL.
   */
  default void cancel() {}

  /**
   * Metadata for tools (tables, columns...): one node's catalog with Zynamo's own schema and
   * internal columns hidden; each user table appears once.
   */
  DatabaseMetaData metaData() throws SQLException;

  /** Whether the cluster answers within the timeout. */
  boolean isValid(int timeoutSeconds) throws SQLException;

  @Override
  void close() throws SQLException;

  /** A null bound with its JDBC type ({@code setNull(i, Types.INTEGER)}). */
  record TypedNull(int sqlType) {}
}
