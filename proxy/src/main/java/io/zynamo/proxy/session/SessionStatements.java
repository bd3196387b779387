package io.zynamo.proxy.session;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.proxy.wire.BackendMessage.ErrorField;
import io.zynamo.proxy.wire.BackendMessage.NoticeResponse;
import io.zynamo.proxy.wire.BackendMessage.ParameterStatus;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Answers the statements that would change a pooled node connection's session state, which the
 * engine does not keep per client session yet, before they reach a node: a BEGIN left on a pooled
 * connection would leave it inside a transaction, and a SET would change the settings, for every
 * later session that borrows it.
 *
 * <ul>
 *   <li>Transaction control, as PostgreSQL answers it outside a transaction block (each statement
 *       commits on its own until transactions exist): COMMIT and ROLLBACK warn {@code 25P01} and
 *       succeed; SAVEPOINT, RELEASE and ROLLBACK TO fail with {@code 25P01}; BEGIN fails with
 *       {@code 0A000}.
 *   <li>SET and RESET fail with {@code 0A000}, except Zynamo's own {@code zynamo.*} settings, which
 *       the engine keeps per session, SET LOCAL, which outside a transaction block changes nothing,
 *       {@code application_name} (answered to the client alone) and {@code extra_float_digits} 1 to
 *       3 (already in effect on the node connections).
 * </ul>
 */
final class SessionStatements {

  /** {@code SET [SESSION] name = value} / {@code TO value}, the value bare or single-quoted. */
  private static final Pattern SET =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+)?([a-z_]+)(?:\\s*=\\s*|\\s+TO\\s+)'?([^';]*)'?\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  private SessionStatements() {}

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
      case SET, RESET -> setting(sql, replies);
      default -> null;
    };
  }

  private static @Nullable Outcome setting(String sql, Replies replies) throws SQLException {
    List<String> words = CommandTag.leadingWords(sql, 3);
    boolean ours =
        sql.toLowerCase(Locale.ROOT).matches("(?s)\\s*(set|reset)\\s+(session\\s+)?zynamo\\..*");
    if (ours || words.contains("local")) {
      return null; // the engine keeps zynamo.* per session; SET LOCAL changes nothing here
    }
    Matcher set = SET.matcher(sql);
    if (set.matches()) {
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
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.FEATURE_NOT_SUPPORTED,
        "session settings are not supported yet: "
            + words.get(0).toUpperCase(java.util.Locale.ROOT)
            + " would change a node connection shared with other sessions"
            + " (zynamo.* settings work)");
  }
}
