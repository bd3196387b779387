package io.zynamo.proxy.session;

import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.proxy.wire.BackendMessage.ErrorField;
import io.zynamo.proxy.wire.BackendMessage.NoticeResponse;
import io.zynamo.proxy.wire.BackendMessage.ParameterStatus;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The parts of transaction control and session settings that only the wire protocol can express;
 * the engine's own session control decides everything else (BEGIN and savepoints fail, other SET
 * and RESET fail unless already in effect on every node connection, {@code zynamo.*} settings are
 * kept per session), so the driver and the proxy answer alike.
 *
 * <ul>
 *   <li>COMMIT and ROLLBACK outside a transaction block warn {@code 25P01} with a NoticeResponse
 *       and succeed, as PostgreSQL answers them; inside one, the engine ends the transaction.
 *   <li>{@code SET application_name} is answered to the client alone (ParameterStatus), and {@code
 *       SET extra_float_digits} 1 to 3 succeeds (already in effect on the node connections).
 * </ul>
 */
final class SessionStatements {

  /** {@code SET [SESSION] name = value} / {@code TO value}, the value bare or single-quoted. */
  private static final Pattern SET =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+)?([a-z_]+)(?:\\s*=\\s*|\\s+TO\\s+)'?([^';]*)'?\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  private SessionStatements() {}

  /** The protocol's own answer to {@code sql}, or null to let the engine answer it. */
  static @Nullable Outcome answer(
      StatementKind kind, String sql, Replies replies, StatementExecutor.TransactionState state) {
    return switch (kind) {
      case COMMIT, ROLLBACK -> {
        if (state != StatementExecutor.TransactionState.IDLE) {
          yield null;
        }
        replies.send(
            new NoticeResponse(
                List.of(
                    new ErrorField('S', "WARNING"),
                    new ErrorField('V', "WARNING"),
                    new ErrorField('C', ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION.code()),
                    new ErrorField('M', "there is no transaction in progress"))));
        yield new Outcome.Count(-1, null);
      }
      case SET -> setting(sql, replies);
      default -> null;
    };
  }

  private static @Nullable Outcome setting(String sql, Replies replies) {
    Matcher set = SET.matcher(sql);
    if (!set.matches()) {
      return null;
    }
    String name = set.group(1).toLowerCase(Locale.ROOT);
    String value = set.group(2).trim();
    if (name.equals("application_name")) {
      // Only the client sees it (ParameterStatus); the node connections keep their own.
      replies.send(new ParameterStatus("application_name", value));
      return new Outcome.Count(-1, null);
    }
    if (name.equals("extra_float_digits") && value.matches("[1-3]")) {
      // pgjdbc sends "SET extra_float_digits = 3" at connect. The node connections already
      // run with 3, and since PostgreSQL 12 every value above 0 prints the same (shortest
      // exact) text, so the setting is already in effect.
      return new Outcome.Count(-1, null);
    }
    return null;
  }
}
