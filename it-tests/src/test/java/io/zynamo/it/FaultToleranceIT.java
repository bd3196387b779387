package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import org.junit.jupiter.api.Test;

/**
 * Writers on 3 real nodes (N = 3, R = 2, W = 2) while a nemesis crashes one node ({@code pg_ctl -m
 * immediate}) and restarts it, pauses another (SIGSTOP of its postmaster and backends, then
 * SIGCONT), and stops the third cleanly and starts it again: one node at a time, so W replicas are
 * always there. The workload and its checker are {@link CheckedWorkload}'s. With one node down for
 * the whole run, no write fails at all. {@link NemesisIT} has the harder faults.
 */
@ZynamoCluster(nodes = 3)
class FaultToleranceIT {

  private final PostgresCluster nodes;

  FaultToleranceIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  private CheckedWorkload workload(String table) {
    String url =
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes())
            + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=2"
            + "&recoveryInterval=0&probeInterval=1&connectTimeout=2&socketTimeout=3";
    return new CheckedWorkload("FaultToleranceIT", nodes.nodes(), url, table);
  }

  @Test
  void acknowledgedWritesSurviveCrashesPausesAndStops() throws Exception {
    CheckedWorkload workload = workload("ledger");
    String report = workload.run(() -> {}, this::crashPauseStop);
    assertTrue(workload.failures() < workload.operations() / 20, report);
  }

  @Test
  void oneNodeDownForTheWholeRunFailsNothing() throws Exception {
    PostgresNode down = nodes.node(1);
    CheckedWorkload workload = workload("ledger_one_down");
    String report = workload.run(down::stop, () -> Thread.sleep(6000));
    assertEquals(0, workload.failures(), report);
  }

  /** One node at a time: crashed and restarted, paused and resumed, stopped and started. */
  private void crashPauseStop() throws Exception {
    Thread.sleep(1500);
    PostgresNode crashed = nodes.node(2);
    crashed.crash();
    Thread.sleep(2500);
    crashed.start();
    Thread.sleep(1500);
    PostgresNode paused = nodes.node(1);
    CheckedWorkload.signal(paused, "STOP");
    Thread.sleep(2500);
    CheckedWorkload.signal(paused, "CONT");
    Thread.sleep(1500);
    PostgresNode stopped = nodes.node(0);
    stopped.stop();
    Thread.sleep(2500);
    stopped.start();
    Thread.sleep(1500);
  }
}
