package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.InstanceStore.Heartbeat;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.RingState;
import io.zynamo.ring.clock.Causality;
import io.zynamo.ring.clock.VectorClock;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Gossips this instance's ring with the copies stored on the nodes (instances never talk to each
 * other: the nodes are the medium), keeps this instance's heartbeat on them, and holds the ring
 * lease.
 *
 * <p>A round with one node:
 *
 * <ol>
 *   <li>read the node's ring and merge it into ours (by vector clock; concurrent states resolve
 *       deterministically, see {@link RingState#merge}, and are logged);
 *   <li>unless the node already holds exactly the merged ring, store it there by compare-and-set on
 *       the node's epoch; on a lost race read again, merge again, up to {@link #MAX_ATTEMPTS}
 *       times;
 *   <li>upsert this instance's row in {@code zynamo.instances} with the epoch of the merged ring.
 * </ol>
 *
 * <p>The compare-and-set is on the epoch, so a writer whose merged ring has the same epoch as the
 * one it replaced may overwrite a concurrent writer's ring of that epoch. Nothing is lost for good:
 * the overwritten instance still holds its ring and stores it again on its next rounds.
 *
 * <p>The lease: a ring that no round confirmed for {@link #lease(Duration)} is not used to route;
 * {@link #ensureFresh} then runs a round first, trying nodes until one answers.
 */
final class RingGossip {

  /** The nodes' side (one seam, faked in tests): a session with one node, for one round. */
  @FunctionalInterface
  interface Nodes {
    Node open(NodeId node) throws SQLException;
  }

  /** One node's stored ring and heartbeats, over one connection. */
  interface Node extends AutoCloseable {
    /** The ring the node stores, if it has one. */
    Optional<RingState> read() throws SQLException;

    /**
     * Stores {@code next} if the node still holds {@code held} (by epoch; empty: no ring at all);
     * false when it holds another one by now.
     */
    boolean store(Optional<RingState> held, RingState next) throws SQLException;

    /** Upserts instance {@code id}'s heartbeat. */
    void beat(String id, long epoch) throws SQLException;

    /** The heartbeats the node saw within {@code lease}. */
    List<Heartbeat> heartbeats(Duration lease) throws SQLException;

    @Override
    void close() throws SQLException;
  }

  /** Reads and compare-and-sets per node and round before giving up on that node for the round. */
  static final int MAX_ATTEMPTS = 3;

  /** The shortest lease: a pause of the JVM or a slow node must not stop statements at once. */
  static final Duration MIN_LEASE = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(RingGossip.class.getName());

  private final AtomicReference<RingState> ring;
  private final Nodes nodes;
  private final Random random;
  private final LongSupplier nanos;
  private final LongSupplier inUse;
  private final Predicate<NodeId> believedDown;
  private final String id = UUID.randomUUID().toString();

  /** The lease in nanoseconds; 0: no lease (gossip off). */
  private final long leaseNanos;

  /** {@link System#nanoTime} until which the ring may be used without a round. */
  private volatile long leaseEnd;

  /** The last failure message warned about per node, so that a failing node warns once. */
  private final Map<NodeId, String> warned = new java.util.concurrent.ConcurrentHashMap<>();

  /** One round at a time, so that statements waiting on an expired lease share one round. */
  private final ReentrantLock rounds = new ReentrantLock();

  /** The last round a statement ran that found no node, and when it ended; guarded by rounds. */
  private @Nullable SQLException lastFailure;

  private long lastFailureEnd;

  RingGossip(
      AtomicReference<RingState> ring,
      Nodes nodes,
      Duration interval,
      Random random,
      LongSupplier nanos,
      Predicate<NodeId> believedDown) {
    this(ring, nodes, interval, random, nanos, believedDown, () -> ring.get().epoch());
  }

  /**
   * @param inUse the oldest ring epoch this instance's statements may still route with (its
   *     heartbeat reports it, so that a move waits for them, see {@link RingEpochs})
   */
  RingGossip(
      AtomicReference<RingState> ring,
      Nodes nodes,
      Duration interval,
      Random random,
      LongSupplier nanos,
      Predicate<NodeId> believedDown,
      LongSupplier inUse) {
    this.inUse = requireNonNull(inUse, "inUse");
    this.ring = requireNonNull(ring, "ring");
    this.nodes = requireNonNull(nodes, "nodes");
    this.random = requireNonNull(random, "random");
    this.nanos = requireNonNull(nanos, "nanos");
    this.believedDown = requireNonNull(believedDown, "believedDown");
    this.leaseNanos = lease(interval).toNanos();
    // No lease: an end about 146 years away, so that ensureFresh stays one comparison.
    this.leaseEnd = nanos.getAsLong() + (leaseNanos == 0 ? Long.MAX_VALUE / 2 : leaseNanos);
  }

  /** How long a confirmed ring may route: 10 gossip intervals, at least 5 s; zero when off. */
  static Duration lease(Duration interval) {
    if (interval.isZero()) {
      return Duration.ZERO;
    }
    Duration ten = interval.multipliedBy(10);
    return ten.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : ten;
  }

  /** This instance's id in {@code zynamo.instances}: random, one per cluster object. */
  String id() {
    return id;
  }

  /**
   * Returns at once while the lease holds (one volatile read); else runs a round now, trying the
   * nodes believed up first, in random order, until one answers. Statements that waited for another
   * statement's round share its outcome, so that with every node down they fail after one round
   * rather than one round each, in turn.
   *
   * @throws SQLException 08001 when no node answers
   */
  void ensureFresh() throws SQLException {
    long arrived = nanos.getAsLong();
    if (arrived - leaseEnd < 0) {
      return;
    }
    confirm(arrived);
  }

  private void confirm(long arrived) throws SQLException {
    rounds.lock();
    try {
      long started = nanos.getAsLong();
      if (started - leaseEnd < 0) {
        return; // another statement's round confirmed it meanwhile
      }
      SQLException failed = lastFailure;
      if (failed != null && lastFailureEnd - arrived >= 0) {
        // a round that ended after this statement arrived found no node: same verdict
        throw ZynamoErrors.create(
            ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
            failed.getMessage(),
            failed.getCause());
      }
      SQLException first = null;
      for (NodeId node : inTurn(candidates(ring.get()))) {
        try {
          exchange(node);
          renew(started);
          return;
        } catch (SQLException e) {
          first = first == null ? e : first;
        }
      }
      SQLException failure =
          ZynamoErrors.create(
              ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
              "ring lease expired (not confirmed for "
                  + Duration.ofNanos(started - leaseEnd + leaseNanos).toMillis()
                  + " ms, lease "
                  + Duration.ofNanos(leaseNanos).toMillis()
                  + " ms) and no node is reachable to confirm it: not routing with a possibly"
                  + " stale ring",
              first);
      lastFailure = failure;
      lastFailureEnd = nanos.getAsLong();
      throw failure;
    } finally {
      rounds.unlock();
    }
  }

  /**
   * One background round with one random node, among those the failure detector believes up when
   * there are any; a node that does not answer is skipped.
   */
  void runQuietly() {
    List<NodeId> candidates = inTurn(candidates(ring.get()));
    if (candidates.isEmpty()) {
      return;
    }
    NodeId node = candidates.get(0);
    rounds.lock();
    try {
      long started = nanos.getAsLong();
      exchange(node);
      renew(started);
    } catch (SQLException e) {
      // A node that does not answer is the failure detector's business; any other failure is
      // worth a warning, once per node and message (a misconfigured node fails every round).
      String message = String.valueOf(e.getMessage());
      boolean news = !NodeFailures.isUnreachable(e) && !message.equals(warned.put(node, message));
      LOG.log(
          news ? Level.WARNING : Level.DEBUG,
          "ring gossip with node {0} failed: {1}",
          node,
          message);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ring gossip with node " + node + " failed", e);
    } finally {
      rounds.unlock();
    }
  }

  private void renew(long started) {
    if (leaseNanos != 0) {
      leaseEnd = started + leaseNanos;
    }
  }

  /**
   * Merges {@code next} into this instance's ring and stores the result on every node that answers;
   * returns how many hold it (or a newer ring) now.
   */
  int publish(RingState next) {
    mergeIn(requireNonNull(next, "next"), "the published ring");
    long started = nanos.getAsLong();
    int stored = 0;
    for (NodeId node : candidates(ring.get())) {
      try {
        if (exchange(node)) {
          stored++;
        }
      } catch (SQLException e) {
        LOG.log(Level.DEBUG, "publishing the ring: node {0} skipped: {1}", node, e.getMessage());
      }
    }
    if (stored > 0) {
      renew(started);
    }
    return stored;
  }

  /**
   * One exchange with {@code node} (the round described above); true when the node holds our ring
   * afterwards, false when it kept changing under us {@link #MAX_ATTEMPTS} times.
   */
  boolean exchange(NodeId node) throws SQLException {
    try (Node session = nodes.open(node)) {
      Optional<RingState> held = session.read();
      boolean holdsOurs = false;
      for (int attempt = 1; attempt <= MAX_ATTEMPTS && !holdsOurs; attempt++) {
        RingState ours = learn(node, held);
        holdsOurs = !needsWrite(held, ours) || session.store(held, ours);
        if (!holdsOurs && attempt < MAX_ATTEMPTS) {
          held = session.read();
        }
      }
      beat(node, session);
      return holdsOurs;
    }
  }

  private RingState learn(NodeId node, Optional<RingState> held) throws SQLException {
    if (held.isEmpty()) {
      return ring.get();
    }
    RingState before = ring.get();
    if (!sharesHistory(before.version(), held.get().version())) {
      throw ZynamoErrors.create(
          ZynamoSqlState.RING_UNAVAILABLE,
          "node "
              + node
              + " holds a ring of another cluster (version "
              + held.get().version()
              + " shares no history with this instance's "
              + before.version()
              + "): not merged, node skipped");
    }
    return mergeIn(held.get(), "node " + node);
  }

  /**
   * Merges {@code incoming} into this instance's ring. A merge that resolves concurrent changes is
   * logged, once: the result descends both sides, so they never meet as concurrent again.
   */
  private RingState mergeIn(RingState incoming, String from) {
    RingState before = ring.get();
    RingState merged = ring.accumulateAndGet(incoming, RingState::merge);
    if (before.version().compare(incoming.version()) == Causality.CONCURRENT) {
      LOG.log(
          Level.INFO,
          "ring: concurrent changes resolved: epoch {0} {1} (this instance) and epoch {2} {3} ({4})"
              + " merged into epoch {5} {6}",
          Long.toString(before.epoch()),
          before.version(),
          Long.toString(incoming.epoch()),
          incoming.version(),
          from,
          Long.toString(merged.epoch()),
          merged.version());
    }
    return merged;
  }

  private void beat(NodeId node, Node session) throws SQLException {
    try {
      session.beat(id, inUse.getAsLong());
    } catch (SQLException e) {
      if (NodeFailures.isUnreachable(e)) {
        throw e;
      }
      // The ring exchange succeeded; a node without zynamo.instances (an older node schema) must
      // not cost the lease.
      LOG.log(Level.WARNING, "node {0}: heartbeat not stored: {1}", node, e.getMessage());
    }
  }

  /**
   * Whether two ring versions can belong to one cluster. Every ring of a cluster descends from the
   * one its first connection created, so their clocks share at least one node (nobody prunes ring
   * clocks); and one (node, counter) pair is one change, made once, with one timestamp. Rings of
   * two clusters whose nodes share an address (a port reused between test clusters, a server moved
   * to another cluster) fail this unless one node id created both in the same millisecond; merging
   * them would let the winner replace the other cluster's ring.
   */
  static boolean sharesHistory(VectorClock a, VectorClock b) {
    Map<NodeId, VectorClock.Entry> theirs = new HashMap<>();
    b.entries().forEach(e -> theirs.put(e.node(), e));
    boolean common = false;
    for (VectorClock.Entry mine : a.entries()) {
      VectorClock.Entry other = theirs.get(mine.node());
      if (other != null) {
        common = true;
        if (other.counter() == mine.counter() && other.timestamp() != mine.timestamp()) {
          return false;
        }
      }
    }
    return common;
  }

  /**
   * Whether the node must be sent {@code merged}: it holds no ring, or another one (older, or the
   * losing side of a concurrent change). {@code merged} descends what the node holds.
   */
  static boolean needsWrite(Optional<RingState> held, RingState merged) {
    return held.isEmpty() || !held.get().equals(merged);
  }

  /**
   * The nodes that gossip: the ring's data-owning members and the nodes of its placement, sorted.
   */
  static List<NodeId> candidates(RingState ring) {
    SortedSet<NodeId> nodes = new TreeSet<>(ring.placement().nodes());
    ring.members().stream().filter(m -> m.state().ownsData()).forEach(m -> nodes.add(m.node()));
    return List.copyOf(nodes);
  }

  /**
   * The nodes in the order to try them: random, but those believed down last, so that an outage of
   * some nodes costs rounds (and an expired lease) no connection attempt to them first.
   */
  private List<NodeId> inTurn(List<NodeId> nodes) {
    List<NodeId> order = new ArrayList<>(nodes);
    Collections.shuffle(order, random);
    order.sort(Comparator.comparing(believedDown::test)); // stable: false (up) first
    return order;
  }

  /**
   * The instances that routed with a ring older than {@code epoch} within {@code lease}, by the
   * heartbeats of every node that answers; this instance by its own ring.
   *
   * @throws SQLException 08001 when no node answers
   */
  SortedSet<String> behind(long epoch, Duration lease) throws SQLException {
    RingState current = ring.get();
    return InstancesBehind.read(nodes, candidates(current), epoch, lease, id, inUse.getAsLong());
  }
}
