package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.catalog.ClusterBootstrap;
import io.zynamo.driver.catalog.RingStore;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.ColumnPlacement;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.Placement;
import io.zynamo.ring.ReplicationFactor;
import io.zynamo.ring.RingState;
import io.zynamo.ring.clock.HybridLogicalClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Everything one driver instance shares for one cluster: the node pools and what it believes about
 * each node's health (with the thread that probes nodes believed down), the current ring (one
 * immutable snapshot, replaced whole, kept fresh by {@link RingGossip} and its lease), the threads
 * that call replicas, and the hybrid clock that stamps row versions.
 */
public final class Cluster implements AutoCloseable {

  private final NodePools pools;
  private final NodeHealth health;
  private final ScheduledExecutorService probes;
  private final AtomicReference<RingState> ring;
  private final RingEpochs epochs;
  private final ExecutorService replicaThreads;
  private final ReplicaCalls calls;
  private final HybridLogicalClock clock;
  private final ScheduledExecutorService recoveries =
      Executors.newSingleThreadScheduledExecutor(daemonThreads("zynamo-recovery-"));
  private final TwoPhaseRecovery recovery = new TwoPhaseRecovery(this);

  /** Background anti-entropy passes: one thread, started by {@link #repairEvery}. */
  private final ScheduledExecutorService repairs =
      Executors.newSingleThreadScheduledExecutor(daemonThreads("zynamo-repair-"));

  /** Held by the running anti-entropy pass: one at a time per cluster. */
  private final ReentrantLock repairing = new ReentrantLock();

  /** The running or last anti-entropy pass; null before the first. */
  private final AtomicReference<@Nullable RepairReport> lastRepair = new AtomicReference<>();

  /** Statement timeouts: one thread, started by the first timeout set. */
  private final ScheduledExecutorService timeouts =
      Executors.newSingleThreadScheduledExecutor(daemonThreads("zynamo-timeout-"));

  private final ClusterSequences sequences;

  /** Ring gossip rounds: one thread, started by {@link #open} unless gossipInterval is 0. */
  private final ScheduledExecutorService gossips =
      Executors.newSingleThreadScheduledExecutor(daemonThreads("zynamo-gossip-"));

  private final RingGossip gossip;

  private Cluster(
      NodePools pools,
      NodeHealth health,
      ScheduledExecutorService probes,
      AtomicReference<RingState> ring,
      Duration timeout,
      Clock wall,
      int sequenceCache,
      Duration gossipInterval,
      Duration gossipTimeout) {
    this.pools = pools;
    this.health = health;
    this.probes = probes;
    this.ring = ring;
    this.epochs = new RingEpochs(ring.get().epoch());
    this.replicaThreads = Executors.newCachedThreadPool(daemonThreads("zynamo-replica-"));
    this.calls = new ReplicaCalls(replicaThreads, timeout, health::broken);
    this.clock = new HybridLogicalClock(wall);
    this.sequences = new ClusterSequences(this, sequenceCache);
    this.gossip =
        new RingGossip(
            ring,
            new NodeRings(pools, gossipTimeout),
            gossipInterval,
            new Random(),
            System::nanoTime,
            node -> health.state(node) != NodeHealth.State.UP,
            () -> epochs.oldestInUse(ring.get().epoch()));
  }

