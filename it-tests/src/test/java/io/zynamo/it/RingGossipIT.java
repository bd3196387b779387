package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.catalog.RingStore;
import io.zynamo.driver.execution.Cluster;
import io.zynamo.driver.execution.ClusterSession;
import io.zynamo.driver.execution.NodeSchemaReplication;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.ColumnPlacement;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.RingState;
import io.zynamo.ring.membership.Member;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ring gossip between driver instances through the rings stored on 3 real nodes: instances that
 * start from different seeds and change the ring concurrently converge on the deterministic merge;
 * a stale instance picks a newer ring up within its lease and its heartbeat shows it; with every
 * node stopped, a statement after the lease fails instead of routing with the old ring.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RingGossipIT {

  private static final Duration CONVERGED_WITHIN = Duration.ofSeconds(20);

  private final PostgresCluster nodes;
  private final NodeSchema schema = NodeSchema.bundled();
  private final RingStore store = new RingStore();

  RingGossipIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void createRing() throws SQLException {
    open(NodeSql.seeds(nodes.nodes()), 0).close();
  }

  @AfterEach
  void restart() {
    for (PostgresNode node : nodes.nodes()) {
      if (!node.isRunning()) {
        node.start();
      }
    }
  }

  @Test
  void instancesFromDifferentSeedsConvergeOnConcurrentChanges() throws Exception {
    try (Cluster a = open(seed(0), 1);
        Cluster b = open(seed(2), 1)) {
      RingState base = a.ring();
      RingState fromA = reweighed(base, 0, 200, nodeId(0));
      RingState fromB = reweighed(base, 1, 300, nodeId(2));

      assertEquals(3, a.publish(fromA));
      assertEquals(3, b.publish(fromB));

      RingState merged = fromA.merge(fromB);
      assertEquals(merged, fromB.merge(fromA));
      awaitEverywhere(merged, a, b);
    }
  }

  @Test
  void aChangeOnlyOneInstanceHoldsSpreadsByItsGossip() throws Exception {
    try (Cluster a = open(seed(0), 1);
        Cluster b = open(seed(2), 1)) {
      RingState base = a.ring();
      RingState local = reweighed(base, 2, 150, nodeId(0));
      RingState published = reweighed(base, 0, 250, nodeId(2));

      a.offer(local); // on no node: only a's gossip can spread it
      assertEquals(3, b.publish(published));

      awaitEverywhere(local.merge(published), a, b);
    }
  }

  @Test
  void aStaleInstancePicksUpANewerRingWithinTheLease() throws Exception {
    NodeSql.executeOnEach(nodes.nodes(), "DELETE FROM zynamo.instances");
    Duration lease = Duration.ofSeconds(50);
    try (Cluster stale = open(seed(1), 5);
        Cluster admin = open(NodeSql.seeds(nodes.nodes()), 0)) {
      await(() -> heartbeat(stale.instanceId()).isPresent(), "the stale instance's heartbeat");
      RingState next = reweighed(admin.ring(), 1, 400, nodeId(0));
      assertNotEquals(next.epoch(), stale.ring().epoch());

      assertEquals(3, admin.publish(next));
      Set<String> before = admin.instancesBehind(next.epoch(), lease);

      assertEquals(Set.of(stale.instanceId()), before);
      // Its next round, at most one gossipInterval (5 s) away, well within its 50 s lease.
      await(
          () -> admin.instancesBehind(next.epoch(), lease).isEmpty(),
          "no instance behind epoch " + next.epoch());
      assertEquals(next, stale.ring());
      assertEquals(Optional.of(next.epoch()), heartbeat(stale.instanceId()));
    }
  }

  /** A heartbeat a day old is an instance that stopped: the next heartbeat on its node drops it. */
  @Test
  void heartbeatsOfStoppedInstancesAreForgotten() throws Exception {
    NodeSql.executeOnEach(
        nodes.nodes(),
        "INSERT INTO zynamo.instances VALUES ('stopped', 1, now() - interval '25 hours')"
            + " ON CONFLICT (id) DO UPDATE SET seen = EXCLUDED.seen",
        "INSERT INTO zynamo.instances VALUES ('recent', 1, now() - interval '23 hours')"
            + " ON CONFLICT (id) DO UPDATE SET seen = EXCLUDED.seen");
    try (Cluster cluster = open(NodeSql.seeds(nodes.nodes()), 1)) {
      await(() -> heartbeat(cluster.instanceId()).isPresent(), "the instance's first heartbeat");
      for (PostgresNode node : nodes.nodes()) {
        await(
            () ->
                NodeSql.string(node, "SELECT count(*) FROM zynamo.instances WHERE id = 'stopped'")
                    .equals("0"),
            "the day-old heartbeat gone from " + node.name());
        assertEquals(
            "1", NodeSql.string(node, "SELECT count(*) FROM zynamo.instances WHERE id = 'recent'"));
      }
    }
  }

  @Test
  void afterTheLeaseWithEveryNodeDownAStatementFailsInsteadOfRouting() throws Exception {
    try (Cluster cluster = open(NodeSql.seeds(nodes.nodes()), 1)) {
      NodeSchemaReplication replication = new NodeSchemaReplication(schema);
      ClusterSession<List<ChangeRecord>> session =
          new ClusterSession<>(cluster, replication, replication, 1, 1);
      session.execute("SELECT 1", List.of(), false);
      nodes.nodes().forEach(PostgresNode::stop);

      SQLException failure = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline && !leaseExpired(failure)) {
        Thread.sleep(200);
        try {
          session.execute("SELECT 1", List.of(), false);
        } catch (SQLException e) {
          failure = e;
        }
      }

      assertTrue(leaseExpired(failure), String.valueOf(failure));
      assertEquals("08001", failure.getSQLState());
      session.close();
    }
  }

  private static boolean leaseExpired(SQLException e) {
    return e != null && e.getMessage().contains("ring lease expired");
  }

  /** Waits until both instances and every node hold {@code expected}. */
  private void awaitEverywhere(RingState expected, Cluster a, Cluster b) throws Exception {
    await(
        () -> {
          if (!a.ring().equals(expected) || !b.ring().equals(expected)) {
            return false;
          }
          for (PostgresNode node : nodes.nodes()) {
            try (Connection c = NodeSql.connect(node)) {
              if (!store.read(c).equals(Optional.of(expected))) {
                return false;
              }
            }
          }
          return true;
        },
        "every instance and node holding epoch " + expected.epoch() + " " + expected.version());
  }

  /** The epoch of {@code id}'s newest heartbeat on any node. */
  private Optional<Long> heartbeat(String id) throws SQLException {
    Optional<Long> epoch = Optional.empty();
    java.time.Instant newest = java.time.Instant.MIN;
    for (PostgresNode node : nodes.nodes()) {
      try (Connection c = NodeSql.connect(node);
          PreparedStatement s =
              c.prepareStatement("SELECT epoch, seen FROM zynamo.instances WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next() && rs.getTimestamp(2).toInstant().isAfter(newest)) {
            newest = rs.getTimestamp(2).toInstant();
            epoch = Optional.of(rs.getLong(1));
          }
        }
      }
    }
    return epoch;
  }

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + CONVERGED_WITHIN.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + CONVERGED_WITHIN + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  private static RingState reweighed(RingState ring, int index, int weight, NodeId claimant) {
    List<Member> members = new ArrayList<>(ring.members());
    Member m = members.get(index);
    members.set(index, new Member(m.node(), m.host(), weight, m.state()));
    return ring.withMembers(members, claimant, System.currentTimeMillis(), new ColumnPlacement());
  }

  private String seed(int index) {
    PostgresNode node = nodes.node(index);
    return node.host() + ":" + node.port();
  }

  private NodeId nodeId(int index) {
    PostgresNode node = nodes.node(index);
    return NodeId.of(node.host(), node.port(), node.database());
  }

  private Cluster open(String seeds, int gossipInterval) throws SQLException {
    return Cluster.open(
        ZynamoUrl.parse(
            "jdbc:zynamo://"
                + seeds
                + "/postgres?user=postgres&replicas=3&connectTimeout=1&recoveryInterval=0"
                + "&gossipInterval="
                + gossipInterval),
        schema::install,
        Clock.systemUTC());
  }
}
