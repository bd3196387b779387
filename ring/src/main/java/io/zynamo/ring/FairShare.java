package io.zynamo.ring;

import com.google.common.collect.ImmutableSortedMap;
import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Each node's fair share of the {@code C * B} bucket replicas: proportional to weight, except that
 * a host can hold at most {@code B} (one replica of each bucket), so a host whose proportional
 * share would exceed {@code B} is capped and the excess is spread over the others (water-filling).
 *
 * <p>{@link #targets()} rounds the shares to integers that sum to {@code C * B}, never put more
 * than {@code B} on one host, and differ from the exact share by less than one bucket.
 */
public final class FairShare {

  private final ImmutableSortedMap<NodeId, Double> shares;
  private final ImmutableSortedMap<NodeId, Integer> targets;

  /** Shares of {@code columns * bucketCount} replicas among the owners. */
  public FairShare(List<Member> owners, int columns, int bucketCount) {
    Map<HostId, Double> hostShares =
        hostShares(owners, (double) columns * bucketCount, bucketCount);
    Map<HostId, Long> hostWeights = hostWeights(owners);
    SortedMap<NodeId, Double> exact = new TreeMap<>();
    for (Member m : owners) {
      exact.put(m.node(), hostShares.get(m.host()) * m.weight() / hostWeights.get(m.host()));
    }
    this.shares = ImmutableSortedMap.copyOfSorted(exact);
    this.targets = round(owners, exact, columns * bucketCount, bucketCount);
  }

  /** The exact (real-valued) fair share of every node. */
  public SortedMap<NodeId, Double> shares() {
    return shares;
  }

  /** The integer load every node should carry. */
  public SortedMap<NodeId, Integer> targets() {
    return targets;
  }

  private static Map<HostId, Long> hostWeights(List<Member> owners) {
    Map<HostId, Long> weights = new HashMap<>();
    owners.forEach(m -> weights.merge(m.host(), (long) m.weight(), Long::sum));
    return weights;
  }

  private static Map<HostId, Double> hostShares(List<Member> owners, double total, int cap) {
    Map<HostId, Long> active = new HashMap<>(hostWeights(owners));
    Map<HostId, Double> shares = new HashMap<>();
    double remaining = total;
    while (!active.isEmpty()) {
      long weightSum = active.values().stream().mapToLong(Long::longValue).sum();
      List<HostId> capped = new ArrayList<>();
      for (Map.Entry<HostId, Long> e : active.entrySet()) {
        if (remaining * e.getValue() / weightSum > cap) {
          capped.add(e.getKey());
        }
      }
      if (capped.isEmpty()) {
        for (Map.Entry<HostId, Long> e : active.entrySet()) {
          shares.put(e.getKey(), remaining * e.getValue() / weightSum);
        }
        break;
      }
      for (HostId host : capped) {
        shares.put(host, (double) cap);
        active.remove(host);
        remaining -= cap;
      }
    }
    return shares;
  }

  /** Largest-remainder rounding, skipping nodes whose host already holds {@code cap}. */
  private static ImmutableSortedMap<NodeId, Integer> round(
      List<Member> owners, SortedMap<NodeId, Double> exact, int total, int cap) {
    Map<NodeId, Integer> result = new HashMap<>();
    Map<HostId, Integer> hostLoad = new HashMap<>();
    int assigned = 0;
    for (Member m : owners) {
      // The epsilon absorbs float error so an exact integer share is not rounded down.
      int floor = (int) Math.floor(exact.get(m.node()) + 1e-9);
      result.put(m.node(), floor);
      hostLoad.merge(m.host(), floor, Integer::sum);
      assigned += floor;
    }
    List<Member> byRemainder = new ArrayList<>(owners);
    byRemainder.sort(
        Comparator.comparingDouble((Member m) -> result.get(m.node()) - exact.get(m.node()))
            .thenComparing(Member::node));
    for (Member m : byRemainder) {
      if (assigned == total) {
        break;
      }
      if (hostLoad.get(m.host()) < cap && result.get(m.node()) < exact.get(m.node())) {
        result.merge(m.node(), 1, Integer::sum);
        hostLoad.merge(m.host(), 1, Integer::sum);
        assigned++;
      }
    }
    if (assigned != total) {
      throw new IllegalStateException("rounding left " + (total - assigned) + " replicas unplaced");
    }
    return ImmutableSortedMap.copyOf(result);
  }
}
