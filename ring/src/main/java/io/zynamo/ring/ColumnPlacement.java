package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The columns-plus-guests placement (see {@code docs/ring.md}).
 *
 * <ol>
 *   <li>{@code C = min(N, distinct hosts)} columns; each is a failure domain holding one complete
 *       copy of all {@code B} buckets, and all nodes of one host share a column, so the C replicas
 *       of a bucket are always on C distinct hosts.
 *   <li>Each node's target load is its weighted {@link FairShare fair share} of {@code C * B}.
 *   <li>{@link HomeColumns} puts nodes in columns, keeping one <em>cover column</em> whose own
 *       nodes (at most {@code ceil(M/C)} of them) hold its whole copy: a scan touches only those.
 *   <li>{@link ColumnQuotas} splits each node's target between its home column and guest duty in
 *       columns whose members cannot carry a whole copy.
 *   <li>{@link BucketFill} fills the table, keeping previous holders where quotas allow.
 * </ol>
 */
public final class ColumnPlacement implements PlacementStrategy {

  @Override
  public Placement place(
      List<Member> owners,
      ReplicationFactor replication,
      int bucketCount,
      Optional<Placement> previous) {
    requireNonNull(replication, "replication");
    requireNonNull(previous, "previous");
    List<Member> sorted = validate(owners, bucketCount);
    Map<NodeId, HostId> hosts = new HashMap<>();
    sorted.forEach(m -> hosts.put(m.node(), m.host()));
    int columns = replication.effective(new HashSet<>(hosts.values()).size());

    Map<NodeId, Integer> targets = new FairShare(sorted, columns, bucketCount).targets();
    Map<NodeId, Integer> homeColumns =
        new HomeColumns(sorted, targets, columns, bucketCount).assign(previous);
    Map<NodeId, int[]> quotas =
        new ColumnQuotas(sorted, targets, homeColumns, columns, bucketCount)
            .withGuests(homeColumns, previous);
    List<List<NodeId>> table = new BucketFill(sorted, quotas, columns, bucketCount).fill(previous);
    return new Placement(table, hosts, homeColumns);
  }

  private static List<Member> validate(List<Member> owners, int bucketCount) {
    requireNonNull(owners, "owners");
    if (owners.isEmpty()) {
      throw new IllegalArgumentException("owners: none (expected: at least one node)");
    }
    if (bucketCount < 1) {
      throw new IllegalArgumentException("buckets: " + bucketCount + " (expected: >= 1)");
    }
    List<Member> sorted = new ArrayList<>(owners);
    sorted.sort(Comparator.comparing(Member::node));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).node().equals(sorted.get(i - 1).node())) {
        throw new IllegalArgumentException("owners: " + sorted.get(i).node() + " listed twice");
      }
    }
    Set<Member> notOwning = new HashSet<>();
    sorted.stream().filter(m -> !m.state().ownsData()).forEach(notOwning::add);
    if (!notOwning.isEmpty()) {
      throw new IllegalArgumentException("owners: " + notOwning + " hold no data in their state");
    }
    return sorted;
  }
}
