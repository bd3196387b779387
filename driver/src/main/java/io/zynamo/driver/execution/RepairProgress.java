package io.zynamo.driver.execution;

import io.zynamo.ring.NodeId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The counters of one running anti-entropy pass, on the pass's own thread; each change is published
 * as an immutable {@link RepairReport} (the progress others see in {@code zynamo.repairs}).
 */
final class RepairProgress {

  private final Instant started;
  private final Consumer<RepairReport> publish;
  private final Map<NodeId, RepairReport.NodeRepair> nodes = new LinkedHashMap<>();
  private int tables;
  private int buckets;
  private int bucketsSkipped;
  private int rangesDiffering;
  private long rowsCompared;
  private long rowsRepaired;
  private long tombstonesRemoved;

  RepairProgress(Instant started, List<NodeId> ring, Consumer<RepairReport> publish) {
    this.started = started;
    this.publish = publish;
    ring.forEach(n -> nodes.put(n, RepairReport.NodeRepair.NONE));
    publish.accept(snapshot(null));
  }

  void table() {
    tables++;
  }

  /** A bucket was compared on these replicas (and repaired where they differed). */
  void compared(List<NodeId> replicas) {
    buckets++;
    for (NodeId n : replicas) {
      nodes.put(n, node(n).plus(1, 0, 0));
    }
    publish.accept(snapshot(null));
  }

  /** A bucket could not be compared: fewer than two replicas answered. */
  void skipped() {
    bucketsSkipped++;
    publish.accept(snapshot(null));
  }

  /**
   * A range's rows were exchanged: {@code listed} row states compared, {@code applied} images that
   * changed each stale replica.
   */
  void exchanged(long listed, Map<NodeId, Long> applied) {
    rangesDiffering++;
    rowsCompared += listed;
    applied.forEach(
        (n, count) -> {
          rowsRepaired += count;
          nodes.put(n, node(n).plus(0, count, 0));
        });
  }

  /** {@code count} tombstones were garbage-collected on node {@code n}. */
  void tombstonesRemoved(NodeId n, long count) {
    tombstonesRemoved += count;
    nodes.put(n, node(n).plus(0, 0, count));
    publish.accept(snapshot(null));
  }

  void unreachable(NodeId n) {
    nodes.put(n, node(n).asUnreachable());
  }

  /** Whether some node was found unreachable so far in this pass. */
  boolean anyUnreachable() {
    return nodes.values().stream().anyMatch(RepairReport.NodeRepair::unreachable);
  }

  /** Whether nothing could be compared although some buckets had to be. */
  boolean nothingCompared() {
    return buckets == 0 && bucketsSkipped > 0;
  }

  RepairReport finish(Instant finished) {
    RepairReport report = snapshot(finished);
    publish.accept(report);
    return report;
  }

  private RepairReport.NodeRepair node(NodeId n) {
    return nodes.getOrDefault(n, RepairReport.NodeRepair.NONE);
  }

  private RepairReport snapshot(@Nullable Instant finished) {
    return new RepairReport(
        started,
        finished,
        tables,
        buckets,
        bucketsSkipped,
        rangesDiffering,
        rowsCompared,
        rowsRepaired,
        tombstonesRemoved,
        nodes);
  }
}
