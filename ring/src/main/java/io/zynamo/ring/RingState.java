package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.clock.Causality;
import io.zynamo.ring.clock.VectorClock;
import io.zynamo.ring.membership.Member;
import io.zynamo.ring.membership.MemberState;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

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
 * @param placement the bucket table reads use: where every bucket's data is known to be complete
 * @param moving during a move, the other bucket table: writes go to the replicas of both tables,
 *     reads only to {@code placement}'s (see {@link #beginMove}); null when no move is under way
 */
public record RingState(
    long epoch,
    VectorClock version,
    int bucketBits,
    ReplicationFactor replication,
    List<Member> members,
    Placement placement,
    @Nullable Placement moving) {

  /** Most members a ring state may hold, tombstones included. */
  public static final int MAX_MEMBERS = 4096;

  public RingState {
    requireNonNull(version, "version");
    requireNonNull(replication, "replication");
    requireNonNull(placement, "placement");
    members = sorted(requireNonNull(members, "members"));
    if (moving != null && moving.bucketCount() != placement.bucketCount()) {
      throw new IllegalArgumentException(
          "moving placement buckets: "
              + moving.bucketCount()
              + " (expected: "
              + placement.bucketCount()
              + ")");
    }
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
    Set<NodeId> placed = new TreeSet<>(placement.nodes());
    if (moving != null) {
      placed.addAll(moving.nodes());
    }
    if (!owners.equals(placed)) {
      throw new IllegalArgumentException(
          "placement nodes " + placed + " (expected: the data-owning members " + owners + ")");
    }
  }

  /** A state with no move under way. */
  public RingState(
      long epoch,
      VectorClock version,
      int bucketBits,
      ReplicationFactor replication,
      List<Member> members,
      Placement placement) {
    this(epoch, version, bucketBits, replication, members, placement, null);
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
    requireNoMove();
    Placement next =
        strategy.place(
            owners(newMembers), replication, placement.bucketCount(), Optional.of(placement));
    return next(newMembers, next, null, claimant, timestamp);
  }

  private static List<Member> owners(List<Member> members) {
    return members.stream().filter(m -> m.state().ownsData()).toList();
  }

  private void requireNoMove() {
    if (moving != null) {
      throw new IllegalStateException("a move is under way (epoch " + epoch + ")");
    }
  }

  /**
   * The first step of a membership change that moves data: {@code newMembers} name joining nodes
   * {@link MemberState#JOINING} and leaving ones {@link MemberState#LEAVING}. Reads stay on the
   * current table; the target table (computed over the UP and JOINING members, moving as little as
   * the strategy can from the current one) becomes {@link #moving}, so writes reach both.
   */
  public RingState beginMove(
      List<Member> newMembers, NodeId claimant, long timestamp, PlacementStrategy strategy) {
    requireNoMove();
    List<Member> target =
        newMembers.stream()
            .filter(m -> m.state() == MemberState.UP || m.state() == MemberState.JOINING)
            .toList();
    Placement next =
        strategy.place(target, replication, placement.bucketCount(), Optional.of(placement));
    return next(newMembers, placement, next, claimant, timestamp);
  }

  /**
   * The second step: every moving bucket's new replicas hold its data, so reads switch to the
   * target table (joining members become UP); writes still reach the old replicas too, for clients
   * that read with the previous state.
   */
  public RingState switchMove(NodeId claimant, long timestamp) {
    Placement target = requireMove();
    List<Member> next =
        members.stream()
            .map(m -> m.state() == MemberState.JOINING ? m.withState(MemberState.UP) : m)
            .toList();
    return next(next, target, placement, claimant, timestamp);
  }

  /**
   * The last step: no client reads the old table any more; writes stop going to it and leaving
   * members become {@link MemberState#REMOVED} tombstones.
   */
  public RingState finishMove(NodeId claimant, long timestamp) {
    requireMove();
    List<Member> next =
        members.stream()
            .map(m -> m.state() == MemberState.LEAVING ? m.withState(MemberState.REMOVED) : m)
            .toList();
    return next(next, placement, null, claimant, timestamp);
  }

  /** The state after one change by {@code claimant}: the next epoch, same Q and N. */
  private RingState next(
      List<Member> newMembers,
      Placement reads,
      @Nullable Placement other,
      NodeId claimant,
      long timestamp) {
    return new RingState(
        epoch + 1,
        version.increment(claimant, timestamp),
        bucketBits,
        replication,
        newMembers,
        reads,
        other);
  }

  private Placement requireMove() {
    if (moving == null) {
      throw new IllegalStateException("no move is under way (epoch " + epoch + ")");
    }
    return moving;
  }

  /**
   * Replicas a write of {@code bucket} reaches besides its {@link Placement#replicas} during a move
   * (they do not count towards W); empty otherwise.
   */
  public List<NodeId> extraReplicas(BucketId bucket) {
    if (moving == null) {
      return List.of();
    }
    List<NodeId> read = placement.replicas(bucket);
    return moving.replicas(bucket).stream().filter(n -> !read.contains(n)).toList();
  }

  /** Every node holding data or being filled: both tables' nodes during a move, sorted. */
  public List<NodeId> nodes() {
    if (moving == null) {
      return placement.nodes();
    }
    Set<NodeId> all = new TreeSet<>(placement.nodes());
    all.addAll(moving.nodes());
    return List.copyOf(all);
  }

  /** The buckets whose replicas differ between the two tables of a move; empty otherwise. */
  public SortedSet<BucketId> movingBuckets() {
    SortedSet<BucketId> buckets = new TreeSet<>();
    for (int b = 0; moving != null && b < placement.bucketCount(); b++) {
      BucketId bucket = new BucketId(b);
      if (!Set.copyOf(placement.replicas(bucket)).equals(Set.copyOf(moving.replicas(bucket)))) {
        buckets.add(bucket);
      }
    }
    return buckets;
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
        winner.placement,
        winner.moving);
  }

  private static int compareContent(RingState a, RingState b) {
    if (a.epoch != b.epoch) {
      return Long.compare(a.epoch, b.epoch);
    }
    return Arrays.compareUnsigned(RingStateCodec.content(a), RingStateCodec.content(b));
  }
}
