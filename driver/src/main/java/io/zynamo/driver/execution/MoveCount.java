package io.zynamo.driver.execution;

import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.Placement;
import io.zynamo.ring.RingState;
import java.util.Map;
import java.util.Objects;

/**
 * How much a move copies, next to the least any placement could copy.
 *
 * @param copies bucket replicas the new table puts on a node that did not hold them
 * @param minimum a lower bound of {@code copies}: the load each node gains must be copied to it
 * @param buckets buckets whose replicas change
 */
record MoveCount(int copies, int minimum, int buckets) {

  static MoveCount of(RingState ring) {
    Placement from = ring.placement();
    Placement to = Objects.requireNonNull(ring.moving(), "no move under way");
    if (!BucketMover.readsOldTable(ring)) {
      Placement swap = from;
      from = to;
      to = swap;
    }
    int copies = 0;
    for (int b = 0; b < from.bucketCount(); b++) {
      BucketId bucket = new BucketId(b);
      var old = from.replicas(bucket);
      copies += (int) to.replicas(bucket).stream().filter(n -> !old.contains(n)).count();
    }
    Map<NodeId, Integer> before = from.loads();
    int minimum = 0;
    for (Map.Entry<NodeId, Integer> after : to.loads().entrySet()) {
      minimum += Math.max(0, after.getValue() - before.getOrDefault(after.getKey(), 0));
    }
    return new MoveCount(copies, minimum, ring.movingBuckets().size());
  }
}