  /**
   * Connects to the seeds of a URL and learns (or, on an empty cluster, creates) the ring.
   *
   * @param installer installs the {@code zynamo} schema on a node that lacks it
   */
  public static Cluster open(ZynamoUrl url, ClusterBootstrap.SchemaInstaller installer, Clock wall)
      throws SQLException {
    requireNonNull(url, "url");
    // Until the ring is known, every node may be some bucket's last hope: none is skipped.
    AtomicReference<RingState> ring = new AtomicReference<>();
    NodeHealth health =
        new NodeHealth(
            new NodeHealth.Settings(
                url.downAfterFailures(), url.probeInterval(), url.downRetryInterval()),
            wall,
            (node, down) -> ring.get() == null || isLastHope(ring.get().placement(), node, down));
    NodePools pools =
        new NodePools(
            new NodePools.Settings(
                user(url),
                url.password().orElse(null),
                nodeProperties(url),
                url.poolSize(),
                url.connectTimeout()),
            health);
    ScheduledExecutorService probes =
        Executors.newSingleThreadScheduledExecutor(daemonThreads("zynamo-probe-"));
    try {
      ring.set(
          new ClusterBootstrap(
                  pools::connection, installer, new RingStore(), new ColumnPlacement(), wall)
              .load(url.seedNodes(), new ReplicationFactor(url.replicas()), url.bucketBits()));
      quorums(url, ring.get());
      Duration timeout =
          url.socketTimeout().isZero() ? Duration.ofSeconds(30) : url.socketTimeout();
      startProbes(probes, health, pools, url);
      Cluster cluster =
          new Cluster(
              pools,
              health,
              probes,
              ring,
              timeout.plus(url.connectTimeout()),
              wall,
              url.sequenceCache(),
              url.gossipInterval(),
              // a round's connection: at most connectTimeout for each step, 5 s when unlimited
              url.connectTimeout().isZero() ? Duration.ofSeconds(5) : url.connectTimeout());
      cluster.startRecovery(url.recoveryInterval());
      cluster.startGossip(url.gossipInterval());
      return cluster;
    } catch (SQLException | RuntimeException e) {
      probes.shutdownNow();
      pools.close();
      throw e;
    }
  }

