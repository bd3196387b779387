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

  /** Planned keeps not yet reached, per node and column: quota that is spoken for. */
  private int[][] futureKeeps = new int[0][];

  private int[][] hostFutureKeeps = new int[0][];
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
    int[][] before = new int[bucketCount][];
    for (int b = 0; b < bucketCount; b++) {
      before[b] = previousHolders(previous, b);
    }
    boolean[][] keep = planKeeps(before);
    List<List<NodeId>> result = new ArrayList<>(bucketCount);
    for (int b = 0; b < bucketCount; b++) {
      passKeeps(before[b], keep[b]);
      int[] hostOfColumn = match(bucketCount - b, before[b], keep[b]);
      List<NodeId> row = new ArrayList<>(columns);
      for (int c = 0; c < columns; c++) {
        int node = pickNode(hostOfColumn[c], c, before[b], keep[b]);
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

  /**
   * Which previous (bucket, column) holders to keep. A node that held more buckets in a column than
   * its new quota drops the excess spread evenly over the bucket order (error diffusion), not its
   * last ones: otherwise the nodes that gain buckets would get slots only at the end of the fill,
   * be forced into buckets other nodes still hold, and cascade needless copies.
   */
  private boolean[][] planKeeps(int[][] before) {
    boolean[][] keep = new boolean[bucketCount][columns];
    int[][] held = new int[nodes.size()][columns];
    for (int[] row : before) {
      for (int c = 0; c < Math.min(columns, row.length); c++) {
        if (row[c] >= 0) {
          held[row[c]][c]++;
        }
      }
    }
    int[][] seen = new int[nodes.size()][columns];
    futureKeeps = new int[nodes.size()][columns];
    hostFutureKeeps = new int[hostQuota.length][columns];
    for (int b = 0; b < bucketCount; b++) {
      for (int c = 0; c < Math.min(columns, before[b].length); c++) {
        int n = before[b][c];
        if (n >= 0) {
          long quota = Math.min(nodeQuota[n][c], held[n][c]);
          int i = seen[n][c]++;
          keep[b][c] = (i + 1) * quota / held[n][c] > i * quota / held[n][c];
          if (keep[b][c]) {
            futureKeeps[n][c]++;
            hostFutureKeeps[hostOf[n]][c]++;
          }
        }
      }
    }
    return keep;
  }

  /** Bucket b is being filled: its planned keeps are no longer in the future. */
  private void passKeeps(int[] before, boolean[] keep) {
    for (int c = 0; c < Math.min(columns, before.length); c++) {
      if (keep[c]) {
        futureKeeps[before[c]][c]--;
        hostFutureKeeps[hostOf[before[c]]][c]--;
      }
    }
  }

  private int slack(int node, int c) {
    return nodeQuota[node][c] - futureKeeps[node][c];
  }

  private int[] match(int remaining, int[] before, boolean[] keep) {
    boolean[] tight = new boolean[hostQuota.length];
    for (int h = 0; h < hostQuota.length; h++) {
      tight[h] = Arrays.stream(hostQuota[h]).sum() == remaining;
    }
    int[][] hostSlack = new int[hostQuota.length][columns];
    for (int h = 0; h < hostQuota.length; h++) {
      for (int c = 0; c < columns; c++) {
        hostSlack[h][c] = hostQuota[h][c] - hostFutureKeeps[h][c];
      }
    }
    Matching m = new Matching(hostQuota, hostSlack, columns, tight);
    for (int c = 0; c < Math.min(columns, before.length); c++) {
      if (before[c] >= 0 && keep[c]) {
        m.tryDirect(hostOf[before[c]], c);
      }
    }
    // A holder from another column may switch columns for this bucket: no copy is needed.
    for (int c = 0; c < columns; c++) {
      for (int other = 0; other < before.length; other++) {
        int holder = before[other];
        if (holder >= 0 && other != c && slack(holder, c) > 0) {
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

  /**
   * The node of host h to hold the bucket in column c: the planned keeper, else a previous holder
   * of the bucket with quota to spare, else the node with the most quota to spare.
   */
  private int pickNode(int h, int c, int[] before, boolean[] keep) {
    if (c < before.length && keep[c] && hostOf[before[c]] == h && nodeQuota[before[c]][c] > 0) {
      return before[c];
    }
    int best = -1;
    for (int n : nodesOfHost.get(h)) {
      if (nodeQuota[n][c] <= 0) {
        continue;
      }
      final int node = n;
      boolean held = Arrays.stream(before).anyMatch(x -> x == node);
      if (held && slack(n, c) > 0) {
        return n;
      }
      if (best < 0 || slack(n, c) > slack(best, c)) {
        best = n;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("host quota without node quota in column " + c);
    }
    return best;
  }
}
