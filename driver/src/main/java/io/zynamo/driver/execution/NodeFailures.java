package io.zynamo.driver.execution;

import java.sql.SQLException;

/** Which node errors mean "this node is unreachable" rather than "your statement failed". */
final class NodeFailures {

  private NodeFailures() {}

  /**
   * Connection-class errors (08...), a server shutting down or just restarted (57P01 admin
   * shutdown, 57P02 crash shutdown, 57P03 cannot connect now), or no SQLState at all (a pool
   * timeout): another replica may be tried.
   */
  static boolean isUnreachable(SQLException e) {
    String state = e.getSQLState();
    return state == null
        || state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03");
  }
}
