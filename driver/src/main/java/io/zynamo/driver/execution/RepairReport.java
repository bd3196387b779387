package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.NodeId;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What one anti-entropy pass did, or has done so far while it runs ({@code finished} null).
 *
 * @param started when the pass began
 * @param finished when it ended; null while it runs
 * @param tables tables compared
 * @param buckets buckets compared (per table: a bucket of two tables counts twice)
 * @param bucketsSkipped buckets left out because fewer than two of their replicas answered
 * @param rangesDiffering row-id ranges whose replicas differed and whose rows were exchanged
 * @param rowsCompared row states (a row's version, or a deletion's) the replicas listed for those
 *     ranges and that were compared one by one, summed over the replicas
 * @param rowsRepaired row images that changed a replica
 * @param tombstonesRemoved tombstones garbage-collected, summed over the replicas (a deletion held
 *     by three replicas counts three)
 * @param nodes per node of the ring: buckets compared there, rows repaired onto it, tombstones
 *     removed from it, and whether it was found unreachable
 */
public record RepairReport(
    Instant started,
    @Nullable Instant finished,
    int tables,
    int buckets,
    int bucketsSkipped,
    int rangesDiffering,
    long rowsCompared,
    long rowsRepaired,
    long tombstonesRemoved,
    Map<NodeId, NodeRepair> nodes) {

  public RepairReport {
    requireNonNull(started, "started");
    nodes = Map.copyOf(nodes);
  }

  /** One node's part in a pass. */
  public record NodeRepair(
      int buckets, long rowsRepaired, long tombstonesRemoved, boolean unreachable) {
    static final NodeRepair NONE = new NodeRepair(0, 0, 0, false);

    NodeRepair plus(int moreBuckets, long moreRows, long moreTombstones) {
      return new NodeRepair(
          buckets + moreBuckets,
          rowsRepaired + moreRows,
          tombstonesRemoved + moreTombstones,
          unreachable);
    }

    NodeRepair asUnreachable() {
      return new NodeRepair(buckets, rowsRepaired, tombstonesRemoved, true);
    }
  }

  /** The nodes found unreachable, sorted. */
  public Set<NodeId> unreachable() {
    return nodes.entrySet().stream()
        .filter(e -> e.getValue().unreachable())
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
