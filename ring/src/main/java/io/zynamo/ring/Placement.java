package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import com.google.common.collect.ImmutableSortedSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The bucket table: for every bucket, one holder per column, where a column is one complete copy of
 * all buckets. Immutable.
 *
 * <pre>
 *            column 0   column 1   column 2        replicas(b) = the holders of b,
 *  bucket 0    n1         n2         n3            starting at column b mod C
 *  bucket 1    n4         n2         n3            (so primaries rotate over columns)
 *  ...
 * </pre>
 *
 * <p>Every node has a home column (all nodes of one host share it). A node holding buckets in
 * another column is a guest there; see {@link ColumnPlacement}.
 */
public final class Placement {

  private final int bucketCount;
  private final int columns;
  private final ImmutableList<NodeId> nodes;
  private final ImmutableSortedMap<NodeId, HostId> hosts;
  private final ImmutableSortedMap<NodeId, Integer> homeColumns;
  private final int[] table;

  /**
   * {@link #replicas} per bucket, filled on first use (a race only computes an equal list twice):
   * every routed statement asks for its bucket's replicas.
   */
  private final AtomicReferenceArray<@Nullable ImmutableList<NodeId>> replicaLists;

  /**
   * Builds a placement and checks that no bucket has two replicas on one host.
   *
   * @param holders {@code holders.get(b).get(c)} holds bucket {@code b} in column {@code c}
   * @param hosts the host of every node appearing in {@code holders} or {@code homeColumns}
   * @param homeColumns the home column of every node
   */
  public Placement(
      List<List<NodeId>> holders, Map<NodeId, HostId> hosts, Map<NodeId, Integer> homeColumns) {
    this.bucketCount = holders.size();
    this.columns = bucketCount == 0 ? 0 : holders.get(0).size();
    this.hosts = ImmutableSortedMap.copyOf(hosts);
    this.homeColumns = ImmutableSortedMap.copyOf(homeColumns);
    this.nodes = this.homeColumns.keySet().asList();
    this.table = new int[bucketCount * columns];
    this.replicaLists = new AtomicReferenceArray<>(bucketCount);
    for (int b = 0; b < bucketCount; b++) {
      List<NodeId> row = holders.get(b);
      if (row.size() != columns) {
        throw new IllegalArgumentException(
            "bucket " + b + ": " + row.size() + " holders (expected: " + columns + ")");
      }
      for (int c = 0; c < columns; c++) {
        table[b * columns + c] = indexOf(requireNonNull(row.get(c), "holder"));
      }
    }
    checkInvariants();
  }

  private int indexOf(NodeId node) {
    int index = nodes.indexOf(node);
    if (index < 0) {
      throw new IllegalArgumentException("holder " + node + " has no home column");
    }
    return index;
  }

  private void checkInvariants() {
    for (NodeId node : nodes) {
      if (!hosts.containsKey(node)) {
        throw new IllegalArgumentException("node " + node + " has no host");
      }
      int home = homeColumns.get(node);
      if (home < 0 || home >= Math.max(columns, 1)) {
        throw new IllegalArgumentException(
            "home column of " + node + ": " + home + " (expected: 0.." + (columns - 1) + ")");
      }
    }
    for (int b = 0; b < bucketCount; b++) {
      long distinctHosts = replicas(new BucketId(b)).stream().map(hosts::get).distinct().count();
      if (distinctHosts != columns) {
        throw new IllegalArgumentException(
            "bucket " + b + ": replicas " + replicas(new BucketId(b)) + " share a host");
      }
    }
  }

  /** {@code B}, the number of buckets. */
  public int bucketCount() {
    return bucketCount;
  }

  /** {@code C}, the number of columns = replicas per bucket. */
  public int columns() {
    return columns;
  }

  /** All nodes that have a home column, sorted. */
  public List<NodeId> nodes() {
    return nodes;
  }

  /** The host of a node of this placement. */
  public HostId host(NodeId node) {
    return requireNonNull(hosts.get(node), () -> "not in placement: " + node);
  }

  /** The home column of a node of this placement. */
  public int homeColumn(NodeId node) {
    return requireNonNull(homeColumns.get(node), () -> "not in placement: " + node);
  }

  /** Whether the node is part of this placement. */
  public boolean contains(NodeId node) {
    return homeColumns.containsKey(node);
  }

  /** The holder of a bucket in one column. */
  public NodeId holder(BucketId bucket, int column) {
    checkBucket(bucket);
    if (column < 0 || column >= columns) {
      throw new IndexOutOfBoundsException("column: " + column + " (expected: 0.." + columns + ")");
    }
    return nodes.get(table[bucket.value() * columns + column]);
  }

  /** The preference list of a bucket: its C replicas, starting at column {@code b mod C}. */
  public List<NodeId> replicas(BucketId bucket) {
    checkBucket(bucket);
    ImmutableList<NodeId> known = replicaLists.get(bucket.value());
    if (known != null) {
      return known;
    }
    ImmutableList.Builder<NodeId> list = ImmutableList.builderWithExpectedSize(columns);
    for (int i = 0; i < columns; i++) {
      list.add(holder(bucket, (bucket.value() + i) % columns));
    }
    ImmutableList<NodeId> replicas = list.build();
    replicaLists.set(bucket.value(), replicas);
    return replicas;
  }

  /** The buckets a node holds, in any column. */
  public SortedSet<BucketId> bucketsOf(NodeId node) {
    int index = nodes.indexOf(node);
    ImmutableSortedSet.Builder<BucketId> buckets = ImmutableSortedSet.naturalOrder();
    for (int i = 0; index >= 0 && i < table.length; i++) {
      if (table[i] == index) {
        buckets.add(new BucketId(i / columns));
      }
    }
    return buckets.build();
  }

  /** The buckets a node holds in one column. */
  public SortedSet<BucketId> bucketsOf(NodeId node, int column) {
    ImmutableSortedSet.Builder<BucketId> buckets = ImmutableSortedSet.naturalOrder();
    for (int b = 0; b < bucketCount; b++) {
      if (holder(new BucketId(b), column).equals(node)) {
        buckets.add(new BucketId(b));
      }
    }
    return buckets.build();
  }

  /** How many bucket replicas each node holds. */
  public SortedMap<NodeId, Integer> loads() {
    SortedMap<NodeId, Integer> loads = new TreeMap<>();
    nodes.forEach(n -> loads.put(n, 0));
    for (int index : table) {
      loads.merge(nodes.get(index), 1, Integer::sum);
    }
    return loads;
  }

  private void checkBucket(BucketId bucket) {
    if (bucket.value() >= bucketCount) {
      throw new IndexOutOfBoundsException(
          "bucket: " + bucket + " (expected: < " + bucketCount + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Placement other
        && bucketCount == other.bucketCount
        && columns == other.columns
        && nodes.equals(other.nodes)
        && hosts.equals(other.hosts)
        && homeColumns.equals(other.homeColumns)
        && Arrays.equals(table, other.table);
  }

  @Override
  public int hashCode() {
    return 31 * homeColumns.hashCode() + Arrays.hashCode(table);
  }

  @Override
  public String toString() {
    return "Placement{buckets=" + bucketCount + ", columns=" + columns + ", loads=" + loads() + "}";
  }
}
