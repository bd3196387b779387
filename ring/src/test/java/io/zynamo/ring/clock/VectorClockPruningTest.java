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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import org.junit.jupiter.api.Test;

class VectorClockPruningTest {

  private static final Comparator<Entry> OLDEST_FIRST =
      Comparator.comparingLong(Entry::timestamp).thenComparing(Entry::node);

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

  @Property
  void withoutMinimumAgeTheBoundIsHard(
      @ForAll("messy") VectorClock clock,
      @ForAll @IntRange(min = 1, max = 7) int maxEntries,
      @ForAll @LongRange(min = 0, max = 30) long now) {
    assertTrue(clock.prune(new Pruning(maxEntries, 0), now).size() <= maxEntries);
  }

  @Property
  void keepsTheNewestEntriesAndDropsOnlyOldOnes(
      @ForAll("messy") VectorClock clock,
      @ForAll("policies") Pruning policy,
      @ForAll @LongRange(min = 0, max = 30) long now) {
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

  @Property
  void theUnprunedClockDescendsThePrunedOne(
      @ForAll("messy") VectorClock clock,
      @ForAll("policies") Pruning policy,
      @ForAll @LongRange(min = 0, max = 30) long now) {
    VectorClock pruned = clock.prune(policy, now);
    assertTrue(clock.descends(pruned));
    assertTrue(EnumSet.of(Causality.BEFORE, Causality.EQUAL).contains(pruned.compare(clock)));
  }

  /**
   * The guarantee documented on {@link Pruning}, checked where its precondition holds. The clocks
   * share a history and then diverge, as copies of one state do, so pruning often drops shared
   * entries.
   */
  @Property
  @StatisticsReport(StatisticsReportMode.OFF)
  void keepsEveryDifferenceWhenDroppedEntriesAreKnownToTheOtherSide(
      @ForAll("diverged") Diverged copies,
      @ForAll("policies") Pruning policy,
      @ForAll @LongRange(min = 0, max = 40) long nowA,
      @ForAll @LongRange(min = 0, max = 40) long nowB) {
    VectorClock a = copies.a();
    VectorClock b = copies.b();
    VectorClock prunedA = a.prune(policy, nowA);
    VectorClock prunedB = b.prune(policy, nowB);
    Assume.that(droppedAreKnown(a, prunedA, b) && droppedAreKnown(b, prunedB, a));

    Causality truth = a.compare(b);
    Causality seen = prunedA.compare(prunedB);
    // Only checks where something was dropped test the guarantee; make sure they are common.
    Statistics.label("pruned").collect(!a.equals(prunedA) || !b.equals(prunedB));
    Statistics.label("pruned").coverage(coverage -> coverage.check(true).percentage(p -> p > 10));
    Set<Causality> allowed =
        switch (truth) {
          case CONCURRENT -> EnumSet.of(Causality.CONCURRENT);
          case AFTER -> EnumSet.of(Causality.AFTER, Causality.CONCURRENT);
          case BEFORE -> EnumSet.of(Causality.BEFORE, Causality.CONCURRENT);
          case EQUAL -> EnumSet.allOf(Causality.class);
        };
    assertTrue(allowed.contains(seen), () -> truth + " seen as " + seen);
  }

  /** Two copies of one clock after each applied its own increments. */
  record Diverged(VectorClock a, VectorClock b) {}

  @Provide
  Arbitrary<Diverged> diverged() {
    Arbitrary<List<NodeId>> actors = Clocks.nodes().list().ofMaxSize(3);
    return Combinators.combine(Clocks.messy(), actors, actors)
        .as((shared, xs, ys) -> new Diverged(incrementAll(shared, xs), incrementAll(shared, ys)));
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

  @Provide
  Arbitrary<VectorClock> messy() {
    return Clocks.messy();
  }

  @Provide
  Arbitrary<Pruning> policies() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 7), Arbitraries.longs().between(0, 15))
        .as(Pruning::new);
  }
}
