package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.clock.HybridLogicalClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which tombstones one anti-entropy pass may garbage-collect: those older than the grace period, of
 * tables no node keeps hints for, in bucket ranges the pass found equal on all the bucket's
 * replicas. A tombstone removed under these conditions is held by every replica (or beaten there by
 * a newer row), so no replica holds an older copy of the row it could copy back; and no older image
 * of the row is still on its way, as long as none stays in flight longer than the grace period (the
 * one assumption: see docs/operations.md, "Tombstone garbage collection").
 *
 * <p>Pure: the pass asks the nodes and hands the answers in.
 *
 * @param olderThan the limit on a tombstone's version (a hybrid logical clock timestamp, the same
 *     on every replica): below it, old enough
 * @param hintedTables tables some node keeps hints for, spelled as in {@code zynamo.hints}
 */
record TombstoneHorizon(long olderThan, Set<String> hintedTables) {

  TombstoneHorizon {
    if (olderThan < 0) {
      throw new IllegalArgumentException("olderThan: " + olderThan + " (expected: >= 0)");
    }
    hintedTables = Set.copyOf(hintedTables);
  }

  /**
   * The horizon of a pass starting at {@code now}: tombstones whose deletion was stamped more than
   * {@code grace} before it.
   */
  static TombstoneHorizon of(Instant now, Duration grace, Set<String> hintedTables) {
    long millis = Math.max(0, now.toEpochMilli() - grace.toMillis());
    return new TombstoneHorizon(HybridLogicalClock.startOf(millis), hintedTables);
  }

  /** Whether the pass may collect tombstones of this table: no node keeps hints for it. */
  boolean covers(TableDistribution table) {
    return !hintedTables.contains(TableCatalog.qualified(table.table()).toString());
  }

  /**
   * Whether a comparison among {@code answered} established what every replica holds: all the
   * bucket's replicas answered.
   */
  static boolean complete(List<NodeId> replicas, List<NodeId> answered) {
    return !replicas.isEmpty() && answered.containsAll(replicas);
  }

  /** A range of row ids of one bucket whose summaries were equal on every replica. */
  record Range(BucketId bucket, RowRange range) {
    Range {
      requireNonNull(bucket, "bucket");
      requireNonNull(range, "range");
    }
  }

  /**
   * The ranges each replica is to collect tombstones in: every range goes to every replica of its
   * bucket, so that all of them remove the same tombstones.
   */
  static Map<NodeId, List<Range>> byReplica(
      List<Range> ranges, Map<BucketId, List<NodeId>> replicas) {
    Map<NodeId, List<Range>> byReplica = new TreeMap<>();
    for (Range r : ranges) {
      List<NodeId> holders = replicas.get(r.bucket());
      if (holders == null) {
        throw new IllegalArgumentException("bucket " + r.bucket().value() + ": no replicas given");
      }
      for (NodeId n : holders) {
        byReplica.computeIfAbsent(n, x -> new ArrayList<>()).add(r);
      }
    }
    return byReplica;
  }
}
