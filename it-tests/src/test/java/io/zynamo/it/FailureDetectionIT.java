package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.execution.Cluster;
import io.zynamo.driver.execution.ClusterSession;
import io.zynamo.driver.execution.NodeCounts;
import io.zynamo.driver.execution.NodeHealth;
import io.zynamo.driver.execution.NodeSchemaReplication;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.NodeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Failure detection on 3 real nodes with N=3, R=2, W=2: a stopped node costs one connect timeout,
 * not one per statement, and is used again once it is back, found by the probe or by the one real
 * attempt per retry interval. Attempts are counted by the driver's own tracker, never by timing.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureDetectionIT {

  /** Statements run while a node is down; without detection each would wait connectTimeout. */
  private static final int STATEMENTS = 100;

  private final PostgresCluster nodes;
  private final NodeSchema schema = NodeSchema.bundled();
  private final List<AutoCloseable> opened = new ArrayList<>();

  FailureDetectionIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void createTable() throws Exception {
    try (Cluster cluster = open("")) {
      session(cluster).execute("CREATE TABLE kv (id bigint PRIMARY KEY, v text)", List.of(), false);
    }
  }

  @AfterEach
  void closeAndRestart() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
    for (PostgresNode node : nodes.nodes()) {
      if (!node.isRunning()) {
        node.start();
      }
    }
  }

  @Test
  void aStoppedNodeCostsOneTimeoutNotOnePerStatementAndIsUsedAgainOnceProbed() throws Exception {
    // No real retry within the test: only the probe may bring the node back.
    Cluster cluster = open("&probeInterval=1&downRetryInterval=3600");
    ClusterSession<List<ChangeRecord>> session = session(cluster);
    writeAndRead(session, 0, 10); // the pools now hold connections to every node
    PostgresNode stopped = nodes.node(1);
    NodeId dead = nodeId(stopped);
    NodeCounts before = cluster.health().counts(dead);

    stopped.stop();
    writeAndRead(session, 1000, STATEMENTS);
    await(cluster, dead, NodeHealth.State.DOWN);
    NodeCounts down = cluster.health().counts(dead);
    long attempts = down.attempts() - before.attempts();
    long failures = down.failures() - before.failures();
    // One failed attempt finds the node down; a few more may reach pooled connections the server
    // already closed (each fails at once). Without detection: one attempt per statement and node.
    assertTrue(failures >= 1 && failures <= 2, "failed attempts on the dead node: " + down);
    assertTrue(attempts <= 5, "real attempts on the dead node: " + down);
    assertTrue(down.skipped() - before.skipped() >= STATEMENTS, "skipped: " + down);

    stopped.start();
    await(cluster, dead, NodeHealth.State.UP);
    assertTrue(cluster.health().counts(dead).probes() >= 1);
    writeAllThree(session, stopped, 5000);
  }

  @Test
  void aNodeBackIsRetriedByARequestEvenWithoutAProbe() throws Exception {
    // Probes too rare to matter: only the one real attempt per interval finds the node back.
    Cluster cluster = open("&probeInterval=3600&downRetryInterval=1");
    ClusterSession<List<ChangeRecord>> session = session(cluster);
    // Loads the session's catalog while every node is up: ClusterSession does not yet hand the
    // catalog load over when its pooled connection was broken by the stop.
    writeAndRead(session, 6000, 3);
    PostgresNode stopped = nodes.node(2);
    NodeId dead = nodeId(stopped);

    stopped.stop();
    writeAndRead(session, 7000, 10);
    // A request may still be finding out (its connect timeout running) while the others skip it.
    await(cluster, dead, NodeHealth.State.DOWN);

    stopped.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    int id = 8000;
    while (cluster.health().state(dead) != NodeHealth.State.UP && System.nanoTime() < deadline) {
      writeAndRead(session, id++, 1);
      Thread.sleep(100);
    }
    assertEquals(NodeHealth.State.UP, cluster.health().state(dead));
    assertEquals(0, cluster.health().counts(dead).probes());
    writeAllThree(session, stopped, 9000);
  }

  /** With W=3 a write succeeds only if the node took it; then it is on the node itself. */
  private static void writeAllThree(
      ClusterSession<List<ChangeRecord>> session, PostgresNode node, int firstId)
      throws SQLException {
    run(session, "SET zynamo.write_quorum = 3");
    for (int id = firstId; id < firstId + 5; id++) {
      run(session, "INSERT INTO kv (id, v) VALUES (" + id + ", 'back')");
    }
    assertEquals(
        "5",
        NodeSql.string(
            node,
            "SELECT count(*) FROM kv WHERE v = 'back' AND id BETWEEN "
                + firstId
                + " AND "
                + (firstId + 4)));
  }

  private static void writeAndRead(
      ClusterSession<List<ChangeRecord>> session, int firstId, int count) throws SQLException {
    for (int id = firstId; id < firstId + count; id++) {
      run(session, "INSERT INTO kv (id, v) VALUES (" + id + ", 'v" + id + "')");
      Outcome o = session.execute("SELECT v FROM kv WHERE id = ?", params((long) id), false);
      try (ResultSet rs = assertInstanceOf(Outcome.Rows.class, o).rows()) {
        assertTrue(rs.next(), "id " + id);
        assertEquals("v" + id, rs.getString(1));
      }
    }
  }

  /** Waits (at most 30 s, a bound, not a measurement) until the driver believes {@code state}. */
  private static void await(Cluster cluster, NodeId node, NodeHealth.State state)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (cluster.health().state(node) != state && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(state, cluster.health().state(node));
  }

  private Cluster open(String properties) throws SQLException {
    String seeds = NodeSql.seeds(nodes.nodes());
    Cluster cluster =
        Cluster.open(
            ZynamoUrl.parse(
                "jdbc:zynamo://"
                    + seeds
                    + "/postgres?user=postgres&replicas=3&connectTimeout=1"
                    + properties),
            schema::install,
            Clock.systemUTC());
    opened.add(cluster);
    return cluster;
  }

  private ClusterSession<List<ChangeRecord>> session(Cluster cluster) {
    NodeSchemaReplication replication = new NodeSchemaReplication(schema);
    ClusterSession<List<ChangeRecord>> session =
        new ClusterSession<>(cluster, replication, replication, 2, 2);
    opened.add(0, session); // closed before its cluster
    return session;
  }

  private static void run(ClusterSession<List<ChangeRecord>> session, String sql)
      throws SQLException {
    Outcome o = session.execute(sql, List.of(), false);
    if (o instanceof Outcome.Rows r) {
      r.rows().close();
    }
  }

  private static List<@Nullable Object> params(@Nullable Object... values) {
    return Arrays.asList(values);
  }

  private static NodeId nodeId(PostgresNode node) {
    return NodeId.of(node.host(), node.port(), node.database());
  }
}
