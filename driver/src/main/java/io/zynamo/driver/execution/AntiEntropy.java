package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.CatalogLoader;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.RingState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Active anti-entropy (Dynamo section 4.7): makes every replica of every bucket hold the same rows
 * at the same versions, and the same deletions, by comparing hash trees computed on the nodes
 * ({@code 007-anti-entropy.sql}) and exchanging only the ranges that differ.
 *
 * <pre>
 *  per table, one query per node: (count, hash) of each bucket it holds
 *  per bucket whose replicas disagree, from the root range of row ids down:
 *    equal summaries on every replica         -> done
 *    at most LEAF_ROWS rows on every replica,
 *    or one replica empty (and not too many)  -> exchange: each replica lists the range's row
 *                                                states; ReadRepair picks the newest; the stale
 *                                                replicas get the newest images (zynamo.apply)
 *    otherwise                                -> the 16 children's summaries, recurse on those
 *                                                that differ
 * </pre>
 *
 * <p>Reconciling is last-writer-wins through {@code zynamo.apply}, so a pass racing with writes
 * never undoes one; deletions travel as tombstones. A replica that does not answer is left out and
 * reported; a bucket with fewer than two answering replicas is skipped; the pass fails only when
 * nothing at all could be compared. Reference tables are compared as one bucket held by every node.
 *
 * <p>Tombstones are garbage-collected by the pass ({@link TombstoneHorizon}): when every node of
 * the ring answered whether it keeps hints, in the ranges found equal on all replicas of their
 * bucket (never in one just exchanged) and in buckets with a single replica, for tables without
 * hints, older than the grace period.
 *
 * @param <B> a batch of row images
 */
final class AntiEntropy<B> {

  private static final System.Logger LOG = System.getLogger(AntiEntropy.class.getName());

  /** A range holding at most this many rows on every replica is exchanged, not split. */
  static final int LEAF_ROWS = 512;

  /** A range one replica lacks entirely is exchanged whole up to this many rows. */
  static final int EMPTY_RANGE_ROWS = 64 * LEAF_ROWS;

  /** A node that failed with a connection-class error during the pass. */
  private static final class Unreachable extends SQLException {
    private static final long serialVersionUID = 1L;
    private final transient NodeId node;

    Unreachable(NodeId node, SQLException cause) {
      super(cause.getMessage(), cause.getSQLState(), cause);
      this.node = node;
    }
  }

  private final Cluster cluster;
  private final StaleReplicas<B> stale;
  private final Clock clock;
  private final Duration grace;
  private final TombstoneCollector collector;
  private final CatalogLoader loader = new CatalogLoader();

