package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How many buckets each node holds in each column: {@code quota[n][c]}, with every column summing
 * to {@code B} and every node to its target.
 *
 * <p>In a column whose nodes' targets reach {@code B}, the members split the column's {@code B}
 * buckets in proportion to their targets, and each keeps the rest of its target as surplus. A
 * column whose members fall short has a deficit, filled by <em>guests</em>: surplus nodes of other
 * columns. Guests keep their previous guest duty where possible, and otherwise the node with the
 * most surplus takes as much as it can, so each column has as few guests as possible.
 */
final class ColumnQuotas {

  private final int columns;
  private final int bucketCount;
  private final Map<NodeId, int[]> quotas = new TreeMap<>();
  private final Map<NodeId, Integer> surplus = new TreeMap<>();
  private final int[] deficit;

  ColumnQuotas(
      List<Member> owners,
      Map<NodeId, Integer> targets,
      Map<NodeId, Integer> homeColumns,
      int columns,
      int bucketCount) {
    this.columns = columns;
    this.bucketCount = bucketCount;
    this.deficit = new int[columns];
    for (int c = 0; c < columns; c++) {
      final int column = c;
      List<Member> members =
          owners.stream().filter(m -> homeColumns.get(m.node()) == column).toList();
      splitHome(column, members, targets);
    }
  }

  /** The quotas after assigning guests; {@code quota[c]} per node. */
  Map<NodeId, int[]> withGuests(Map<NodeId, Integer> homeColumns, Optional<Placement> previous) {
    previous.ifPresent(p -> keepPreviousGuests(p, homeColumns));
    for (int c = 0; c < columns; c++) {
      while (deficit[c] > 0) {
        NodeId guest = largestSurplus(c, homeColumns);
        give(guest, c, Math.min(deficit[c], surplus.get(guest)));
      }
    }
    return quotas;
  }

  private void splitHome(int column, List<Member> members, Map<NodeId, Integer> targets) {
    long capacity = members.stream().mapToLong(m -> targets.get(m.node())).sum();
    if (capacity < bucketCount) {
      deficit[column] = (int) (bucketCount - capacity);
      members.forEach(m -> setHome(m.node(), column, targets.get(m.node()), 0));
      return;
    }
    // Largest remainder of B * target / capacity; each share <= target because B <= capacity.
    List<Member> byRemainder = new ArrayList<>(members);
    Map<NodeId, Double> exact = new TreeMap<>();
    int assigned = 0;
    for (Member m : members) {
      double share = (double) bucketCount * targets.get(m.node()) / capacity;
      exact.put(m.node(), share);
      int floor = (int) Math.floor(share + 1e-9);
      setHome(m.node(), column, floor, targets.get(m.node()) - floor);
      assigned += floor;
    }
    byRemainder.sort(
        Comparator.comparingDouble((Member m) -> quotas.get(m.node())[column] - exact.get(m.node()))
            .thenComparing(Member::node));
    for (int i = 0; assigned < bucketCount; i++, assigned++) {
      NodeId node = byRemainder.get(i).node();
      quotas.get(node)[column]++;
      surplus.merge(node, -1, Integer::sum);
    }
  }

  private void setHome(NodeId node, int column, int home, int rest) {
    int[] quota = new int[columns];
    quota[column] = home;
    quotas.put(node, quota);
    surplus.put(node, rest);
  }

  private void keepPreviousGuests(Placement previous, Map<NodeId, Integer> homeColumns) {
    for (NodeId node : quotas.keySet()) {
      if (!previous.contains(node)) {
        continue;
      }
      for (int c = 0; c < Math.min(columns, previous.columns()); c++) {
        if (c != homeColumns.get(node) && deficit[c] > 0 && surplus.get(node) > 0) {
          int held = previous.bucketsOf(node, c).size();
          give(node, c, Math.min(held, Math.min(deficit[c], surplus.get(node))));
        }
      }
    }
  }

  private NodeId largestSurplus(int column, Map<NodeId, Integer> homeColumns) {
    return surplus.entrySet().stream()
        .filter(e -> e.getValue() > 0 && homeColumns.get(e.getKey()) != column)
        .max(Comparator.comparing((Map.Entry<NodeId, Integer> e) -> e.getValue()))
        .map(Map.Entry::getKey)
        .orElseThrow(
            () -> new IllegalStateException("column " + column + ": deficit with no surplus"));
  }

  private void give(NodeId node, int column, int count) {
    quotas.get(node)[column] += count;
    surplus.merge(node, -count, Integer::sum);
    deficit[column] -= count;
  }
}
