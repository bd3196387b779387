package io.zynamo.proxy.session;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.SQLException;

/**
 * A session's pending cancel: set by a CancelRequest (on an event loop), checked between rows and
 * cleared when the next message starts (on the session's worker). A cancel that arrives while
 * nothing runs is forgotten, as PostgreSQL's is.
 */
final class CancelFlag {

  private volatile boolean requested;

  void request() {
    requested = true;
  }

  void clear() {
    requested = false;
  }

  /**
   * @throws SQLException 57014 query_canceled if a cancel is pending
   */
  void check() throws SQLException {
    if (requested) {
      requested = false;
      throw ZynamoErrors.create(
          ZynamoSqlState.QUERY_CANCELED, "canceling statement due to user request");
    }
  }
}
