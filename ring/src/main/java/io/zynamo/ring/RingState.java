package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.clock.Causality;
import io.zynamo.ring.clock.VectorClock;
import io.zynamo.ring.membership.Member;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ring as every node stores it: members, bucket count, replication factor and bucket table,
 * stamped with an epoch and a vector clock. Immutable; a change makes a new state with a higher
 * epoch, which replaces the old one whole.
 *
 * @param epoch increases with every change made by a claimant
 * @param version which changes this state has seen: decides which of two states is newer
 * @param bucketBits Q, with {@code B = 2^Q} buckets
 * @param members every member ever added, sorted by node id; {@code REMOVED} ones stay as
 *     tombstones so that merging an old state cannot bring them back
 * @param placement the bucket table over the members that own data
 */
public record RingState(
    long epoch,
    VectorClock version,
    int bucketBits,
    ReplicationFactor replication,
    List<Member> members,
    Placement placement) {

  /** Most members a ring state may hold, tombstones included. */
  public static final int MAX_MEMBERS = 4096;

  public RingState {
    requireNonNull(version, "version");
    requireNonNull(replication, "replication");
    requireNonNull(placement, "placement");
    members = sorted(requireNonNull(members, "members"));
    if (epoch < 1) {
      throw new IllegalArgumentException("ring epoch: " + epoch + " (expected: >= 1)");
    }
    new KeyHasher(bucketBits); // validates the range
    if (placement.bucketCount() != 1 << bucketBits) {
      throw new IllegalArgumentException(
          "placement buckets: "
              + placement.bucketCount()
              + " (expected: "
              + (1 << bucketBits)
              + ")");
    }
    Set<NodeId> owners =
        members.stream()
            .filter(m -> m.state().ownsData())
            .map(Member::node)
            .collect(Collectors.toSet());
    if (!owners.equals(Set.copyOf(placement.nodes()))) {
      throw new IllegalArgumentException(
          "placement nodes "
              + placement.nodes()
              + " (expected: the data-owning members "
              + owners
              + ")");
    }
  }

  private static List<Member> sorted(List<Member> members) {
    if (members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "ring members: " + members.size() + " (expected: <= " + MAX_MEMBERS + ")");
    }
    List<Member> sorted = members.stream().sorted(Comparator.comparing(Member::node)).toList();
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).node().equals(sorted.get(i - 1).node())) {
        throw new IllegalArgumentException("ring members: " + sorted.get(i).node() + " twice");
      }
    }
    return sorted;
  }

  /** A new ring over its first members, created by {@code claimant} at {@code timestamp}. */
  public static RingState create(
      List<Member> members,
      ReplicationFactor replication,
      int bucketBits,
      NodeId claimant,
      long timestamp,
      PlacementStrategy strategy) {
    Placement placement =
        strategy.place(owners(members), replication, 1 << bucketBits, Optional.empty());
    VectorClock version = VectorClock.empty().increment(claimant, timestamp);
    return new RingState(1, version, bucketBits, replication, members, placement);
  }

  /** The next state, with new members (a join, a state change or a removal) and a new table. */
  public RingState withMembers(
      List<Member> newMembers, NodeId claimant, long timestamp, PlacementStrategy strategy) {
    Placement next =
        strategy.place(
            owners(newMembers), replication, placement.bucketCount(), Optional.of(placement));
    return new RingState(
        epoch + 1,
        version.increment(claimant, timestamp),
        bucketBits,
        replication,
        newMembers,
        next);
  }

  private static List<Member> owners(List<Member> members) {
    return members.stream().filter(m -> m.state().ownsData()).toList();
  }

  /** The member with this id, if any. */
  public Optional<Member> member(NodeId node) {
    return members.stream().filter(m -> m.node().equals(node)).findFirst();
  }

  /**
   * Merges a state learned from a peer. The causally newer state wins. Concurrent states (two
   * claimants changed the ring at once, or pruning hid the order) resolve deterministically on
   * every node: the higher epoch, then the larger encoded content, wins whole — never a union, so a
   * removal cannot be undone — and it carries the merged version, so it descends from both.
   */
  public RingState merge(RingState other) {
    Causality order = version.compare(other.version);
    if (order == Causality.AFTER || (order == Causality.EQUAL && equals(other))) {
      return this;
    }
    if (order == Causality.BEFORE) {
      return other;
    }
    RingState winner = compareContent(this, other) >= 0 ? this : other;
    return new RingState(
        winner.epoch,
        version.merge(other.version),
        winner.bucketBits,
        winner.replication,
        winner.members,
        winner.placement);
  }

  private static int compareContent(RingState a, RingState b) {
    if (a.epoch != b.epoch) {
      return Long.compare(a.epoch, b.epoch);
    }
    return Arrays.compareUnsigned(RingStateCodec.content(a), RingStateCodec.content(b));
  }
}
