package io.zynamo.driver.execution;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.StatementKind;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** What the engine answers itself, so that it never reaches a pooled node connection. */
final class SessionControl {

  private SessionControl() {}

  /** {@code SET [SESSION] name {= | TO} value}: one setting, one plain value. */
  private static final Pattern SIMPLE_SETTING =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+)?([A-Za-z_]+)\\s*(?:=|TO)\\s*'?([A-Za-z0-9_ ,.-]*)'?\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  /**
   * Settings clients send at connect (pgjdbc: {@code extra_float_digits = 3}) that change nothing
   * here: the value is the one every node connection already uses, or only names the client.
   */
  private static boolean isAlreadyInEffect(String sql) {
    Matcher m = SIMPLE_SETTING.matcher(sql);
    if (!m.matches()) {
      return false;
    }
    String value = m.group(2).strip().toLowerCase(Locale.ROOT);
    return switch (m.group(1).toLowerCase(Locale.ROOT)) {
      case "application_name", "client_min_messages" -> true;
      case "extra_float_digits" -> value.equals("3");
      case "client_encoding" ->
          value.equals("utf8") || value.equals("utf-8") || value.equals("unicode");
      case "datestyle" -> value.equals("iso") || value.equals("iso, mdy");
      case "intervalstyle" -> value.equals("postgres");
      case "standard_conforming_strings" -> value.equals("on");
      default -> false;
    };
  }

  /**
   * Transaction control and session settings never reach a pooled node connection, where they would
   * outlive the statement and leak into every later borrower. Transaction control the session runs
   * ({@link TransactionControl}) never gets here; any other form of it (e.g. joined to another
   * statement in one string) fails with 0A000. SET/RESET (other than {@code zynamo.*}, {@code SET
   * LOCAL} and {@code SET TRANSACTION} inside a transaction, and settings already in effect on
   * every node connection, such as pgjdbc's {@code extra_float_digits = 3}) fail with 0A000. Null
   * for any other statement.
   */
  static @Nullable Outcome answer(ParsedStatement parsed, String sql) throws SQLException {
    return switch (parsed.kind()) {
      case BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ROLLBACK_TO_SAVEPOINT ->
          throw ZynamoErrors.notSupportedYet(
              "this form of transaction control: send BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE"
                  + " and ROLLBACK TO as statements of their own, without comments");
      case SET, RESET -> {
        if (parsed.kind() == StatementKind.SET && isAlreadyInEffect(sql)) {
          yield new Outcome.Count(-1, null);
        }
        throw ZynamoErrors.notSupportedYet(
            "session settings on the nodes (SET/RESET are not kept across pooled node"
                + " connections; only zynamo.read_quorum and zynamo.write_quorum are)");
      }
      default -> null;
    };
  }
}