  /**
   * @param grace how old a tombstone must be (by its version) before the pass may remove it
   */
  AntiEntropy(Cluster cluster, RowImages<B> images, Clock clock, Duration grace) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.stale = new StaleReplicas<>(cluster, images);
    this.clock = requireNonNull(clock, "clock");
    this.grace = requireNonNull(grace, "grace");
    this.collector = new TombstoneCollector(cluster);
  }

  /** One background pass: a failure is logged and never ends the schedule. */
  void runQuietly() {
    runQuietly(RepairScope.ALL);
  }

  /** One background pass over {@code scope}; a failure is logged. */
  void runQuietly(RepairScope scope) {
    try {
      RepairReport r = run(scope, false);
      if (r.rowsRepaired() > 0 || r.tombstonesRemoved() > 0 || !r.unreachable().isEmpty()) {
        LOG.log(System.Logger.Level.INFO, "anti-entropy pass: {0}", r);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "anti-entropy pass failed", e);
    }
  }

  /**
   * One pass, on the caller's thread; one pass at a time per cluster (a second caller waits).
   *
   * @param parallel ask every node for its bucket hashes at once (on demand), rather than one node
   *     after another (the background pass, gentler on the nodes)
   */
  RepairReport run(RepairScope scope, boolean parallel) throws SQLException {
    cluster.repairing().lock();
    try {
      RingState ring = cluster.ring();
      List<TableDistribution> tables = scope.tables(cluster.readAnyNode(loader::load));
      Instant started = clock.instant();
      RepairProgress progress = new RepairProgress(started, ring.nodes(), cluster::reportRepair);
      // Asked before any bucket is compared: a hint handed off later was applied before then.
      TombstoneHorizon horizon =
          scope.moving() != null || ring.moving() != null
              ? null // a move's copy step, or a pass during a move: collect nothing
              : collector.horizon(ring.nodes(), started, grace, progress).orElse(null);
      for (TableDistribution table : tables) {
        progress.table();
        repairTable(scope.replicas(ring, table), table, parallel, horizon, progress);
      }
      RepairReport report = progress.finish(clock.instant());
      if (progress.nothingCompared()) {
        throw ZynamoErrors.create(
            ZynamoSqlState.QUORUM_NOT_MET,
            "repair: no bucket could be compared (fewer than two replicas answered; unreachable: "
                + report.unreachable()
                + ")");
      }
      return report;
    } finally {
      cluster.repairing().unlock();
    }
  }

  /**
   * Compares and repairs every bucket of one table in {@code replicas}, then removes the old
   * tombstones of the ranges found equal on all their replicas.
   */
  private void repairTable(
      Map<BucketId, List<NodeId>> replicas,
      TableDistribution table,
      boolean parallel,
      @Nullable TombstoneHorizon horizon,
      RepairProgress progress)
      throws SQLException {
    boolean collecting = horizon != null && horizon.covers(table);
    List<TombstoneHorizon.Range> equal = new ArrayList<>();
    for (Map.Entry<BucketId, List<NodeId>> single : replicas.entrySet()) {
      if (collecting && single.getValue().size() == 1) {
        // A bucket's only replica: nothing to compare it with, no older copy anywhere else.
        equal.add(new TombstoneHorizon.Range(single.getKey(), RowRange.ALL));
      }
    }
    Map<BucketId, List<NodeId>> compared = new LinkedHashMap<>(replicas);
    compared.values().removeIf(r -> r.size() < 2);
    Map<NodeId, List<BucketId>> held = new LinkedHashMap<>();
    compared.forEach(
        (bucket, nodes) ->
            nodes.forEach(n -> held.computeIfAbsent(n, x -> new ArrayList<>()).add(bucket)));
    Map<NodeId, Map<Integer, RangeHash>> hashes = bucketHashes(table, held, parallel, progress);
    for (Map.Entry<BucketId, List<NodeId>> bucket : compared.entrySet()) {
      List<NodeId> up = new ArrayList<>(bucket.getValue());
      up.retainAll(hashes.keySet());
      boolean complete = collecting && TombstoneHorizon.complete(bucket.getValue(), up);
      repairBucket(table, bucket.getKey(), up, hashes, complete ? equal : null, progress);
    }
    if (horizon != null && !equal.isEmpty() && !progress.anyUnreachable()) {
      collector.collect(table, horizon, equal, replicas, progress);
    }
  }

  /**
   * Each answering node's hashes of the buckets it holds; a node that does not answer is left out.
   */
  private Map<NodeId, Map<Integer, RangeHash>> bucketHashes(
      TableDistribution table,
      Map<NodeId, List<BucketId>> held,
      boolean parallel,
      RepairProgress progress)
      throws SQLException {
    Map<NodeId, CompletableFuture<Map<Integer, RangeHash>>> pending = new LinkedHashMap<>();
    held.forEach(
        (node, buckets) -> {
          CompletableFuture<Map<Integer, RangeHash>> f = new CompletableFuture<>();
          Runnable task =
              () -> {
                try {
                  f.complete(on(node, c -> RangeQueries.bucketHashes(c, table, buckets)));
                } catch (SQLException | RuntimeException e) {
                  f.completeExceptionally(e);
                }
              };
          if (parallel) {
            cluster.replicaThreads().execute(StatementCancel.propagate(task));
          } else {
            task.run();
          }
          pending.put(node, f);
        });
    Map<NodeId, Map<Integer, RangeHash>> hashes = new HashMap<>();
    for (Map.Entry<NodeId, CompletableFuture<Map<Integer, RangeHash>>> p : pending.entrySet()) {
      try {
        hashes.put(p.getKey(), p.getValue().join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof Unreachable) {
          progress.unreachable(p.getKey());
        } else if (e.getCause() instanceof SQLException s) {
          throw s;
        } else {
          throw e;
        }
      }
    }
    return hashes;
  }

  /**
   * Compares one bucket's answering replicas from the root; a replica that stops answering midway
   * is left out and the bucket compared again among the others.
   *
   * @param equal where to add the ranges found equal on every replica; null when they are not all
   *     compared (or tombstones are not collected)
   */
  private void repairBucket(
      TableDistribution table,
      BucketId bucket,
      List<NodeId> up,
      Map<NodeId, Map<Integer, RangeHash>> hashes,
      @Nullable List<TombstoneHorizon.Range> equal,
      RepairProgress progress)
      throws SQLException {
    List<TombstoneHorizon.Range> found = equal == null ? null : new ArrayList<>();
    while (up.size() >= 2) {
      Map<NodeId, RangeHash> roots = new LinkedHashMap<>();
      up.forEach(n -> roots.put(n, hashes.get(n).getOrDefault(bucket.value(), RangeHash.EMPTY)));
      try {
        reconcile(table, bucket, up, RowRange.ALL, roots, found, progress);
        progress.compared(up);
        if (equal != null && found != null) {
          equal.addAll(found);
        }
        return;
      } catch (Unreachable e) {
        progress.unreachable(e.node);
        up.remove(e.node);
        hashes.remove(e.node);
        found = null; // no longer every replica
      }
    }
    progress.skipped();
  }

  private void reconcile(
      TableDistribution table,
      BucketId bucket,
      List<NodeId> up,
      RowRange range,
      Map<NodeId, RangeHash> summaries,
      @Nullable List<TombstoneHorizon.Range> equal,
      RepairProgress progress)
      throws SQLException {
    if (summaries.values().stream().distinct().count() == 1) {
      if (equal != null && !summaries.containsValue(RangeHash.EMPTY)) {
        equal.add(new TombstoneHorizon.Range(bucket, range));
      }
      return;
    }
    long most = summaries.values().stream().mapToLong(RangeHash::rows).max().orElse(0);
    long least = summaries.values().stream().mapToLong(RangeHash::rows).min().orElse(0);
    if (range.deepest() || most <= LEAF_ROWS || (least == 0 && most <= EMPTY_RANGE_ROWS)) {
      exchange(table, bucket, up, range, progress);
      return;
    }
    Map<NodeId, Map<Integer, RangeHash>> children = new HashMap<>();
    for (NodeId n : up) {
      children.put(n, on(n, c -> RangeQueries.childHashes(c, table, bucket, range)));
    }
    List<RowRange> parts = range.children();
    for (int i = 0; i < parts.size(); i++) {
      int part = i;
      Map<NodeId, RangeHash> child = new LinkedHashMap<>();
      up.forEach(n -> child.put(n, children.get(n).getOrDefault(part, RangeHash.EMPTY)));
      reconcile(table, bucket, up, parts.get(i), child, equal, progress);
    }
  }

  /** Lists the range's row states on every replica and brings the stale ones up to date. */
  private void exchange(
      TableDistribution table,
      BucketId bucket,
      List<NodeId> up,
      RowRange range,
      RepairProgress progress)
      throws SQLException {
    Map<NodeId, Digest> digests = new HashMap<>();
    for (NodeId n : up) {
      digests.put(n, on(n, c -> RangeQueries.digest(c, table, bucket, range)));
    }
    ReadRepair repair = ReadRepair.withTombstones(up, digests);
    long listed =
        digests.values().stream().mapToLong(d -> d.rows().size() + d.tombstones().size()).sum();
    progress.exchanged(listed, stale.repair(table, repair, AntiEntropy::failure));
  }

  /** A query on one node; a connection-class failure becomes {@link Unreachable}. */
  private <T> T on(NodeId node, Cluster.NodeRead<T> query) throws SQLException {
    try (Connection c = cluster.pools().connection(node)) {
      return query.run(c);
    } catch (SQLException e) {
      throw failure(node, e);
    }
  }

  private static SQLException failure(NodeId node, SQLException e) {
    if (e instanceof Unreachable) {
      return e;
    }
    return NodeFailures.isUnreachable(e)
        ? new Unreachable(node, e)
        : ZynamoErrors.fromNode(node, e);
  }
}
