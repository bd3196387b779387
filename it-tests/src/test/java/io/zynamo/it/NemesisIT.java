package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.it.FaultyLink.Mode;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The harder faults of the "always writeable" issue, under {@link CheckedWorkload}'s writers and
 * checker (N = 3, R = 2, W = 2): two nodes stopped at once; the network to one node delaying,
 * dropping and hanging ({@link FaultyLink}); and one node losing its data directory while writers
 * run. The third node ({@code node-3}) is reached only through the link, by every driver instance
 * of the class: the ring names it by the link's address.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NemesisIT {

  private final PostgresCluster nodes;
  private final FaultyLink link;

  /** What this JVM's driver instance believed about the hung node, 4 s into the hang. */
  private volatile String hungState = "not asked";

  NemesisIT(PostgresCluster nodes) throws IOException {
    this.nodes = nodes;
    this.link = new FaultyLink(() -> nodes.node(2).port());
  }

  @AfterAll
  void closeLink() throws IOException {
    link.close();
  }

  /** {@code node-1} and {@code node-2} directly, {@code node-3} through the link. */
  private String url() {
    List<PostgresNode> direct = nodes.nodes().subList(0, 2);
    return "jdbc:zynamo://"
        + NodeSql.seeds(direct)
        + ","
        + link.address()
        + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=2"
        + "&recoveryInterval=0&probeInterval=1&connectTimeout=2&socketTimeout=2";
  }

  private CheckedWorkload workload(String table) {
    return new CheckedWorkload("NemesisIT", nodes.nodes(), url(), table);
  }

  /**
   * Two of three replicas down: no write can reach W = 2, so every write fails, cleanly (an error
   * with its SQLState, none acknowledged), and writes succeed again as soon as one node is back.
   */
  @Test
  void twoNodesDownFailWritesCleanlyUntilOneIsBack() throws Exception {
    CheckedWorkload workload = workload("nemesis_two_down");
    String report =
        workload.run(
            () -> {},
            () -> {
              Thread.sleep(1500);
              nodes.node(0).stop();
              nodes.node(1).stop();
              Thread.sleep(500);
              long acknowledged = workload.acknowledgements();
              long failed = workload.failures();
              Thread.sleep(2500);
              if (workload.acknowledgements() != acknowledged) {
                workload.problem(
                    (workload.acknowledgements() - acknowledged)
                        + " writes acknowledged with two of three replicas down (W = 2)");
              }
              if (workload.failures() == failed) {
                workload.problem("no write failed with two of three replicas down (W = 2)");
              }
              nodes.node(0).start();
              Thread.sleep(3000);
              long onceBack = workload.acknowledgements();
              Thread.sleep(1500);
              if (workload.acknowledgements() == onceBack) {
                workload.problem("no write acknowledged with two of three replicas up again");
              }
              nodes.node(1).start();
              Thread.sleep(1500);
            });
    assertTrue(workload.failures() > 0, report);
    assertTrue(workload.failureKinds().containsKey("ZY001"), report);
  }

  /**
   * The network to {@code node-3} adds latency, then resets every connection and refuses new ones,
   * then hangs half-open (connections stay up, nothing passes, nothing closes) for longer than the
   * socket timeout: no statement waits for it much longer than one timeout, and the failure
   * detector learns of it.
   */
  @Test
  void delayedDroppedAndHungLinkNeitherLosesWritesNorHangsStatements() throws Exception {
    CheckedWorkload workload = workload("nemesis_link");
    String report =
        workload.run(
            () -> {},
            () -> {
              Thread.sleep(1500);
              link.delay(Duration.ofMillis(30));
              link.mode(Mode.DELAY);
              Thread.sleep(2500);
              link.mode(Mode.PASS);
              Thread.sleep(1000);
              link.mode(Mode.DROP);
              Thread.sleep(2500);
              link.mode(Mode.PASS);
              Thread.sleep(1500);
              link.mode(Mode.HALF_OPEN);
              Thread.sleep(4000);
              String state = linkedNodeState();
              if (state.equals("up")) {
                workload.problem("the failure detector still believes the hung node up after 4 s");
              }
              Thread.sleep(1000);
              link.mode(Mode.PASS);
              Thread.sleep(2000);
            });
    System.out.println("NemesisIT link: " + link.counts() + "; hung node believed " + hungState);
    // socketTimeout (2 s) for the statement or read that hangs, connectTimeout (2 s) for the
    // trial connection that makes the node down, and some slack for a loaded machine.
    assertTrue(workload.slowestMillis() < 10_000, report);
    assertTrue(workload.failures() < workload.operations() / 20, report);
  }

  /** The linked node's state in {@code zynamo.nodes}, as the writers' driver instance sees it. */
  private String linkedNodeState() throws SQLException {
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT node, state FROM zynamo.nodes")) {
      String state = "absent from zynamo.nodes";
      while (rs.next()) {
        if (rs.getString(1).startsWith(link.address() + "/")) {
          state = rs.getString(2);
        }
      }
      hungState = state;
      return state;
    }
  }

  /**
   * {@code node-1} loses its data directory while writers run and comes back empty (a fresh
   * initdb): the driver puts Zynamo's node schema, the ring and the tables back when it reconnects,
   * and {@code zynamo.repair(NULL, node)} brings back every acknowledged row.
   */
  @Test
  void wipedNodeIsRebuiltAndRepaired() throws Exception {
    PostgresNode wiped = nodes.node(0);
    CheckedWorkload workload =
        workload("nemesis_wipe").repairingFirst(wiped.host() + ":" + wiped.port());
    String report =
        workload.run(
            () -> {},
            () -> {
              Thread.sleep(2000);
              wiped.wipe();
              Thread.sleep(1000);
              wiped.start();
              Thread.sleep(4000);
            });
    assertTrue(workload.failures() < workload.operations() / 20, report);
    assertEquals(
        "t",
        NodeSql.string(wiped, "SELECT to_regclass('zynamo.ring') IS NOT NULL"),
        "node schema back on " + wiped);
  }

  /**
   * A node that lost its data comes back by itself: the first new connection to it rebuilds its
   * node schema and tables, and a background repair of its buckets brings its rows back, without
   * any {@code zynamo.repair} call.
   */
  @Test
  void wipedNodeRefillsItselfInTheBackground() throws Exception {
    PostgresNode wiped = nodes.node(1);
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE refilled (id bigint PRIMARY KEY, v text)");
      s.execute("INSERT INTO refilled SELECT g, 'v' || g FROM generate_series(1, 500) g");
      wiped.wipe();
      wiped.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String held = "none";
      while (System.nanoTime() < deadline) {
        try {
          // a write goes to every replica: it connects to the wiped node again
          s.execute(
              "INSERT INTO refilled VALUES (501, 'probe') ON CONFLICT (id) DO UPDATE SET v = 'p'");
        } catch (SQLException broken) {
          // the pooled connections to the wiped node broke with it: the next write reconnects
        }
        try {
          held = NodeSql.string(wiped, "SELECT count(*) FROM refilled WHERE id <= 500");
        } catch (SQLException notYet) {
          held = notYet.getSQLState(); // 42P01 until the rebuild
        }
        if (held.equals("500")) {
          break;
        }
        Thread.sleep(250);
      }
      assertEquals("500", held, "rows back on the wiped node without a repair call");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM refilled WHERE id <= 500")) {
        rs.next();
        assertEquals(500, rs.getLong(1));
      }
    }
  }
}
