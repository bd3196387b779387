package io.zynamo.ring.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.NodeId;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties checked on random clocks, one check per seed of {@link Clocks#seeds()}. */
class VectorClockPropertiesTest {

  static LongStream seeds() {
    return Clocks.seeds();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergeIsCommutative(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.messy();
    VectorClock b = gen.messy();
    assertEquals(a.merge(b), b.merge(a));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergeIsAssociative(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.messy();
    VectorClock b = gen.messy();
    VectorClock c = gen.messy();
    assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergeIsIdempotent(long seed) {
    VectorClock a = new Clocks(seed).messy();
    assertEquals(a, a.merge(a));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergeDescendsBoth(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.messy();
    VectorClock b = gen.messy();
    VectorClock merged = a.merge(b);
    assertTrue(merged.descends(a), () -> merged + " descends " + a);
    assertTrue(merged.descends(b), () -> merged + " descends " + b);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mergeIsTheLeastCommonDescendant(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.messy();
    VectorClock b = gen.messy();
    VectorClock c = gen.messy();
    if (c.descends(a) && c.descends(b)) {
      assertTrue(c.descends(a.merge(b)));
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void compareIsAntisymmetric(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.consistent();
    VectorClock b = gen.consistent();
    assertEquals(a.compare(b).reversed(), b.compare(a), () -> a + " vs " + b);
  }

  /** The clocks {@link #compareIsAntisymmetric} checks cover every outcome of compare. */
  @Test
  void compareIsAntisymmetricSeesEveryCausality() {
    Set<Causality> seen = EnumSet.noneOf(Causality.class);
    for (long seed : seeds().toArray()) {
      Clocks gen = new Clocks(seed);
      VectorClock a = gen.consistent();
      VectorClock b = gen.consistent();
      seen.add(a.compare(b));
    }
    assertEquals(EnumSet.allOf(Causality.class), seen);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void compareIsEqualExactlyForEqualClocks(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.consistent();
    VectorClock b = gen.consistent();
    assertEquals(a.equals(b), a.compare(b) == Causality.EQUAL, () -> a + " vs " + b);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void descendsMeansAfterOrEqual(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.messy();
    VectorClock b = gen.messy();
    assertEquals(
        EnumSet.of(Causality.AFTER, Causality.EQUAL).contains(a.compare(b)), a.descends(b));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void incrementComesAfter(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.messy();
    NodeId actor = gen.node();
    long timestamp = gen.longBetween(0, 100);
    VectorClock next = a.increment(actor, timestamp);
    assertEquals(Causality.AFTER, next.compare(a));
    assertEquals(a.counter(actor) + 1, next.counter(actor));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void concurrentIncrementsConflict(long seed) {
    Clocks gen = new Clocks(seed);
    VectorClock a = gen.messy();
    NodeId x = gen.node();
    NodeId y = gen.node();
    if (!x.equals(y)) {
      assertEquals(Causality.CONCURRENT, a.increment(x, 1).compare(a.increment(y, 1)));
    }
  }
}