  /**
   * Whether skipping {@code node} would leave one of its buckets without any replica believed up:
   * then requests try it anyway, so that a wrong detector never makes a bucket unreachable.
   */
  static boolean isLastHope(Placement placement, NodeId node, Set<NodeId> down) {
    for (BucketId bucket : placement.bucketsOf(node)) {
      if (placement.replicas(bucket).stream().allMatch(r -> r.equals(node) || down.contains(r))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Probes the nodes believed down every probe interval, each within the interval or the connect
   * timeout, whichever is shorter; one after another on one daemon thread.
   */
  private static void startProbes(
      ScheduledExecutorService probes, NodeHealth health, NodePools pools, ZynamoUrl url) {
    Duration interval = url.probeInterval();
    Duration timeout =
        url.connectTimeout().isZero() || url.connectTimeout().compareTo(interval) > 0
            ? interval
            : url.connectTimeout();
    long millis = interval.toMillis();
    // Cancelled by shutdownNow() in close(); probeDown catches each probe's failure, so a failed
    // probe never ends the schedule.
    var unused =
        probes.scheduleWithFixedDelay(
            () -> health.probeDown(node -> pools.probe(node, timeout)),
            millis,
            millis,
            TimeUnit.MILLISECONDS);
  }

  /**
   * pgjdbc properties of node connections: the URL's pass-through ones, plus our connect and socket
   * timeouts in pgjdbc's terms, so that opening a connection and each read from a node are bounded
   * as documented for the URL (not by pgjdbc's own defaults).
   */
  private static Properties nodeProperties(ZynamoUrl url) {
    Properties properties = url.passThrough();
    properties.setProperty("connectTimeout", Long.toString(url.connectTimeout().toSeconds()));
    properties.setProperty("socketTimeout", Long.toString(url.socketTimeout().toSeconds()));
    return properties;
  }

  /** The user on the nodes: the URL's, else the operating-system user, as pgjdbc defaults. */
  static String user(ZynamoUrl url) {
    return url.user().orElse(System.getProperty("user.name"));
  }

  /**
   * R and W of a connection to this cluster: checked against the ring's real replica count, not
   * only the URL's N; when not given, the defaults capped at that count (a 1-node cluster reads and
   * writes with R = W = 1).
   */
  public Quorums quorums(ZynamoUrl url) throws SQLException {
    return quorums(url, ring());
  }

  private static Quorums quorums(ZynamoUrl url, RingState ring) throws SQLException {
    int replicas = ring.placement().columns();
    int read = url.readQuorum(replicas);
    int write = url.writeQuorum(replicas);
    if (read > replicas || write > replicas) {
      throw ZynamoErrors.invalidValue(
          "readQuorum/writeQuorum",
          read + "/" + write,
          "at most the ring's " + replicas + " replicas per bucket");
    }
    return new Quorums(read, write, url.sloppyQuorum());
  }

  /**
   * A connection's read and write quorums, and whether stand-ins may make up the write quorum
   * ({@code sloppyQuorum}).
   */
  public record Quorums(int read, int write, boolean sloppy) {}

  /**
   * Runs two-phase commit recovery now, then every interval (none when zero), on a daemon thread of
   * its own: a pass may wait a moment for a decision that a live commit is still making.
   */
  private void startRecovery(Duration interval) {
    if (interval.isZero()) {
      return;
    }
    long millis = interval.toMillis();
    // Cancelled by shutdownNow() in close(); runQuietly() never lets a failure end the schedule.
    var unused =
        recoveries.scheduleWithFixedDelay(recovery::runQuietly, 0, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs a ring gossip round now, then every interval (none when zero), on a daemon thread of its
   * own, so that a node slow to answer delays neither probes nor recovery.
   */
  private void startGossip(Duration interval) {
    if (interval.isZero()) {
      return;
    }
    long millis = interval.toMillis();
    // Cancelled by shutdownNow() in close(); runQuietly() never lets a failure end the schedule.
    var unused =
        gossips.scheduleWithFixedDelay(gossip::runQuietly, 0, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Fails instead of routing with a ring no gossip round confirmed within the lease (10
   * gossipIntervals, at least 5 s): returns at once while the lease holds, else runs a round now.
   *
   * @throws SQLException 08001 when the lease expired and no node answers
   */
  public void ensureFreshRing() throws SQLException {
    gossip.ensureFresh();
  }

  /**
   * Installs {@code next} here (merged with the current ring) and stores it on every member node
   * that answers, merging with what a node holds; returns how many nodes hold it now.
   */
  public int publish(RingState next) {
    return gossip.publish(next);
  }

  /**
   * The ids of the driver and proxy instances (this one included) that routed statements with a
   * ring older than {@code epoch} within {@code lease}, by the heartbeats in {@code
   * zynamo.instances} of every member node that answers.
   *
   * @throws SQLException 08001 when no node answers
   */
  public java.util.SortedSet<String> instancesBehind(long epoch, Duration lease)
      throws SQLException {
    return gossip.behind(epoch, requireNonNull(lease, "lease"));
  }

  /** This instance's id in {@code zynamo.instances}. */
  public String instanceId() {
    return gossip.id();
  }

  /** One recovery pass, now, on the caller's thread ({@code SELECT zynamo.recover()}). */
  TwoPhaseRecovery.Result recover() {
    return recovery.run();
  }

  /** Asks for a recovery pass shortly (a commit left a prepared transaction behind). */
  void recoverSoon() {
    try {
      var unused = recoveries.schedule(recovery::runQuietly, 1, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // The cluster is closing: the next instance's first pass recovers.
    }
  }

  /**
   * Runs an anti-entropy pass every interval (none when zero), the first one interval after this
   * call, on a daemon thread of its own; each pass starts an interval after the previous one ended,
   * so passes never overlap and a slow pass slows the schedule down rather than piling up.
   */
  void repairEvery(Duration interval, Runnable pass) {
    if (interval.isZero()) {
      return;
    }
    long millis = interval.toMillis();
    // Cancelled by shutdownNow() in close(); the pass logs its own failures.
    var unused = repairs.scheduleWithFixedDelay(pass, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code pass} once, soon, on the background repair thread (after a running pass); nothing
   * once the cluster is closing.
   */
  void repairSoon(Runnable pass) {
    try {
      repairs.execute(pass);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // close() shut the thread down: the node's repair waits for the next instance or a call
    }
  }

  /** Adds and removes nodes (none until {@link #moveWith}). */
  private volatile @Nullable BucketMover<?> mover;

  /** Keeps the mover of this cluster and carries on a move the ring has under way. */
  void moveWith(BucketMover<?> bucketMover) {
    this.mover = bucketMover;
    bucketMover.resume();
  }

  /** This instance's move under way or its last one; empty before the first or without a mover. */
  java.util.Optional<MoveProgress> moveProgress() {
    BucketMover<?> m = mover;
    return m == null ? java.util.Optional.empty() : m.progress();
  }

  /** The mover of this cluster; fails when none was set up. */
  BucketMover<?> mover() throws SQLException {
    BucketMover<?> m = mover;
    if (m == null) {
      throw ZynamoErrors.notSupportedYet(
          "adding or removing nodes on this cluster (no node schema)");
    }
    return m;
  }

  /** Hands off hints (none until {@link #handOffEvery}). */
  private volatile @Nullable HintedHandoff handoff;

  /**
   * Keeps {@code handoff} for {@link #hintedHandoff} and runs a pass every interval (none when
   * zero), on the recovery thread.
   */
  void handOffEvery(Duration interval, HintedHandoff handoff) {
    this.handoff = handoff;
    if (interval.isZero()) {
      return;
    }
    long millis = interval.toMillis();
    // Cancelled by shutdownNow() in close(); runQuietly() never lets a failure end the schedule.
    var unused =
        recoveries.scheduleWithFixedDelay(
            handoff::runQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** The hinted handoff of this cluster; fails when none was set up. */
  HintedHandoff hintedHandoff() throws SQLException {
    HintedHandoff h = handoff;
    if (h == null) {
      throw ZynamoErrors.notSupportedYet("hinted handoff on this cluster (no node schema)");
    }
    return h;
  }

  /** The hints every reachable node keeps; none when no hinted handoff was set up. */
  List<HintedHandoff.Backlog> hintBacklog() {
    HintedHandoff h = handoff;
    return h == null ? List.of() : h.backlog();
  }

  ReentrantLock repairing() {
    return repairing;
  }

  void reportRepair(RepairReport report) {
    lastRepair.set(report);
  }

  /** The running or last anti-entropy pass of this instance; empty before the first. */
  public java.util.Optional<RepairReport> lastRepair() {
    return java.util.Optional.ofNullable(lastRepair.get());
  }

  /** The threads that call replicas in parallel. */
  java.util.concurrent.Executor replicaThreads() {
    return replicaThreads;
  }

  /** The current ring snapshot. */
  public RingState ring() {
    return ring.get();
  }

  /**
   * Nodes being added to the ring (in the target table of a move, not yet in the one reads use): a
   * write to a reference table reaches them too, without counting towards W.
   */
  List<NodeId> joining() {
    RingState r = ring();
    if (r.moving() == null) {
      return List.of();
    }
    return r.nodes().stream().filter(n -> !r.placement().contains(n)).toList();
  }

  /** Installs a newer ring snapshot; an older or equal one is ignored. */
  public void offer(RingState newer) {
    ring.accumulateAndGet(newer, RingState::merge);
  }

  /** The ring epochs this instance's statements run with. */
  RingEpochs epochs() {
    return epochs;
  }

  public NodePools pools() {
    return pools;
  }

  /** This instance's blocks of cluster-unique sequence values. */
  ClusterSequences sequences() {
    return sequences;
  }

  /** A connection to the first node, in ring order, that accepts one. */
  public Connection anyConnection() throws SQLException {
    SQLException first = null;
    for (NodeId node : ring().placement().nodes()) {
      try {
        return pools.connection(node);
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "no node is reachable", first);
  }

  /** A question to one node, on a connection it is given. */
  @FunctionalInterface
  interface NodeRead<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * A read every node answers alike (the table catalog), on the first node, in ring order, that
   * answers: one that turns out unreachable (e.g. a pooled connection its server closed) hands over
   * to the next; any other error is the answer, naming the node.
   */
  <T> T readAnyNode(NodeRead<T> read) throws SQLException {
    SQLException first = null;
    for (NodeId node : ring().placement().nodes()) {
      try (Connection c = pools.connection(node)) {
        return read.run(c);
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "no node is reachable", first);
  }

  /**
   * The stand-ins a write of {@code bucket} may leave hints on when fewer than W of its replicas
   * take it (sloppy quorum), in the order to try them.
   */
  StandIns standIns(BucketId bucket, List<NodeId> replicas) {
    return StandIns.of(ring().placement().nodes(), bucket, replicas, health);
  }

  /** What this driver instance believes about each node's health. */
  public NodeHealth health() {
    return health;
  }

  public ReplicaCalls calls() {
    return calls;
  }

  public HybridLogicalClock clock() {
    return clock;
  }

  /**
   * Runs {@code task} once after {@code delay} (a statement timeout); cancel the future to stop.
   */
  public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
    return timeouts.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    BucketMover<?> m = mover;
    if (m != null) {
      m.close();
    }
    probes.shutdownNow();
    gossips.shutdownNow();
    recoveries.shutdownNow();
    repairs.shutdownNow();
    timeouts.shutdownNow();
    replicaThreads.shutdown();
    pools.close();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
