package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans scans: the fewest live nodes that together hold every bucket, each asked only for its
 * share.
 *
 * <p>Candidates start from each column in turn: the column's live holders take the buckets they
 * hold in it, and any bucket left (its holder is down) goes greedily to the live node that holds
 * the most of the remaining buckets. The candidate with the fewest nodes wins (then the fewest
 * filtering nodes, then the lowest column). When all nodes are up, the cover column alone is a
 * candidate, so the plan contacts at most {@code ceil(M/C)} nodes.
 */
public final class CoveragePlanner {

  /** The plan for scanning every bucket of {@code placement} using only {@code live} nodes. */
  public CoveragePlan plan(Placement placement, Set<NodeId> live) {
    requireNonNull(placement, "placement");
    requireNonNull(live, "live");
    CoveragePlan best = null;
    for (int column = 0; column < placement.columns(); column++) {
      CoveragePlan candidate = fromColumn(placement, live, column);
      if (best == null || better(candidate, best)) {
        best = candidate;
      }
    }
    return best == null ? emptyRing() : best;
  }

  private static boolean better(CoveragePlan a, CoveragePlan b) {
    if (a.unavailable().size() != b.unavailable().size()) {
      return a.unavailable().size() < b.unavailable().size();
    }
    if (a.fanOut() != b.fanOut()) {
      return a.fanOut() < b.fanOut();
    }
    return a.filtered().size() < b.filtered().size();
  }

  private static CoveragePlan emptyRing() {
    return new CoveragePlan(new TreeMap<>(), new TreeSet<>(), new TreeSet<>());
  }

  private static CoveragePlan fromColumn(Placement placement, Set<NodeId> live, int column) {
    SortedMap<NodeId, SortedSet<BucketId>> plan = new TreeMap<>();
    List<BucketId> left = new ArrayList<>();
    for (int b = 0; b < placement.bucketCount(); b++) {
      BucketId bucket = new BucketId(b);
      NodeId holder = placement.holder(bucket, column);
      if (live.contains(holder)) {
        plan.computeIfAbsent(holder, n -> new TreeSet<>()).add(bucket);
      } else {
        left.add(bucket);
      }
    }
    SortedSet<BucketId> unavailable = coverGreedily(placement, live, left, plan);
    SortedSet<NodeId> filtered = new TreeSet<>();
    plan.forEach(
        (node, buckets) -> {
          if (placement.bucketsOf(node).size() != buckets.size()) {
            filtered.add(node);
          }
        });
    return new CoveragePlan(plan, filtered, unavailable);
  }

  /** Greedy set cover of the buckets left; returns those no live node holds. */
  private static SortedSet<BucketId> coverGreedily(
      Placement placement,
      Set<NodeId> live,
      List<BucketId> left,
      SortedMap<NodeId, SortedSet<BucketId>> plan) {
    SortedSet<BucketId> unavailable = new TreeSet<>();
    while (!left.isEmpty()) {
      SortedMap<NodeId, List<BucketId>> offers = new TreeMap<>();
      for (BucketId bucket : left) {
        for (NodeId replica : placement.replicas(bucket)) {
          if (live.contains(replica)) {
            offers.computeIfAbsent(replica, n -> new ArrayList<>()).add(bucket);
          }
        }
      }
      if (offers.isEmpty()) {
        unavailable.addAll(left);
        break;
      }
      // Prefer a node already in the plan (no extra fan-out), then the largest offer.
      NodeId pick = offers.firstKey();
      for (NodeId node : offers.keySet()) {
        if (preferred(node, pick, offers, plan)) {
          pick = node;
        }
      }
      plan.computeIfAbsent(pick, n -> new TreeSet<>()).addAll(offers.get(pick));
      left.removeAll(offers.get(pick));
    }
    return unavailable;
  }

  private static boolean preferred(
      NodeId node,
      NodeId pick,
      SortedMap<NodeId, List<BucketId>> offers,
      SortedMap<NodeId, SortedSet<BucketId>> plan) {
    boolean inPlan = plan.containsKey(node);
    if (inPlan != plan.containsKey(pick)) {
      return inPlan;
    }
    return offers.get(node).size() > offers.get(pick).size();
  }
}
