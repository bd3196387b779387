package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.CatalogLoader;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.ColumnPlacement;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.RingState;
import io.zynamo.ring.membership.Member;
import io.zynamo.ring.membership.MemberState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Adds and removes nodes online by moving buckets (issue 9), in three ring states, each published
 * to every node and waited on until every live client instance routes with it:
 *
 * <pre>
 *  begin   reads: old table, writes: old + new replicas   (RingState.beginMove)
 *          copy every moving bucket to its new replicas (anti-entropy over old + new replicas),
 *          group by group, then a pass that finds nothing to copy; hints for new replicas handed off
 *  switch  reads: new table, writes: new + old replicas   (RingState.switchMove)
 *  finish  reads and writes: new table only               (RingState.finishMove)
 *          each node deletes the rows of buckets it no longer holds
 * </pre>
 *
 * <p>Every step is derived from the ring alone, so the move survives a restart: an instance that
 * finds a ring with a move under way carries it on ({@link #resume}). Steps are idempotent (copying
 * is last-writer-wins; publishing a step is a compare-and-set on the epoch), so two instances
 * driving the same move do the same work twice at worst.
 */
final class BucketMover<B> implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BucketMover.class.getName());

  /** How long a move that failed waits before it tries again. */
  static final Duration RETRY = Duration.ofSeconds(5);

  /** Buckets copied per anti-entropy pass: the unit of progress and of pausing. */
  static final int GROUP = 16;

  /** Which client instances still route with a ring older than an epoch. */
  @FunctionalInterface
  interface Instances {
    List<String> behind(long epoch) throws SQLException;
  }

  /** Publishes a ring state to every node; how many stored it. */
  @FunctionalInterface
  interface Publisher {
    int publish(RingState next) throws SQLException;
  }

  private final Cluster cluster;
  private final AntiEntropy<B> copier;
  private final Instances instances;
  private final Publisher publisher;
  private final Clock clock;
  private final Duration poll;

  /** Rows per second the copy may average; 0: no limit. */
  private final int rate;

  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread t = new Thread(task, "zynamo-move");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean running = new AtomicBoolean();

  /** Leaving nodes already reported unreachable (once each, not once per pass). */
  private final java.util.Set<NodeId> warnedUnreachable =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final AtomicBoolean paused = new AtomicBoolean();
  private final AtomicReference<@Nullable MoveProgress> progress = new AtomicReference<>();
  private volatile boolean closed;

  /**
   * @param poll how long to wait between two looks at the instances or a paused move
   * @param rate rows per second the copy may average ({@code moveRate}); 0: no limit
   */
  BucketMover(
      Cluster cluster,
      AntiEntropy<B> copier,
      Instances instances,
      Publisher publisher,
      Clock clock,
      Duration poll,
      int rate) {
    if (rate < 0) {
      throw new IllegalArgumentException("rate: " + rate + " (expected: >= 0)");
    }
    this.rate = rate;
    this.cluster = requireNonNull(cluster, "cluster");
    this.copier = requireNonNull(copier, "copier");
    this.instances = requireNonNull(instances, "instances");
    this.publisher = requireNonNull(publisher, "publisher");
    this.clock = requireNonNull(clock, "clock");
    this.poll = requireNonNull(poll, "poll");
  }

  /** What {@code zynamo.add_node} or {@code zynamo.remove_node} started. */
  record Started(NodeId node, long epoch, int copies, int minimum, int buckets) {}

  /** {@code zynamo.add_node}: the node joins empty; its buckets are copied in the background. */
  Started add(NodeId node, io.zynamo.ring.HostId host, int weight) throws SQLException {
    RingState ring = requireNoMove();
    Optional<Member> existing = ring.member(node);
    if (existing.isPresent() && existing.get().state() != MemberState.REMOVED) {
      throw ZynamoErrors.create(
          ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "zynamo.add_node: " + node + " is already a member of the ring");
    }
    requireEmpty(node);
    List<Member> members = new ArrayList<>();
    ring.members().stream().filter(m -> !m.node().equals(node)).forEach(members::add);
    members.add(new Member(node, host, weight, MemberState.JOINING));
    return begin(ring, ring.beginMove(members, node, after(ring), new ColumnPlacement()), node);
  }

  /**
   * {@code zynamo.remove_node}: the node's buckets are copied to the others first. Refuses to leave
   * fewer replicas per bucket than now unless {@code force}.
   */
  Started remove(NodeId node, boolean force) throws SQLException {
    RingState ring = requireNoMove();
    Member leaving =
        ring.member(node)
            .filter(m -> m.state() == MemberState.UP)
            .orElseThrow(
                () ->
                    ZynamoErrors.create(
                        ZynamoSqlState.UNDEFINED_OBJECT,
                        "zynamo.remove_node: "
                            + node
                            + " is not a member of the ring (members: "
                            + ring.nodes()
                            + ")"));
    List<Member> members =
        ring.members().stream()
            .map(m -> m.equals(leaving) ? m.withState(MemberState.LEAVING) : m)
            .toList();
    if (members.stream().noneMatch(m -> m.state() == MemberState.UP)) {
      throw ZynamoErrors.create(
          ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "zynamo.remove_node: " + node + " is the last node of the ring");
    }
    RingState begun = ring.beginMove(members, node, after(ring), new ColumnPlacement());
    int before = ring.placement().columns();
    int after = requireNonNull(begun.moving()).columns();
    if (after < before && !force) {
      throw ZynamoErrors.create(
          ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "zynamo.remove_node: without "
              + node
              + " each bucket would have "
              + after
              + " replicas instead of "
              + before
              + " (N = "
              + ring.replication().value()
              + "); add a node first, or pass force => true");
    }
    return begin(ring, begun, node);
  }

  private RingState requireNoMove() throws SQLException {
    RingState ring = cluster.ring();
    if (ring.moving() != null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "a move is under way (ring epoch "
              + ring.epoch()
              + "): wait for it to finish (SELECT * FROM zynamo.moves)");
    }
    return ring;
  }

  /**
   * A joining node must hold no rows of a distributed table: rows left from an earlier membership
   * could be older than deletions whose tombstones were collected since.
   */
  private void requireEmpty(NodeId node) throws SQLException {
    // The first connection to a node without Zynamo's schema creates it, with the tables
    // (NodeRebuild); a node that answers with rows of its own is refused.
    try (Connection c = cluster.pools().connection(node)) {
      for (TableDistribution table : new CatalogLoader().load(c).all()) {
        if (MoveQueries.hasRows(c, table)) {
          throw ZynamoErrors.create(
              ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
              "zynamo.add_node: "
                  + node
                  + " holds rows of "
                  + table.table()
                  + " (a node joins empty: drop its data first)");
        }
      }
    } catch (SQLException e) {
      if (NodeFailures.isUnreachable(e)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
            "zynamo.add_node: " + node + " does not answer: " + e.getMessage(),
            e);
      }
      throw e;
    }
  }

  private Started begin(RingState ring, RingState begun, NodeId node) throws SQLException {
    if (publisher.publish(begun) == 0) {
      throw ZynamoErrors.create(
          ZynamoSqlState.RING_UNAVAILABLE,
          "no node stored the new ring state (epoch " + begun.epoch() + ")");
    }
    if (!sameTables(cluster.ring(), begun)) {
      throw ZynamoErrors.create(
          ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
          "the ring changed concurrently (epoch " + ring.epoch() + "): try again");
    }
    MoveCount count = MoveCount.of(begun);
    progress.set(
        MoveProgress.started(
                describe(begun, node), count.copies(), count.minimum(), count.buckets(), clock)
            .paused(paused.get()));
    resume();
    return new Started(node, begun.epoch(), count.copies(), count.minimum(), count.buckets());
  }

  private static String describe(RingState begun, NodeId node) {
    MemberState state = begun.member(node).map(Member::state).orElse(MemberState.UP);
    return (state == MemberState.JOINING ? "add " : "remove ") + node.value();
  }

  /** Carries on a move under way in the ring, on the mover's thread; nothing if none or running. */
  void resume() {
    if (cluster.ring().moving() == null || closed || !running.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(this::drive);
    } catch (RejectedExecutionException closing) {
      running.set(false);
    }
  }

  /** Pauses the copy after the group of buckets under way; true if it was running. */
  boolean pause() {
    MoveProgress p = progress.get();
    if (p != null) {
      progress.set(p.paused(true));
    }
    return !paused.getAndSet(true);
  }

  /** Resumes a paused move. */
  void unpause() {
    paused.set(false);
    MoveProgress p = progress.get();
    if (p != null) {
      progress.set(p.paused(false));
    }
    resume();
  }

  /** The move under way or the last one of this instance. */
  Optional<MoveProgress> progress() {
    return Optional.ofNullable(progress.get());
  }

  /**
   * Drives the ring's move to its end; after a failure (a node unreachable at a step, a refused
   * statement) it tries again after {@link #RETRY}, as long as the instance is open.
   */
  private void drive() {
    try {
      while (!closed && cluster.ring().moving() != null) {
        try {
          driveOnce();
        } catch (SQLException | RuntimeException e) {
          LOG.log(
              System.Logger.Level.WARNING,
              "bucket move stopped; trying again in " + RETRY.toSeconds() + " s",
              e);
          update(p -> p.failed(e.getMessage()));
          TimeUnit.MILLISECONDS.sleep(RETRY.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      running.set(false);
    }
  }

  /** Takes the ring's move one step at a time until it is done. */
  private void driveOnce() throws SQLException, InterruptedException {
    while (!closed) {
      RingState ring = cluster.ring();
      if (ring.moving() == null) {
        return;
      }
      if (progress.get() == null || progress.get().isFinished()) {
        MoveCount count = MoveCount.of(ring);
        progress.set(
            MoveProgress.started(
                    "resumed at epoch " + ring.epoch(),
                    count.copies(),
                    count.minimum(),
                    count.buckets(),
                    clock)
                .paused(paused.get()));
      }
      awaitInstances(ring.epoch());
      NodeId claimant = ring.nodes().get(0);
      if (readsOldTable(ring)) {
        copy(ring);
        step(ring, ring.switchMove(claimant, after(ring)), "switched reads");
      } else {
        // Hints a leaving node took as a coordinator before the switch go out while it is
        // still in the ring.
        cluster.hintedHandoff().run();
        RingState finished = ring.finishMove(claimant, after(ring));
        step(ring, finished, "finished");
        awaitInstances(finished.epoch());
        deleteOldCopies(
            finished,
            ring.members().stream()
                .filter(m -> m.state() == MemberState.LEAVING)
                .map(Member::node)
                .toList());
        update(p -> p.done(clock));
        return;
      }
    }
  }

  /**
   * The timestamp of a change to {@code ring}: one past the newest in its version, so that two
   * instances making the same step from the same state make the same state (gossip refuses two
   * states that share a (claimant, counter) with different timestamps: see {@link
   * RingGossip#sharesHistory}).
   */
  static long after(RingState ring) {
    return ring.version().entries().stream()
            .mapToLong(io.zynamo.ring.clock.VectorClock.Entry::timestamp)
            .max()
            .orElse(0)
        + 1;
  }

  /**
   * Whether the ring in force has the tables of {@code published}: a concurrent change by another
   * instance may have won the merge instead.
   */
  private static boolean sameTables(RingState ring, RingState published) {
    return ring.placement().equals(published.placement())
        && java.util.Objects.equals(ring.moving(), published.moving())
        && ring.members().equals(published.members());
  }

  /** Before the switch: joining members, or leaving ones still in the table reads use. */
  static boolean readsOldTable(RingState ring) {
    return ring.members().stream()
        .anyMatch(
            m ->
                m.state() == MemberState.JOINING
                    || (m.state() == MemberState.LEAVING && ring.placement().contains(m.node())));
  }

  private void step(RingState from, RingState next, String what) throws SQLException {
    publisher.publish(next);
    if (!sameTables(cluster.ring(), next)) {
      throw ZynamoErrors.create(
          ZynamoSqlState.RING_UNAVAILABLE,
          "the move could not publish epoch " + next.epoch() + " (from " + from.epoch() + ")");
    }
    LOG.log(System.Logger.Level.INFO, "bucket move: {0} at epoch {1}", what, next.epoch());
    update(p -> p.phase(what));
  }

  /**
   * Copies the moving buckets, {@link #GROUP} at a time, then passes over all of them until one
   * copies nothing and reaches every replica; then hands off the hints waiting for the new
   * replicas.
   */
  private void copy(RingState ring) throws SQLException, InterruptedException {
    update(p -> p.phase("copying"));
    List<BucketId> buckets = new ArrayList<>(ring.movingBuckets());
    long started = System.nanoTime();
    long rows = 0;
    for (int i = 0; i < buckets.size(); i += GROUP) {
      awaitUnpaused();
      List<BucketId> group = buckets.subList(i, Math.min(buckets.size(), i + GROUP));
      RepairReport r = copyUntilComplete(group);
      update(p -> p.copied(group.size(), r.rowsRepaired()));
      rows += r.rowsRepaired();
      TimeUnit.NANOSECONDS.sleep(slowDown(rate, rows, System.nanoTime() - started));
    }
    update(p -> p.phase("verifying"));
    for (int round = 0; ; round++) {
      awaitUnpaused();
      cluster.hintedHandoff().run();
      RepairReport r = copyUntilComplete(buckets);
      boolean hintsLeft = hintsFor(ring);
      if (r.rowsRepaired() == 0 && !hintsLeft) {
        return;
      }
      update(p -> p.copied(0, r.rowsRepaired()));
      LOG.log(
          System.Logger.Level.INFO,
          "bucket move: verify round {0} repaired {1} rows, hints left: {2}",
          round,
          r.rowsRepaired(),
          hintsLeft);
      TimeUnit.MILLISECONDS.sleep(poll.toMillis());
    }
  }

  /**
   * One copy pass over {@code group}, again until every replica of it answered, but for leaving
   * nodes: a node removed because it is dead gives nothing more (a write only it took is lost, as
   * with any replica lost for good).
   */
  private RepairReport copyUntilComplete(List<BucketId> group)
      throws SQLException, InterruptedException {
    while (true) {
      RepairReport r = copier.run(RepairScope.moving(java.util.Set.copyOf(group)), false);
      RingState ring = cluster.ring();
      List<NodeId> missing =
          r.unreachable().stream()
              .filter(
                  n ->
                      ring.member(n).map(Member::state).orElse(MemberState.UP)
                          != MemberState.LEAVING)
              .toList();
      if (missing.isEmpty() && (r.bucketsSkipped() == 0 || !r.unreachable().isEmpty())) {
        if (!r.unreachable().isEmpty() && warnedUnreachable.addAll(r.unreachable())) {
          LOG.log(
              System.Logger.Level.WARNING,
              "bucket move: leaving node(s) {0} unreachable, copied from the other replicas",
              r.unreachable());
        }
        return r;
      }
      update(p -> p.waiting("replicas unreachable: " + r.unreachable()));
      TimeUnit.MILLISECONDS.sleep(poll.toMillis());
      awaitUnpaused();
    }
  }

  /**
   * How long to wait so that {@code rows} copied in {@code elapsed} nanoseconds average at most
   * {@code rate} rows per second (0: no limit).
   */
  static long slowDown(int rate, long rows, long elapsed) {
    if (rate == 0) {
      return 0;
    }
    long due = rows * 1_000_000_000L / rate;
    return Math.max(0, due - elapsed);
  }

  /**
   * Whether a node keeps hints for a node of the move's new table (hints for a leaving node that
   * does not answer never go out; they are dropped at the finish).
   */
  private boolean hintsFor(RingState ring) {
    java.util.Set<String> targets = new java.util.HashSet<>();
    for (NodeId n : requireNonNull(ring.moving()).nodes()) {
      targets.add(n.value());
    }
    return cluster.hintBacklog().stream()
        .anyMatch(b -> b.hints() > 0 && targets.contains(b.owner()));
  }

  private void awaitUnpaused() throws InterruptedException {
    while (paused.get() && !closed) {
      TimeUnit.MILLISECONDS.sleep(poll.toMillis());
    }
  }

  /**
   * Waits until no statement of this instance and no other live client instance routes with a ring
   * older than {@code epoch}.
   */
  private void awaitInstances(long epoch) throws SQLException, InterruptedException {
    while (!closed) {
      List<String> behind = new ArrayList<>(instances.behind(epoch));
      if (cluster.epochs().oldestInUse(cluster.ring().epoch()) < epoch) {
        behind.add("this instance"); // also when gossip is off
      }
      if (behind.isEmpty()) {
        return;
      }
      update(p -> p.waiting(behind + " behind epoch " + epoch));
      TimeUnit.MILLISECONDS.sleep(poll.toMillis());
    }
  }

  /**
   * After the finish: every node deletes the rows and tombstones of the buckets it no longer holds
   * (all of them on the nodes this move removed), without capturing them as changes; the hints kept
   * for the removed nodes are dropped.
   */
  private void deleteOldCopies(RingState ring, List<NodeId> removed) throws SQLException {
    update(p -> p.phase("deleting old copies"));
    List<NodeId> nodes = new ArrayList<>(ring.nodes());
    nodes.addAll(removed);
    for (NodeId node : nodes) {
      SortedSet<BucketId> held =
          ring.placement().contains(node)
              ? ring.placement().bucketsOf(node)
              : java.util.Collections.emptySortedSet();
      try (Connection c = cluster.pools().connection(node)) {
        long deleted = MoveQueries.deleteOtherBuckets(c, held, !ring.placement().contains(node));
        if (deleted > 0) {
          LOG.log(System.Logger.Level.INFO, "bucket move: {0} deleted {1} old rows", node, deleted);
        }
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "bucket move: {0} unreachable, its old copies stay: {1}",
            node,
            e.getMessage());
      }
    }
    for (NodeId node : ring.nodes()) {
      try (Connection c = cluster.pools().connection(node)) {
        for (NodeId gone : removed) {
          MoveQueries.dropHintsFor(c, gone.value());
        }
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
      }
    }
  }

  private void update(java.util.function.UnaryOperator<MoveProgress> change) {
    progress.updateAndGet(p -> p == null ? null : change.apply(p));
  }

  @Override
  public void close() {
    closed = true;
    thread.shutdownNow();
  }
}
