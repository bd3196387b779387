package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures to get a pooled connection count against the node. */
class NodePoolsTest {

  @Test
  void aPoolTimeoutBehindAFailedConnectionAttemptCountsAgainstTheNode() {
    SQLException refused = new SQLException("Connection to n1 refused", "08001");
    assertTrue(
        NodePools.isNodeFailure(
            new SQLTransientConnectionException("request timed out", "08001", refused)));
    assertTrue(
        NodePools.isNodeFailure(
            new SQLTransientConnectionException(
                "request timed out", null, new ConnectException("refused"))));
  }

  @Test
  void aPoolTimeoutWithEveryConnectionBusyDoesNot() {
    assertFalse(NodePools.isNodeFailure(new SQLTransientConnectionException("timed out")));
  }

  @Test
  void aNodeThatAnswersWithAnErrorDoesNot() {
    SQLException password = new SQLException("password authentication failed", "28P01");
    assertFalse(
        NodePools.isNodeFailure(
            new SQLTransientConnectionException("timed out", "28P01", password)));
  }
}
