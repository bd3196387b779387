package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * Groups of nodes (whole hosts, or single nodes) to form the cover column {@code column}: at most
 * {@code bound} nodes with a capacity of at least {@code B}, keeping as many nodes as possible
 * whose home is that column already.
 *
 * <p>A 0/1 knapsack: {@code best[i][k][cap]} is the most already-placed nodes reachable with the
 * first {@code i} groups using {@code k} nodes and capacity {@code min(cap, B)}. Size: groups x
 * (bound+1) x (B+1) ints, computed only when the simple assignment has no cover column.
 *
 * @param groups keys of the chosen groups
 * @param kept chosen nodes whose home was {@code column} already
 * @param byHost whether the groups are hosts (else single nodes)
 */
record CoverChoice(int column, Set<String> groups, int kept, boolean byHost) {

  static @Nullable CoverChoice find(
      int column,
      SortedMap<String, List<Member>> groups,
      Map<NodeId, Integer> home,
      Map<NodeId, Integer> targets,
      int bound,
      int bucketCount,
      boolean byHost) {
    List<String> keys = new ArrayList<>(groups.keySet());
    int g = keys.size();
    int[] size = new int[g];
    int[] capacity = new int[g];
    int[] gain = new int[g];
    for (int i = 0; i < g; i++) {
      for (Member m : groups.get(keys.get(i))) {
        size[i]++;
        capacity[i] += targets.get(m.node());
        gain[i] += Integer.valueOf(column).equals(home.get(m.node())) ? 1 : 0;
      }
    }
    int[][][] best = knapsack(size, capacity, gain, bound, bucketCount);
    int k = -1;
    for (int candidate = 0; candidate <= bound; candidate++) {
      if (best[g][candidate][bucketCount] > (k < 0 ? -1 : best[g][k][bucketCount])) {
        k = candidate;
      }
    }
    if (k < 0) {
      return null;
    }
    Set<String> chosen = new HashSet<>();
    int cap = bucketCount;
    int value = best[g][k][bucketCount];
    for (int i = g; i > 0; i--) {
      if (best[i - 1][k][cap] == value) {
        continue; // group i-1 is not on this path
      }
      chosen.add(keys.get(i - 1));
      k -= size[i - 1];
      value -= gain[i - 1];
      cap = capacityBefore(best[i - 1][k], cap, capacity[i - 1], value, bucketCount);
    }
    return new CoverChoice(
        column, Set.copyOf(chosen), best[g][0].length > 0 ? kept(best, g) : 0, byHost);
  }

  private static int kept(int[][][] best, int g) {
    return Arrays.stream(best[g]).mapToInt(row -> row[row.length - 1]).max().orElse(-1);
  }

  private static int[][][] knapsack(int[] size, int[] capacity, int[] gain, int bound, int cap) {
    int g = size.length;
    int[][][] best = new int[g + 1][bound + 1][cap + 1];
    for (int[][] layer : best) {
      for (int[] row : layer) {
        Arrays.fill(row, -1);
      }
    }
    best[0][0][0] = 0;
    for (int i = 0; i < g; i++) {
      for (int k = 0; k <= bound; k++) {
        for (int c = 0; c <= cap; c++) {
          int value = best[i][k][c];
          if (value < 0) {
            continue;
          }
          best[i + 1][k][c] = Math.max(best[i + 1][k][c], value);
          if (k + size[i] <= bound) {
            int next = Math.min(cap, c + capacity[i]);
            best[i + 1][k + size[i]][next] =
                Math.max(best[i + 1][k + size[i]][next], value + gain[i]);
          }
        }
      }
    }
    return best;
  }

  /** The capacity before adding a group, given the (capped) capacity after it. */
  private static int capacityBefore(int[] layer, int after, int added, int value, int cap) {
    if (after < cap) {
      return after - added;
    }
    for (int c = 0; c <= cap; c++) {
      if (layer[c] == value && Math.min(cap, c + added) == cap) {
        return c;
      }
    }
    throw new IllegalStateException("knapsack path lost at capacity " + after);
  }
}
