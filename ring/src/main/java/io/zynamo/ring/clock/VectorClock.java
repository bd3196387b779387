package io.zynamo.ring.clock;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableSortedMap;
import io.zynamo.ring.NodeId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * An immutable vector clock (Dynamo section 4.4): one counter per node that changed the versioned
 * state, telling whether one version descends from another or both were made concurrently.
 *
 * <p>A node missing from the clock has counter 0. Each entry also carries the caller-supplied
 * timestamp of its last increment; timestamps only choose which entries {@link #prune prune} drops
 * and never take part in {@link #compare compare}. Entries are kept sorted by node id, so equal
 * clocks iterate, print and encode identically.
 */
public final class VectorClock {

  private static final VectorClock EMPTY = new VectorClock(ImmutableSortedMap.of());

  /** Pruning order: oldest timestamp first; the node id makes ties deterministic. */
  private static final Comparator<Entry> OLDEST_FIRST =
      Comparator.comparingLong(Entry::timestamp).thenComparing(Entry::node);

  private final ImmutableSortedMap<NodeId, Entry> entries;

  private VectorClock(ImmutableSortedMap<NodeId, Entry> entries) {
    this.entries = entries;
  }

  /** The clock of a state nobody has changed yet: every counter is 0. */
  public static VectorClock empty() {
    return EMPTY;
  }

  /**
   * A clock holding exactly the given entries, in any order.
   *
   * @throws IllegalArgumentException if two entries name the same node
   */
  public static VectorClock of(Iterable<Entry> entries) {
    TreeMap<NodeId, Entry> sorted = new TreeMap<>();
    for (Entry entry : entries) {
      Entry previous = sorted.put(requireNonNull(entry, "entry").node(), entry);
      if (previous != null) {
        throw new IllegalArgumentException(
            "vector clock: node " + entry.node() + " appears twice (expected: once per node)");
      }
    }
    return of(sorted);
  }

  private static VectorClock of(Map<NodeId, Entry> sorted) {
    return sorted.isEmpty() ? EMPTY : new VectorClock(ImmutableSortedMap.copyOf(sorted));
  }

  /**
   * Records one more change made by {@code actor} at {@code timestamp}: the actor's counter goes up
   * by one and its entry takes the new timestamp. The result compares {@link Causality#AFTER} this
   * clock.
   *
   * @param timestamp caller-supplied time of the change (e.g. epoch millis), {@code >= 0}; used
   *     only for pruning
   */
  public VectorClock increment(NodeId actor, long timestamp) {
    requireNonNull(actor, "actor");
    // Overflow would need 2^63 changes by one node; addExact turns that into an error, not a wrap.
    Entry next = new Entry(actor, Math.addExact(counter(actor), 1), timestamp);
    TreeMap<NodeId, Entry> updated = new TreeMap<>(entries);
    updated.put(actor, next);
    return of(updated);
  }

  /**
   * The least clock descending both this and {@code other}: the pointwise maximum of the counters.
   * Each entry keeps the timestamp of the side with the higher counter, the later timestamp on a
   * tie, so merge is commutative, associative and idempotent even for inconsistent timestamps.
   */
  public VectorClock merge(VectorClock other) {
    requireNonNull(other, "other");
    TreeMap<NodeId, Entry> merged = new TreeMap<>(entries);
    for (Entry entry : other.entries.values()) {
      merged.merge(entry.node(), entry, VectorClock::later);
    }
    return of(merged);
  }

  private static Entry later(Entry a, Entry b) {
    if (a.counter() != b.counter()) {
      return a.counter() > b.counter() ? a : b;
    }
    return a.timestamp() >= b.timestamp() ? a : b;
  }

  /** How this clock is ordered relative to {@code other}, read as "this is ... other". */
  public Causality compare(VectorClock other) {
    requireNonNull(other, "other");
    boolean ahead = hasCounterAbove(other);
    boolean behind = other.hasCounterAbove(this);
    if (ahead && behind) {
      return Causality.CONCURRENT;
    }
    if (ahead) {
      return Causality.AFTER;
    }
    return behind ? Causality.BEFORE : Causality.EQUAL;
  }

  /**
   * Whether this clock has seen everything {@code other} has: every counter is at least the one in
   * {@code other}, i.e. {@link #compare compare} is {@link Causality#AFTER} or {@link
   * Causality#EQUAL}.
   */
  public boolean descends(VectorClock other) {
    requireNonNull(other, "other");
    return !other.hasCounterAbove(this);
  }

  private boolean hasCounterAbove(VectorClock other) {
    for (Entry entry : entries.values()) {
      if (entry.counter() > other.counter(entry.node())) {
        return true;
      }
    }
    return false;
  }

  /** The counter of {@code node}: 0 when the node never changed the state (or was pruned). */
  public long counter(NodeId node) {
    Entry entry = entries.get(requireNonNull(node, "node"));
    return entry == null ? 0 : entry.counter();
  }

  /** The entries, sorted by node id; immutable. */
  public List<Entry> entries() {
    return entries.values().asList();
  }

  /** The number of entries, i.e. of nodes with a counter above 0. */
  public int size() {
    return entries.size();
  }

  /** Whether no node has a counter above 0. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Drops the oldest entries (by timestamp, then node id) while there are more than {@code
   * policy.maxEntries()}, stopping early at the first entry younger than {@code policy.minAge()}.
   * The result is this clock with some entries removed, so this clock always descends it. Read
   * {@link Pruning} for what pruning does to comparisons.
   *
   * @param now caller-supplied current time, in the unit of the entry timestamps, {@code >= 0}
   */
  public VectorClock prune(Pruning policy, long now) {
    requireNonNull(policy, "policy");
    if (now < 0) {
      throw new IllegalArgumentException("prune now: " + now + " (expected: >= 0)");
    }
    int excess = entries.size() - policy.maxEntries();
    if (excess <= 0) {
      return this;
    }
    List<Entry> oldestFirst = new ArrayList<>(entries.values());
    oldestFirst.sort(OLDEST_FIRST);
    TreeMap<NodeId, Entry> kept = new TreeMap<>(entries);
    for (Entry entry : oldestFirst.subList(0, excess)) {
      // Both values are >= 0, so the difference cannot overflow; a future timestamp (skew
      // between callers) counts as age 0 rather than as a negative age.
      if (Math.max(0, now - entry.timestamp()) < policy.minAge()) {
        break;
      }
      kept.remove(entry.node());
    }
    return of(kept);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof VectorClock clock && entries.equals(clock.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  /** Counters only, in node order, e.g. {@code {n1:3, n2:1}}; timestamps are left out. */
  @Override
  public String toString() {
    return entries.values().stream()
        .map(entry -> entry.node() + ":" + entry.counter())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  /**
   * One (node, counter) pair of a vector clock, with the timestamp of the node's last increment.
   *
   * @param counter number of changes made by {@code node}, {@code >= 1} (absent means 0)
   * @param timestamp caller-supplied time of the last increment, {@code >= 0}; non-negative so that
   *     ages ({@code now - timestamp}) cannot overflow
   */
  public record Entry(NodeId node, long counter, long timestamp) {

    public Entry {
      requireNonNull(node, "node");
      if (counter < 1) {
        throw new IllegalArgumentException(
            "node " + node + ": counter: " + counter + " (expected: >= 1)");
      }
      if (timestamp < 0) {
        throw new IllegalArgumentException(
            "node " + node + ": timestamp: " + timestamp + " (expected: >= 0)");
      }
    }
  }

  /**
   * When {@link VectorClock#prune prune} drops entries: Dynamo's size bound (section 4.4: "when the
   * number of (node, counter) pairs reaches a threshold (say 10), the oldest pair is removed") plus
   * a minimum age like Riak's {@code young_vclock}. A pruned clock keeps at most {@code maxEntries}
   * entries, except that entries younger than {@code minAge} are never dropped, as other copies may
   * not have seen them yet.
   *
   * <p>Pruning lowers counters to 0, which can change {@link VectorClock#compare compare}. Let
   * {@code a'} and {@code b'} be {@code a} and {@code b} pruned:
   *
   * <ul>
   *   <li>If every entry {@code (n, c)} dropped from one clock is known to the other (its unpruned
   *       counter for {@code n} is {@code >= c}), every difference survives: CONCURRENT stays
   *       CONCURRENT, AFTER stays AFTER or becomes CONCURRENT (likewise BEFORE), and EQUAL may
   *       become anything, which is harmless as both have the same history. A descendant never
   *       looks older than or equal to its ancestor and no conflict is hidden; the cost is spurious
   *       conflicts, which the ring resolves like any conflict: deterministically, so every node
   *       picks the same winner.
   *   <li>Otherwise any result is possible, including the one that loses data: for {@code x = {a:1,
   *       c:1}} and its descendant {@code y = x.merge({b:1}) = {a:1, b:1, c:1}} with {@code c}
   *       newest, pruning {@code y} to one entry leaves {@code {c:1}}, and {@code x} now looks
   *       AFTER it, so keeping {@code x} would drop the change counted by {@code b:1}.
   * </ul>
   *
   * <p>{@code minAge} is what makes the first case the usual one: if every copy merges a change
   * within {@code minAge} (measured by callers' clocks that roughly agree), every entry old enough
   * to drop is known to every copy. A copy cut off for longer falls into the second case; Dynamo
   * accepts that risk ("this problem has not surfaced in production").
   *
   * @param maxEntries most entries a pruned clock keeps, {@code >= 1}, unless more are young
   * @param minAge age below which an entry is never dropped, in the unit of the timestamps, {@code
   *     >= 0}; 0 makes {@code maxEntries} a hard bound
   */
  public record Pruning(int maxEntries, long minAge) {

    /** Dynamo's threshold of 10 entries, no minimum age. */
    public static final Pruning DEFAULT = new Pruning(10, 0);

    public Pruning {
      if (maxEntries < 1) {
        throw new IllegalArgumentException(
            "pruning maxEntries: " + maxEntries + " (expected: >= 1)");
      }
      if (minAge < 0) {
        throw new IllegalArgumentException("pruning minAge: " + minAge + " (expected: >= 0)");
      }
    }

    /** This policy with another size bound. */
    public Pruning withMaxEntries(int maxEntries) {
      return new Pruning(maxEntries, minAge);
    }

    /** This policy with another minimum age. */
    public Pruning withMinAge(long minAge) {
      return new Pruning(maxEntries, minAge);
    }
  }
}
