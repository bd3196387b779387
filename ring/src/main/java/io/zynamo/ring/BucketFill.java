package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills the bucket table so that every node holds exactly its quota in every column and no bucket
 * has two replicas on one host, keeping previous holders where it can.
 *
 * <p>Let {@code Q[h][c]} be host h's total quota in column c. As a bipartite multigraph between
 * hosts and columns, every column has degree {@code r} (buckets left) and every host degree {@code
 * <= r}. A bipartite graph always has a matching covering all its maximum-degree vertices; taking
 * such a matching as the next bucket's replicas (column c gets host h) leaves the same structure
 * with {@code r - 1}. So bucket by bucket, a matching that covers every column and every
 * <em>tight</em> host (one that must hold all remaining buckets) always exists, and augmenting
 * paths find it without unmatching anyone. The matching is seeded with the bucket's previous holder
 * per column, then with hosts that held the bucket in another column (no copy needed).
 */
final class BucketFill {

  private final List<NodeId> nodes = new ArrayList<>();
  private final Map<NodeId, Integer> nodeIndexes = new HashMap<>();
  private final List<List<Integer>> nodesOfHost = new ArrayList<>();
  private final int[] hostOf;
  private final int[][] nodeQuota;
  private final int[][] hostQuota;
  private final int columns;
  private final int bucketCount;

  BucketFill(List<Member> owners, Map<NodeId, int[]> quotas, int columns, int bucketCount) {
    this.columns = columns;
    this.bucketCount = bucketCount;
    Map<HostId, Integer> hostIndexes = new HashMap<>();
    hostOf = new int[owners.size()];
    nodeQuota = new int[owners.size()][];
    for (Member m : owners) {
      int i = nodes.size();
      nodes.add(m.node());
      nodeIndexes.put(m.node(), i);
      hostOf[i] =
          hostIndexes.computeIfAbsent(
              m.host(),
              h -> {
                nodesOfHost.add(new ArrayList<>());
                return hostIndexes.size();
              });
      nodesOfHost.get(hostOf[i]).add(i);
      nodeQuota[i] = quotas.get(m.node()).clone();
    }
    hostQuota = new int[hostIndexes.size()][columns];
    for (int n = 0; n < nodes.size(); n++) {
      for (int c = 0; c < columns; c++) {
        hostQuota[hostOf[n]][c] += nodeQuota[n][c];
      }
    }
  }

  /** The filled table: {@code result.get(b).get(c)} holds bucket b in column c. */
  List<List<NodeId>> fill(Optional<Placement> previous) {
    List<List<NodeId>> result = new ArrayList<>(bucketCount);
    for (int b = 0; b < bucketCount; b++) {
      int[] before = previousHolders(previous, b);
      int[] hostOfColumn = match(bucketCount - b, before);
      List<NodeId> row = new ArrayList<>(columns);
      for (int c = 0; c < columns; c++) {
        int node = pickNode(hostOfColumn[c], c, before);
        nodeQuota[node][c]--;
        hostQuota[hostOf[node]][c]--;
        row.add(nodes.get(node));
      }
      result.add(List.copyOf(row));
    }
    return result;
  }

  /** Previous holder (node index, or -1) of bucket b per previous column. */
  private int[] previousHolders(Optional<Placement> previous, int b) {
    if (previous.isEmpty() || b >= previous.get().bucketCount()) {
      return new int[0];
    }
    Placement p = previous.get();
    int[] holders = new int[p.columns()];
    for (int c = 0; c < p.columns(); c++) {
      holders[c] = nodeIndexes.getOrDefault(p.holder(new BucketId(b), c), -1);
    }
    return holders;
  }

  private int[] match(int remaining, int[] before) {
    boolean[] tight = new boolean[hostQuota.length];
    for (int h = 0; h < hostQuota.length; h++) {
      tight[h] = Arrays.stream(hostQuota[h]).sum() == remaining;
    }
    Matching m = new Matching(hostQuota, columns, tight);
    for (int c = 0; c < Math.min(columns, before.length); c++) {
      if (before[c] >= 0) {
        m.tryDirect(hostOf[before[c]], c);
      }
    }
    for (int c = 0; c < columns; c++) {
      for (int holder : before) {
        if (holder >= 0) {
          m.tryDirect(hostOf[holder], c);
        }
      }
    }
    for (int h = 0; h < hostQuota.length; h++) {
      if (tight[h]) {
        m.coverHost(h);
      }
    }
    for (int c = 0; c < columns; c++) {
      m.coverColumn(c);
    }
    return m.hostOfColumn();
  }

  /** The node of host h to hold the bucket in column c: its previous holder if possible. */
  private int pickNode(int h, int c, int[] before) {
    int best = -1;
    for (int n : nodesOfHost.get(h)) {
      if (nodeQuota[n][c] <= 0) {
        continue;
      }
      boolean held = Arrays.stream(before).anyMatch(x -> x == n);
      if (held) {
        return n;
      }
      if (best < 0 || nodeQuota[n][c] > nodeQuota[best][c]) {
        best = n;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("host quota without node quota in column " + c);
    }
    return best;
  }
}
