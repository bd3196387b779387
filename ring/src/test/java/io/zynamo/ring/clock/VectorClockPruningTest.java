package io.zynamo.ring.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.NodeId;
import io.zynamo.ring.clock.VectorClock.Entry;
import io.zynamo.ring.clock.VectorClock.Pruning;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorClockPruningTest {

  private static final Comparator<Entry> OLDEST_FIRST =
      Comparator.comparingLong(Entry::timestamp).thenComparing(Entry::node);

  static LongStream seeds() {
    return Clocks.seeds();
  }

  @Test
  void leavesAClockWithinTheBoundAlone() {
    VectorClock clock = clockWithTimestamps(0, 1, 2);
    assertSame(clock, clock.prune(Pruning.DEFAULT, 100));
  }

  @Test
  void dropsTheOldestEntriesAboveTheBound() {
    VectorClock clock = clockWithTimestamps(5, 0, 7, 3, 11, 1, 8, 2, 9, 4, 10, 6);
    VectorClock pruned = clock.prune(Pruning.DEFAULT, 100);
    assertEquals(10, pruned.size());
    // n1 (timestamp 0) and n5 (timestamp 1) were the oldest.
    assertEquals(0, pruned.counter(Clocks.node(1)));
    assertEquals(0, pruned.counter(Clocks.node(5)));
  }

  @Test
  void breaksTimestampTiesByNodeId() {
    VectorClock clock = clockWithTimestamps(4, 4, 4);
    assertEquals(
        List.of(new Entry(Clocks.node(2), 1, 4)), clock.prune(new Pruning(1, 0), 10).entries());
  }

  @Test
  void keepsEntriesYoungerThanTheMinimumAgeEvenAboveTheBound() {
    VectorClock clock = clockWithTimestamps(0, 50, 90, 95);
    VectorClock pruned = clock.prune(new Pruning(1, 20), 100);
    // Ages 100 and 50 may go; age 10 stops pruning although two entries remain.
    assertEquals(
        List.of(new Entry(Clocks.node(2), 1, 90), new Entry(Clocks.node(3), 1, 95)),
        pruned.entries());
  }

  @Test
  void countsATimestampAfterNowAsAgeZero() {
    VectorClock clock = clockWithTimestamps(300, 200);
    assertEquals(1, clock.prune(new Pruning(1, 0), 100).size());
    assertEquals(2, clock.prune(new Pruning(1, 1), 100).size());
  }

  /** The hazard documented on {@link Pruning}: the pruned entry is unknown to the other side. */
  @Test
  void canMakeAnAncestorLookNewerWhenItDropsWhatTheAncestorLacks() {
    NodeId a = new NodeId("a");
    NodeId b = new NodeId("b");
    NodeId c = new NodeId("c");
    VectorClock x = VectorClock.empty().increment(a, 1).increment(c, 3);
    VectorClock y = x.merge(VectorClock.empty().increment(b, 2));
    assertEquals(Causality.BEFORE, x.compare(y));

    VectorClock pruned = y.prune(new Pruning(1, 0), 10);
    assertEquals("{c:1}", pruned.toString());
    assertEquals(Causality.AFTER, x.compare(pruned));
  }

  @Test
  void rejectsNegativeNowAndBadPolicies() {
    VectorClock clock = clockWithTimestamps(0);
    assertEquals(
        "prune now: -1 (expected: >= 0)",
        assertThrows(IllegalArgumentException.class, () -> clock.prune(Pruning.DEFAULT, -1))
            .getMessage());
    assertEquals(
        "pruning maxEntries: 0 (expected: >= 1)",
        assertThrows(IllegalArgumentException.class, () -> Pruning.DEFAULT.withMaxEntries(0))
            .getMessage());
    assertEquals(
        "pruning minAge: -5 (expected: >= 0)",
        assertThrows(IllegalArgumentException.class, () -> Pruning.DEFAULT.withMinAge(-5))
            .getMessage());
  }

  @Test
  void defaultIsDynamosTenEntries() {
    assertEquals(new Pruning(10, 0), Pruning.DEFAULT);
    assertEquals(new Pruning(3, 60_000), Pruning.DEFAULT.withMaxEntries(3).withMinAge(60_000));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void withoutMinimumAgeTheBoundIsHard(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock clock = gen.messy();
    int maxEntries = gen.intBetween(1, 7);
    long now = gen.longBetween(0, 30);
    assertTrue(clock.prune(new Pruning(maxEntries, 0), now).size() <= maxEntries);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keepsTheNewestEntriesAndDropsOnlyOldOnes(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock clock = gen.messy();
    Pruning policy = gen.policy();
    long now = gen.longBetween(0, 30);
    VectorClock pruned = clock.prune(policy, now);
    List<Entry> dropped = new ArrayList<>(clock.entries());
    dropped.removeAll(pruned.entries());

    assertTrue(clock.entries().containsAll(pruned.entries()), "kept entries are unchanged");
    for (Entry gone : dropped) {
      assertTrue(Math.max(0, now - gone.timestamp()) >= policy.minAge(), () -> gone + " was old");
      for (Entry kept : pruned.entries()) {
        assertTrue(OLDEST_FIRST.compare(gone, kept) < 0, () -> gone + " older than " + kept);
      }
    }
    if (pruned.size() > policy.maxEntries()) {
      assertTrue(isYoung(oldest(pruned.entries()), policy, now), "only young entries exceed");
    } else {
      assertTrue(
          pruned.size() == policy.maxEntries() || dropped.isEmpty(), "drops no more than needed");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theUnprunedClockDescendsThePrunedOne(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock clock = gen.messy();
    Pruning policy = gen.policy();
    long now = gen.longBetween(0, 30);
    VectorClock pruned = clock.prune(policy, now);
    assertTrue(clock.descends(pruned));
    assertTrue(EnumSet.of(Causality.BEFORE, Causality.EQUAL).contains(pruned.compare(clock)));
  }

  /**
   * The guarantee documented on {@link Pruning}, checked where its precondition holds. The clocks
   * share a history and then diverge, as copies of one state do, so pruning often drops shared
   * entries. {@link #keepsEveryDifferenceChecksEnoughPrunedClocks} makes sure the seeds that skip
   * the check are not too many and that the checks often drop something.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keepsEveryDifferenceWhenDroppedEntriesAreKnownToTheOtherSide(long seed) {
    PrunedCopies copies = PrunedCopies.generate(seed);
    if (!copies.droppedAreKnown()) {
      return;
    }

    Causality truth = copies.a().compare(copies.b());
    Causality seen = copies.prunedA().compare(copies.prunedB());
    Set<Causality> allowed =
        switch (truth) {
          case CONCURRENT -> EnumSet.of(Causality.CONCURRENT);
          case AFTER -> EnumSet.of(Causality.AFTER, Causality.CONCURRENT);
          case BEFORE -> EnumSet.of(Causality.BEFORE, Causality.CONCURRENT);
          case EQUAL -> EnumSet.allOf(Causality.class);
        };
    assertTrue(allowed.contains(seen), () -> truth + " seen as " + seen);
  }

  /**
   * Only checks where something was dropped test the guarantee: more than 10% of them must, and at
   * least one seed in six must meet the precondition at all.
   */
  @Test
  void keepsEveryDifferenceChecksEnoughPrunedClocks() {
    int skipped = 0;
    int checked = 0;
    int pruned = 0;
    for (long seed : seeds().toArray()) {
      PrunedCopies copies = PrunedCopies.generate(seed);
      if (!copies.droppedAreKnown()) {
        skipped++;
        continue;
      }
      checked++;
      if (copies.prunedSomething()) {
        pruned++;
      }
    }
    int checks = checked;
    int skips = skipped;
    assertTrue(skips <= 5 * checks, () -> skips + " seeds skipped, " + checks + " checked");
    double percentage = 100.0 * pruned / checks;
    assertTrue(percentage > 10, () -> percentage + "% of the checks pruned something");
  }

  /**
   * Two copies of one clock after each applied its own increments, each pruned with one policy at
   * its own time.
   */
  record PrunedCopies(VectorClock a, VectorClock b, VectorClock prunedA, VectorClock prunedB) {

    static PrunedCopies generate(long seed) {
      Clocks gen = new Clocks(seed);
      VectorClock shared = gen.messy();
      VectorClock a = incrementAll(shared, gen.nodes(3));
      VectorClock b = incrementAll(shared, gen.nodes(3));
      Pruning policy = gen.policy();
      long nowA = gen.longBetween(0, 40);
      long nowB = gen.longBetween(0, 40);
      return new PrunedCopies(a, b, a.prune(policy, nowA), b.prune(policy, nowB));
    }

    /** The precondition of the guarantee: what each side dropped, the other side knows. */
    boolean droppedAreKnown() {
      return VectorClockPruningTest.droppedAreKnown(a, prunedA, b)
          && VectorClockPruningTest.droppedAreKnown(b, prunedB, a);
    }

    boolean prunedSomething() {
      return !a.equals(prunedA) || !b.equals(prunedB);
    }
  }

  /** Increments after the shared history: its timestamps are 0..20. */
  private static VectorClock incrementAll(VectorClock clock, List<NodeId> actors) {
    VectorClock result = clock;
    long timestamp = 21;
    for (NodeId actor : actors) {
      result = result.increment(actor, timestamp++);
    }
    return result;
  }

  private static boolean droppedAreKnown(VectorClock full, VectorClock pruned, VectorClock other) {
    return full.entries().stream()
        .filter(entry -> pruned.counter(entry.node()) == 0)
        .allMatch(entry -> other.counter(entry.node()) >= entry.counter());
  }

  private static Entry oldest(List<Entry> entries) {
    return entries.stream().min(OLDEST_FIRST).orElseThrow();
  }

  private static boolean isYoung(Entry entry, Pruning policy, long now) {
    return Math.max(0, now - entry.timestamp()) < policy.minAge();
  }

  /** Entry {@code i} is node {@code n<i>} with counter 1 and the {@code i}-th timestamp. */
  private static VectorClock clockWithTimestamps(long... timestamps) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < timestamps.length; i++) {
      entries.add(new Entry(Clocks.node(i), 1, timestamps[i]));
    }
    return VectorClock.of(entries);
  }
}
