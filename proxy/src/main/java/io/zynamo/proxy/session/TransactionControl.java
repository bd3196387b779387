package io.zynamo.proxy.session;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.proxy.wire.BackendMessage.ErrorField;
import io.zynamo.proxy.wire.BackendMessage.NoticeResponse;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answers transaction control in a session that is never inside a transaction (autocommit, until
 * transactions exist), as PostgreSQL answers outside a transaction block: COMMIT and ROLLBACK warn
 * {@code 25P01} and succeed, SAVEPOINT, RELEASE and ROLLBACK TO fail with {@code 25P01}. BEGIN
 * fails with {@code 0A000}. None of them reaches a node: a BEGIN left on a pooled node connection
 * would leave that connection inside a transaction for every later session that borrows it.
 */
final class TransactionControl {

  private TransactionControl() {}

  /**
   * The outcome of a transaction control statement, or null for any other statement.
   *
   * @throws SQLException for statements that fail outside a transaction block
   */
  static @Nullable Outcome answer(StatementKind kind, String sql, Replies replies)
      throws SQLException {
    return switch (kind) {
      case BEGIN ->
          throw ZynamoErrors.create(
              ZynamoSqlState.FEATURE_NOT_SUPPORTED,
              "transactions are not supported yet: each statement commits on its own");
      case COMMIT, ROLLBACK -> {
        replies.send(
            new NoticeResponse(
                List.of(
                    new ErrorField('S', "WARNING"),
                    new ErrorField('V', "WARNING"),
                    new ErrorField('C', ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION.code()),
                    new ErrorField('M', "there is no transaction in progress"))));
        yield new Outcome.Count(-1, null);
      }
      case SAVEPOINT, RELEASE, ROLLBACK_TO_SAVEPOINT ->
          throw ZynamoErrors.create(
              ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION,
              CommandTag.leadingWords(sql, 1).get(0).toUpperCase(java.util.Locale.ROOT)
                  + (kind == StatementKind.ROLLBACK_TO_SAVEPOINT ? " TO SAVEPOINT" : "")
                  + " can only be used in transaction blocks");
      default -> null;
    };
  }
}
