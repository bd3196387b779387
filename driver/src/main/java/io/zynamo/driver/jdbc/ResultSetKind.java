package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoErrors;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Checks the result set type, concurrency and holdability a statement is created with: only
 * forward-only, read-only result sets exist; either holdability is accepted, as without
 * transactions every statement commits before its result set is read and the two cannot differ.
 */
final class ResultSetKind {

  private ResultSetKind() {}

  static void check(int type, int concurrency, int holdability) throws SQLException {
    if (type != ResultSet.TYPE_FORWARD_ONLY) {
      throw JdbcErrors.notSupported(
          "result set type "
              + typeName(type)
              + " is not supported (only TYPE_FORWARD_ONLY: results are streamed from the nodes)");
    }
    if (concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw JdbcErrors.notSupported(
          "result set concurrency "
              + (concurrency == ResultSet.CONCUR_UPDATABLE ? "CONCUR_UPDATABLE" : concurrency)
              + " is not supported (only CONCUR_READ_ONLY)");
    }
    checkHoldability(holdability);
  }

  static void checkHoldability(int holdability) throws SQLException {
    if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT
        && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
      throw ZynamoErrors.invalidValue(
          "result set holdability",
          Integer.toString(holdability),
          "HOLD_CURSORS_OVER_COMMIT or CLOSE_CURSORS_AT_COMMIT");
    }
  }

  private static String typeName(int type) {
    return switch (type) {
      case ResultSet.TYPE_SCROLL_INSENSITIVE -> "TYPE_SCROLL_INSENSITIVE";
      case ResultSet.TYPE_SCROLL_SENSITIVE -> "TYPE_SCROLL_SENSITIVE";
      default -> Integer.toString(type);
    };
  }
}
