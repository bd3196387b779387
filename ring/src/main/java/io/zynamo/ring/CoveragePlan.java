package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.ImmutableSortedSet;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Which node to ask for which buckets so that a scan reads every bucket exactly once.
 *
 * @param assignments the buckets each contacted node is asked for (disjoint, non-empty sets)
 * @param filtered the contacted nodes that hold buckets they are not asked for, and so must filter
 *     their rows by bucket
 * @param unavailable buckets with no live replica; a scan needing them cannot be exact
 */
public record CoveragePlan(
    SortedMap<NodeId, SortedSet<BucketId>> assignments,
    SortedSet<NodeId> filtered,
    SortedSet<BucketId> unavailable) {

  public CoveragePlan {
    requireNonNull(assignments, "assignments");
    ImmutableSortedMap.Builder<NodeId, SortedSet<BucketId>> copy =
        ImmutableSortedMap.naturalOrder();
    assignments.forEach((node, buckets) -> copy.put(node, ImmutableSortedSet.copyOf(buckets)));
    assignments = copy.build();
    filtered = ImmutableSortedSet.copyOf(requireNonNull(filtered, "filtered"));
    unavailable = ImmutableSortedSet.copyOf(requireNonNull(unavailable, "unavailable"));
  }

  /** The number of nodes contacted. */
  public int fanOut() {
    return assignments.size();
  }

  /** Whether every bucket is covered. */
  public boolean complete() {
    return unavailable.isEmpty();
  }
}
