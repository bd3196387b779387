package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.execution.NodeHealth.Admission;
import io.zynamo.driver.execution.NodeHealth.Result;
import io.zynamo.driver.execution.NodeHealth.State;
import io.zynamo.ring.NodeId;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The detector's state machine, driven by hand over a fake clock. */
class NodeHealthTest {

  private static final NodeId N1 = new NodeId("n1:1/db");
  private static final NodeId N2 = new NodeId("n2:1/db");
  private static final Duration PROBE = Duration.ofSeconds(1);
  private static final Duration RETRY = Duration.ofSeconds(10);

  private final FakeClock clock = new FakeClock();
  private final List<NodeId> probed = new ArrayList<>();

  private NodeHealth health(int downAfterFailures) {
    return new NodeHealth(
        new NodeHealth.Settings(downAfterFailures, PROBE, RETRY), clock, (node, down) -> false);
  }

  private static void fail(NodeHealth health, NodeId node) throws SQLException {
    health.finished(health.admit(node), Result.NODE_FAILURE, "Connection refused");
  }

  private static SQLException skipped(NodeHealth health, NodeId node) {
    return assertThrows(SQLException.class, () -> health.admit(node));
  }

  @Test
  void oneFailedConnectionMakesANodeDownAndLaterRequestsFailFastWithClass08() throws Exception {
    NodeHealth health = health(1);
    fail(health, N1);

    assertEquals(State.DOWN, health.state(N1));
    SQLException e = skipped(health, N1);
    assertEquals("08001", e.getSQLState());
    assertTrue(e instanceof SQLTransientConnectionException, e.getClass().getName());
    assertTrue(NodeFailures.isUnreachable(e));
    assertTrue(e.getMessage().contains("node n1:1/db: believed down"), e.getMessage());
    assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    skipped(health, N1);
    assertEquals(new NodeCounts(1, 1, 2, 0), health.counts(N1));
    assertEquals(State.UP, health.state(N2));
    assertFalse(health.admit(N2).trial());
  }

  @Test
  void belowTheThresholdANodeIsSuspectAndTriedByOneRequestAtATime() throws Exception {
    NodeHealth health = health(3);
    fail(health, N1);
    assertEquals(State.SUSPECT, health.state(N1));

    Admission trial = health.admit(N1);
    assertTrue(trial.trial());
    skipped(health, N1); // while the trial is under way
    health.finished(trial, Result.NODE_FAILURE, "refused");
    assertEquals(State.SUSPECT, health.state(N1));
    fail(health, N1);
    assertEquals(State.DOWN, health.state(N1));
    assertEquals(3, health.counts(N1).failures());
  }

  @Test
  void aSuccessResetsTheFailureCount() throws Exception {
    NodeHealth health = health(2);
    fail(health, N1);
    health.finished(health.admit(N1), Result.SUCCESS, "");
    assertEquals(State.UP, health.state(N1));
    fail(health, N1);
    assertEquals(State.SUSPECT, health.state(N1));
  }

  @Test
  void aDownNodeGetsOneRealAttemptPerRetryInterval() throws Exception {
    NodeHealth health = health(1);
    fail(health, N1);

    clock.advance(RETRY.minusMillis(1));
    skipped(health, N1);
    clock.advance(Duration.ofMillis(1));
    Admission trial = health.admit(N1);
    assertTrue(trial.trial());
    skipped(health, N1); // one at a time
    clock.advance(Duration.ofSeconds(5)); // the trial waits for its connect timeout
    health.finished(trial, Result.NODE_FAILURE, "timed out");

    assertEquals(State.DOWN, health.state(N1));
    clock.advance(RETRY.minusMillis(1)); // the next interval counts from the failure
    skipped(health, N1);
    clock.advance(Duration.ofMillis(1));
    Admission next = health.admit(N1);
    health.finished(next, Result.SUCCESS, "");
    assertEquals(State.UP, health.state(N1));
    assertFalse(health.admit(N1).trial());
    assertEquals(new NodeCounts(4, 2, 3, 0), health.counts(N1));
  }

  @Test
  void aProbeThatReachesADownNodeBringsItBack() throws Exception {
    NodeHealth health = health(1);
    fail(health, N1);

    health.probeDown(
        node -> {
          probed.add(node);
          throw new SQLException("Connection refused", "08001");
        });
    assertEquals(State.DOWN, health.state(N1));
    SQLException e = skipped(health, N1);
    assertTrue(e.getMessage().contains("last failure: Connection refused"), e.getMessage());

    health.probeDown(probed::add);
    assertEquals(State.UP, health.state(N1));
    assertEquals(List.of(N1, N1), probed); // only nodes believed down are probed
    health.probeDown(probed::add);
    assertEquals(2, probed.size());
    assertEquals(2, health.counts(N1).probes());
    assertFalse(health.admit(N1).trial());
  }

  @Test
  void aBrokenConnectionMakesANodeSuspectNotDown() throws Exception {
    NodeHealth health = health(1);
    health.broken(N1, "terminating connection due to administrator command");
    assertEquals(State.SUSPECT, health.state(N1));
    assertEquals(Set.of(), health.down()); // not probed: the next request decides

    Admission trial = health.admit(N1);
    SQLException e = skipped(health, N1);
    assertTrue(e.getMessage().contains("another request is trying it"), e.getMessage());
    health.finished(trial, Result.SUCCESS, "");
    assertEquals(State.UP, health.state(N1));
  }

  @Test
  void aBrokenConnectionDoesNotWakeADownNode() throws Exception {
    NodeHealth health = health(1);
    fail(health, N1);
    health.broken(N1, "broken");
    assertEquals(State.DOWN, health.state(N1));
  }

  @Test
  void anInconclusiveOutcomeNeitherCountsNorBlocksTheNextTrial() throws Exception {
    NodeHealth health = health(2);
    fail(health, N1);
    Admission trial = health.admit(N1);
    health.finished(trial, Result.INCONCLUSIVE, "pool busy");
    assertEquals(State.SUSPECT, health.state(N1));
    assertTrue(health.admit(N1).trial());
    assertEquals(1, health.counts(N1).failures());
  }

  @Test
  void aNodeThatIsSomeBucketsLastHopeIsTriedEvenWhenDown() throws Exception {
    List<Set<NodeId>> asked = new ArrayList<>();
    NodeHealth health =
        new NodeHealth(
            new NodeHealth.Settings(1, PROBE, RETRY),
            clock,
            (node, down) -> {
              asked.add(down);
              return down.contains(N2);
            });
    fail(health, N1);
    skipped(health, N1);
    fail(health, N2);

    Admission admitted = health.admit(N1);
    assertFalse(admitted.trial());
    assertEquals(List.of(Set.of(N1), Set.of(N1, N2)), asked);
    health.finished(admitted, Result.SUCCESS, "");
    assertEquals(State.UP, health.state(N1));
  }

  @Test
  void withDetectionOffEveryRequestTriesTheNode() throws Exception {
    NodeHealth health = health(0);
    fail(health, N1);
    health.broken(N1, "broken");
    fail(health, N1);
    assertEquals(State.UP, health.state(N1));
    health.admit(N1);
    assertEquals(new NodeCounts(3, 2, 0, 0), health.counts(N1));
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new NodeHealth.Settings(-1, PROBE, RETRY));
    assertThrows(
        IllegalArgumentException.class, () -> new NodeHealth.Settings(1, Duration.ZERO, RETRY));
    assertThrows(
        IllegalArgumentException.class,
        () -> new NodeHealth.Settings(1, PROBE, Duration.ofSeconds(-1)));
  }
}
