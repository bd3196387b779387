package io.zynamo.driver.jdbc;

import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A StatementExecutor that records every call and answers with canned outcomes, in order; with none
 * queued, a statement counts 1 row.
 */
final class FakeExecutor implements StatementExecutor {

  /** One recorded {@code execute} call. */
  record Call(String sql, List<@Nullable Object> parameters, boolean generatedKeys) {}

  final List<Call> calls = new ArrayList<>();
  private final Deque<Object> answers = new ArrayDeque<>();
  @Nullable DatabaseMetaData metaData;
  boolean valid = true;
  int closeCount;

  /** Follows BEGIN, COMMIT and ROLLBACK as given (a failed transaction is set by the test). */
  TransactionState state = TransactionState.IDLE;

  @Override
  public TransactionState transactionState() {
    return state;
  }

  /** Queues the next answer: an Outcome to return or an SQLException to throw. */
  FakeExecutor then(Object outcomeOrFailure) {
    answers.add(outcomeOrFailure);
    return this;
  }

  Call lastCall() {
    return calls.get(calls.size() - 1);
  }

  @Override
  public Outcome execute(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    calls.add(new Call(sql, parameters, generatedKeys));
    if (sql.startsWith("BEGIN")) {
      state = TransactionState.ACTIVE;
    } else if (sql.equals("COMMIT") || sql.equals("ROLLBACK")) {
      state = TransactionState.IDLE;
    }
    Object answer = answers.isEmpty() ? new Outcome.Count(1, null) : answers.poll();
    if (answer instanceof SQLException e) {
      throw e;
    }
    return (Outcome) answer;
  }

  @Override
  public DatabaseMetaData metaData() throws SQLException {
    if (metaData == null) {
      throw new SQLException("no metadata in this test", "XX000");
    }
    return metaData;
  }

  @Override
  public boolean isValid(int timeoutSeconds) {
    return valid;
  }

  @Override
  public void close() {
    closeCount++;
  }
}
