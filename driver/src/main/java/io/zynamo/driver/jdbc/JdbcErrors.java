package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.SQLException;

/**
 * The errors of the JDBC surface itself. Where pgjdbc raises the same condition, the message and
 * SQLState are pgjdbc's, so that code and tests written against pgjdbc see no difference; the one
 * exception is a closed object, which is always {@code 08003} here (pgjdbc uses {@code 55000} for a
 * closed Statement or ResultSet).
 */
final class JdbcErrors {

  private JdbcErrors() {}

  /** {@code 08003}: {@code "This statement has been closed."}. */
  static SQLException closed(String what) {
    return ZynamoErrors.create(
        ZynamoSqlState.CONNECTION_DOES_NOT_EXIST, "This " + what + " has been closed.");
  }

  /** {@code 0A000}; the message says what is not supported and why or what to do instead. */
  static SQLException notSupported(String message) {
    return ZynamoErrors.create(ZynamoSqlState.FEATURE_NOT_SUPPORTED, message);
  }

  /** {@code 02000}, as pgjdbc: executeQuery ran a statement without rows. */
  static SQLException noResults() {
    return ZynamoErrors.create(ZynamoSqlState.NO_DATA, "No results were returned by the query.");
  }

  /** {@code 0100E}, as pgjdbc: executeUpdate ran a statement that returned rows. */
  static SQLException resultWhenNoneExpected() {
    return ZynamoErrors.create(
        ZynamoSqlState.TOO_MANY_RESULTS, "A result was returned when none was expected.");
  }

  /** {@code 42809}, as pgjdbc: SQL text given to a PreparedStatement. */
  static SQLException queryStringOnPreparedStatement() {
    return ZynamoErrors.create(
        ZynamoSqlState.WRONG_OBJECT_TYPE,
        "Can't use query methods that take a query string on a PreparedStatement.");
  }

  /** {@code 24000}, as pgjdbc: a forward-only ResultSet was asked to scroll. */
  static SQLException forwardOnly() {
    return ZynamoErrors.create(
        ZynamoSqlState.INVALID_CURSOR_STATE,
        "Operation requires a scrollable ResultSet, but this ResultSet is FORWARD_ONLY.");
  }

  /** {@code 24000}, as pgjdbc: a column read with no current row. */
  static SQLException noCurrentRow() {
    return ZynamoErrors.create(
        ZynamoSqlState.INVALID_CURSOR_STATE,
        "ResultSet not positioned properly, perhaps you need to call next.");
  }

  /** {@code 0A000} for {@code unwrap} to a type this object does not implement. */
  static SQLException notAWrapperFor(Class<?> type) {
    return ZynamoErrors.create(
        ZynamoSqlState.FEATURE_NOT_SUPPORTED, "not a wrapper for " + type.getName());
  }
}
