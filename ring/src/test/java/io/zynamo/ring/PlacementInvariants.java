package io.zynamo.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.membership.Member;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The four placement invariants of the foundation issue, as reusable assertions. */
final class PlacementInvariants {

  private PlacementInvariants() {}

  /** 1. Replicas = min(N, hosts), each on a distinct host. */
  static void distinctHosts(Placement placement, List<Member> members, ReplicationFactor n) {
    int hosts = (int) members.stream().map(Member::host).distinct().count();
    for (int b = 0; b < placement.bucketCount(); b++) {
      List<NodeId> replicas = placement.replicas(new BucketId(b));
      assertEquals(n.effective(hosts), replicas.size(), "replicas of bucket " + b);
      Set<HostId> seen = new HashSet<>();
      for (NodeId replica : replicas) {
        assertTrue(seen.add(placement.host(replica)), "bucket " + b + ": " + replicas);
      }
    }
  }

  /** 2. With every node up, a plan covers each bucket exactly once with <= ceil(M/C) nodes. */
  static CoveragePlan coverage(Placement placement, List<Member> members) {
    Set<NodeId> all = members.stream().map(Member::node).collect(Collectors.toSet());
    CoveragePlan plan = new CoveragePlanner().plan(placement, all);
    exactlyOnce(placement, plan);
    int bound = ceilDiv(members.size(), placement.columns());
    assertTrue(plan.fanOut() <= bound, "fan-out " + plan.fanOut() + " > ceil(M/C) = " + bound);
    return plan;
  }

  /** Every bucket is asked of exactly one node, and that node holds it. */
  static void exactlyOnce(Placement placement, CoveragePlan plan) {
    int[] seen = new int[placement.bucketCount()];
    plan.assignments()
        .forEach(
            (node, buckets) ->
                buckets.forEach(
                    b -> {
                      seen[b.value()]++;
                      assertTrue(placement.replicas(b).contains(node), node + " lacks " + b);
                    }));
    for (int b = 0; b < seen.length; b++) {
      boolean available = !plan.unavailable().contains(new BucketId(b));
      assertEquals(available ? 1 : 0, seen[b], "times bucket " + b + " is read");
    }
  }

  /** 3. Each load within 10% (or 1 bucket) of the weighted fair share. */
  static void balance(Placement placement, List<Member> members) {
    FairShare fair = new FairShare(members, placement.columns(), placement.bucketCount());
    Map<NodeId, Integer> loads = placement.loads();
    fair.shares()
        .forEach(
            (node, share) -> {
              double load = loads.getOrDefault(node, 0);
              double slack = Math.max(1.0, 0.1 * share);
              assertTrue(
                  Math.abs(load - share) <= slack + 1e-9,
                  node + ": load " + load + " vs fair share " + share);
            });
  }

  /** Replicas that must be copied to go from one placement to the next. */
  static int moved(Placement before, Placement after) {
    int moved = 0;
    for (int b = 0; b < after.bucketCount(); b++) {
      List<NodeId> old = before.replicas(new BucketId(b));
      for (NodeId holder : after.replicas(new BucketId(b))) {
        if (!old.contains(holder)) {
          moved++;
        }
      }
    }
    return moved;
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}
