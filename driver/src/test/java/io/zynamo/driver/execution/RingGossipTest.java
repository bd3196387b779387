package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.catalog.InstanceStore.Heartbeat;
import io.zynamo.ring.ColumnPlacement;
import io.zynamo.ring.HostId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.ReplicationFactor;
import io.zynamo.ring.RingState;
import io.zynamo.ring.membership.Member;
import io.zynamo.ring.membership.MemberState;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RingGossipTest {

  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final long LEASE = Duration.ofSeconds(10).toNanos();

  private final FakeNodes nodes = new FakeNodes();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private static NodeId node(int i) {
    return new NodeId("h" + i + ":5432/app");
  }

  private static RingState ring(int members) {
    List<Member> list = new ArrayList<>();
    for (int i = 1; i <= members; i++) {
      list.add(Member.up(node(i), new HostId("h" + i), 100));
    }
    return RingState.create(
        list, new ReplicationFactor(3), 4, node(1), 1000, new ColumnPlacement());
  }

  /** {@code ring} with member {@code i}'s weight changed, claimed by node {@code claimant}. */
  private static RingState reweighed(RingState ring, int i, int weight, int claimant) {
    List<Member> members = new ArrayList<>();
    for (Member m : ring.members()) {
      members.add(m.node().equals(node(i)) ? new Member(m.node(), m.host(), weight, m.state()) : m);
    }
    return ring.withMembers(members, node(claimant), 2000, new ColumnPlacement());
  }

  private RingGossip gossip(AtomicReference<RingState> local, Duration interval) {
    return new RingGossip(local, nodes, interval, new Random(7), now::get, nodes.down::contains);
  }

  @Test
  void candidatesAreTheDataOwningMembers() {
    RingState four = ring(4);
    List<Member> members = new ArrayList<>(four.members());
    members.set(3, members.get(3).withState(MemberState.REMOVED));
    RingState removed = four.withMembers(members, node(1), 2000, new ColumnPlacement());

    assertEquals(List.of(node(1), node(2), node(3), node(4)), RingGossip.candidates(four));
    assertEquals(List.of(node(1), node(2), node(3)), RingGossip.candidates(removed));
  }

  @Test
  void aNodeIsWrittenOnlyWhenItHoldsNoRingOrAnother() {
    RingState old = ring(3);
    RingState next = reweighed(old, 2, 200, 1);

    assertTrue(RingGossip.needsWrite(Optional.empty(), next));
    assertTrue(RingGossip.needsWrite(Optional.of(old), next));
    assertFalse(RingGossip.needsWrite(Optional.of(next), next));
  }

  @Test
  void aRoundLearnsTheNodesNewerRingWithoutWriting() throws SQLException {
    RingState old = ring(3);
    RingState next = reweighed(old, 2, 200, 1);
    nodes.stored.put(node(1), next);
    AtomicReference<RingState> local = new AtomicReference<>(old);

    assertTrue(gossip(local, SECOND).exchange(node(1)));

    assertEquals(next, local.get());
    assertEquals(0, nodes.stores);
    assertEquals(next.epoch(), nodes.beats.get(node(1)));
  }

  @Test
  void aRoundWritesOurNewerRingToANodeBehindOrEmpty() throws SQLException {
    RingState old = ring(3);
    RingState next = reweighed(old, 2, 200, 1);
    nodes.stored.put(node(1), old);
    RingGossip gossip = gossip(new AtomicReference<>(next), SECOND);

    assertTrue(gossip.exchange(node(1)));
    assertTrue(gossip.exchange(node(2)));

    assertEquals(next, nodes.stored.get(node(1)));
    assertEquals(next, nodes.stored.get(node(2)));
  }

  @Test
  void concurrentChangesMergeDeterministicallyOnBothSides() throws SQLException {
    RingState base = ring(3);
    RingState mine = reweighed(base, 2, 200, 1);
    RingState theirs = reweighed(base, 3, 300, 3);
    nodes.stored.put(node(1), theirs);
    AtomicReference<RingState> local = new AtomicReference<>(mine);

    assertTrue(gossip(local, SECOND).exchange(node(1)));

    assertEquals(mine.merge(theirs), local.get());
    assertEquals(theirs.merge(mine), nodes.stored.get(node(1)));
  }

  @Test
  void aConcurrentMergeIsLoggedOnceWithBothEpochs() throws SQLException {
    RingState base = ring(3);
    RingState mine = reweighed(reweighed(base, 2, 200, 1), 2, 210, 1); // epoch 3
    RingState theirs = reweighed(base, 3, 300, 3); // epoch 2
    nodes.stored.put(node(1), theirs);
    nodes.stored.put(node(2), theirs);
    RingGossip gossip = gossip(new AtomicReference<>(mine), SECOND);
    Logger log = Logger.getLogger(RingGossip.class.getName());
    List<LogRecord> records = new ArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(handler);
    try {
      gossip.exchange(node(1));
      gossip.exchange(node(2));
    } finally {
      log.removeHandler(handler);
    }

    List<LogRecord> resolved =
        records.stream().filter(r -> r.getMessage().contains("concurrent changes")).toList();
    assertEquals(1, resolved.size());
    List<Object> parameters = List.of(resolved.get(0).getParameters());
    assertEquals("3", parameters.get(0));
    assertEquals("2", parameters.get(2));
  }

  @Test
  void aLostCompareAndSetReadsAndMergesAgain() throws SQLException {
    RingState base = ring(3);
    RingState mine = reweighed(base, 2, 200, 1);
    RingState meanwhile = reweighed(base, 3, 300, 3);
    nodes.stored.put(node(1), base);
    nodes.racingWrite = meanwhile;
    AtomicReference<RingState> local = new AtomicReference<>(mine);

    assertTrue(gossip(local, SECOND).exchange(node(1)));

    assertEquals(2, nodes.stores);
    assertEquals(2, nodes.reads);
    assertEquals(mine.merge(meanwhile), nodes.stored.get(node(1)));
    assertEquals(mine.merge(meanwhile), local.get());
  }

  @Test
  void ringsOfTheSameClusterShareHistory() {
    RingState base = ring(3);
    RingState mine = reweighed(base, 2, 200, 1); // increments the creator's counter
    RingState theirs = reweighed(base, 3, 300, 3);

    assertTrue(RingGossip.sharesHistory(mine.version(), theirs.version()));
    assertTrue(RingGossip.sharesHistory(base.version(), mine.version()));
    assertTrue(RingGossip.sharesHistory(mine.version(), mine.version()));
  }

  @Test
  void aRingOfAnotherClusterIsNeitherMergedNorOverwritten() {
    RingState ours = ring(3);
    // Another cluster, created by a node at the same address one millisecond later.
    RingState foreign =
        RingState.create(
            List.of(Member.up(node(1), new HostId("h1"), 100)),
            new ReplicationFactor(1),
            4,
            node(1),
            1001,
            new ColumnPlacement());
    RingState unrelated =
        RingState.create(
            List.of(Member.up(node(9), new HostId("h9"), 100)),
            new ReplicationFactor(1),
            4,
            node(9),
            1000,
            new ColumnPlacement());
    nodes.stored.put(node(1), foreign);
    AtomicReference<RingState> local = new AtomicReference<>(ours);

    assertFalse(RingGossip.sharesHistory(ours.version(), foreign.version()));
    assertFalse(RingGossip.sharesHistory(ours.version(), unrelated.version()));
    SQLException e =
        assertThrows(SQLException.class, () -> gossip(local, SECOND).exchange(node(1)));

    assertEquals("ZY003", e.getSQLState());
    assertEquals(ours, local.get());
    assertEquals(foreign, nodes.stored.get(node(1)));
    assertEquals(0, nodes.stores);
  }

  @Test
  void theLeaseIsTenIntervalsAndAtLeastFiveSeconds() {
    assertEquals(Duration.ZERO, RingGossip.lease(Duration.ZERO));
    assertEquals(Duration.ofSeconds(5), RingGossip.lease(Duration.ofMillis(100)));
    assertEquals(Duration.ofSeconds(10), RingGossip.lease(SECOND));
    assertEquals(Duration.ofSeconds(30), RingGossip.lease(Duration.ofSeconds(3)));
  }

  @Test
  void whileTheLeaseHoldsAStatementRunsNoRound() throws SQLException {
    nodes.stored.put(node(1), ring(3));
    RingGossip gossip = gossip(new AtomicReference<>(ring(3)), SECOND);

    now.addAndGet(LEASE - 1);
    gossip.ensureFresh();

    assertEquals(0, nodes.opened);
  }

  @Test
  void anExpiredLeaseRunsOneRoundAndIsRenewed() throws SQLException {
    RingState old = ring(3);
    RingState next = reweighed(old, 2, 200, 1);
    for (int i = 1; i <= 3; i++) {
      nodes.stored.put(node(i), next);
    }
    nodes.down.addAll(List.of(node(1), node(2)));
    AtomicReference<RingState> local = new AtomicReference<>(old);
    RingGossip gossip = gossip(local, SECOND);

    now.addAndGet(LEASE);
    gossip.ensureFresh();
    assertEquals(next, local.get());
    int opened = nodes.opened;
    now.addAndGet(LEASE - 1);
    gossip.ensureFresh();

    assertEquals(opened, nodes.opened);
  }

  @Test
  void anExpiredLeaseWithNoNodeAnsweringFailsAsUnreachable() {
    nodes.down.addAll(List.of(node(1), node(2), node(3)));
    RingGossip gossip = gossip(new AtomicReference<>(ring(3)), SECOND);

    now.addAndGet(LEASE);
    SQLException e = assertThrows(SQLException.class, gossip::ensureFresh);

    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().contains("ring lease expired"), e.getMessage());
  }

  @Test
  void statementsWaitingOnAFailedRoundShareItsVerdict() {
    nodes.down.addAll(List.of(node(1), node(2), node(3)));
    RingGossip gossip = gossip(new AtomicReference<>(ring(3)), SECOND);
    now.addAndGet(LEASE);

    assertThrows(SQLException.class, gossip::ensureFresh);
    int opened = nodes.opened;
    // arrived before that round ended (the fake clock stood still): no round of its own
    SQLException shared = assertThrows(SQLException.class, gossip::ensureFresh);
    assertEquals(opened, nodes.opened);
    now.incrementAndGet();
    assertThrows(SQLException.class, gossip::ensureFresh);

    assertEquals("08001", shared.getSQLState());
    assertTrue(shared.getMessage().contains("ring lease expired"), shared.getMessage());
    assertEquals(opened * 2, nodes.opened);
  }

  @Test
  void withGossipOffThereIsNoLease() throws SQLException {
    nodes.down.addAll(List.of(node(1), node(2), node(3)));
    RingGossip gossip = gossip(new AtomicReference<>(ring(3)), Duration.ZERO);

    now.addAndGet(Duration.ofDays(365).toNanos());
    gossip.ensureFresh();

    assertEquals(0, nodes.opened);
  }

  @Test
  void aBackgroundRoundSkipsANodeThatDoesNotAnswer() {
    nodes.down.addAll(List.of(node(1), node(2), node(3)));
    RingGossip gossip = gossip(new AtomicReference<>(ring(3)), SECOND);

    gossip.runQuietly();

    assertEquals(1, nodes.opened);
  }

  @Test
  void roundsGoToNodesBelievedUpFirst() throws SQLException {
    nodes.down.addAll(List.of(node(1), node(2)));
    RingGossip gossip = gossip(new AtomicReference<>(ring(3)), SECOND);

    for (int i = 0; i < 20; i++) {
      gossip.runQuietly();
    }
    now.addAndGet(LEASE);
    gossip.ensureFresh();

    assertEquals(21, nodes.opened);
    assertEquals(Set.of(node(3)), nodes.beats.keySet());
  }

  @Test
  void publishStoresOnEveryNodeThatAnswers() {
    RingState old = ring(3);
    RingState next = reweighed(old, 2, 200, 1);
    nodes.stored.put(node(1), old);
    nodes.down.add(node(3));
    AtomicReference<RingState> local = new AtomicReference<>(old);

    assertEquals(2, gossip(local, SECOND).publish(next));

    assertEquals(next, local.get());
    assertEquals(next, nodes.stored.get(node(1)));
    assertEquals(next, nodes.stored.get(node(2)));
  }

  @Test
  void behindFailsAsUnreachableWhenNoNodeAnswers() {
    nodes.down.addAll(List.of(node(1), node(2), node(3)));
    RingGossip gossip = gossip(new AtomicReference<>(ring(3)), SECOND);

    SQLException e = assertThrows(SQLException.class, () -> gossip.behind(1, SECOND));

    assertEquals("08001", e.getSQLState());
  }

  @Test
  void behindReadsTheHeartbeatsOfTheNodes() throws SQLException {
    RingState old = ring(3);
    RingState next = reweighed(old, 2, 200, 1);
    nodes.stored.put(node(1), old);
    RingGossip stale = gossip(new AtomicReference<>(old), SECOND);
    RingGossip fresh = gossip(new AtomicReference<>(next), SECOND);
    stale.exchange(node(2));

    SortedSet<String> before = fresh.behind(next.epoch(), SECOND);
    fresh.exchange(node(1));
    stale.exchange(node(1)); // learns next from node 1

    assertEquals(Set.of(stale.id()), before);
    assertEquals(Set.of(), fresh.behind(next.epoch(), SECOND));
  }

  /** Nodes in memory: a ring and heartbeats per node; nodes in {@link #down} refuse with 08001. */
  private static final class FakeNodes implements RingGossip.Nodes {
    final Map<NodeId, RingState> stored = new HashMap<>();
    final Map<NodeId, Long> beats = new HashMap<>();
    final Map<NodeId, Map<String, Long>> heartbeats = new HashMap<>();
    final Set<NodeId> down = new HashSet<>();

    /** Stored by another writer just before the next compare-and-set, which then loses. */
    RingState racingWrite;

    int opened;
    int reads;
    int stores;

    @Override
    public RingGossip.Node open(NodeId node) throws SQLException {
      opened++;
      if (down.contains(node)) {
        throw new SQLException("Connection to " + node + " refused", "08001");
      }
      return new FakeNode(node);
    }

    private final class FakeNode implements RingGossip.Node {
      private final NodeId node;

      FakeNode(NodeId node) {
        this.node = node;
      }

      @Override
      public Optional<RingState> read() {
        reads++;
        return Optional.ofNullable(stored.get(node));
      }

      @Override
      public boolean store(Optional<RingState> held, RingState next) {
        stores++;
        if (racingWrite != null) {
          stored.put(node, racingWrite);
          racingWrite = null;
        }
        RingState current = stored.get(node);
        boolean same =
            held.isEmpty()
                ? current == null
                : current != null && current.epoch() == held.get().epoch();
        if (same) {
          stored.put(node, next);
        }
        return same;
      }

      @Override
      public void beat(String id, long epoch) {
        beats.put(node, epoch);
        heartbeats.computeIfAbsent(node, n -> new HashMap<>()).put(id, epoch);
      }

      @Override
      public List<Heartbeat> heartbeats(Duration lease) {
        List<Heartbeat> rows = new ArrayList<>();
        heartbeats
            .getOrDefault(node, Map.of())
            .forEach((id, epoch) -> rows.add(new Heartbeat(id, epoch, Instant.EPOCH)));
        return rows;
      }

      @Override
      public void close() {}
    }
  }
}
