package io.zynamo.ring.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.NodeId;
import java.util.EnumSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;

class VectorClockPropertiesTest {

  @Property
  void mergeIsCommutative(@ForAll("messy") VectorClock a, @ForAll("messy") VectorClock b) {
    assertEquals(a.merge(b), b.merge(a));
  }

  @Property
  void mergeIsAssociative(
      @ForAll("messy") VectorClock a,
      @ForAll("messy") VectorClock b,
      @ForAll("messy") VectorClock c) {
    assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
  }

  @Property
  void mergeIsIdempotent(@ForAll("messy") VectorClock a) {
    assertEquals(a, a.merge(a));
  }

  @Property
  void mergeDescendsBoth(@ForAll("messy") VectorClock a, @ForAll("messy") VectorClock b) {
    VectorClock merged = a.merge(b);
    assertTrue(merged.descends(a), () -> merged + " descends " + a);
    assertTrue(merged.descends(b), () -> merged + " descends " + b);
  }

  @Property
  void mergeIsTheLeastCommonDescendant(
      @ForAll("messy") VectorClock a,
      @ForAll("messy") VectorClock b,
      @ForAll("messy") VectorClock c) {
    if (c.descends(a) && c.descends(b)) {
      assertTrue(c.descends(a.merge(b)));
    }
  }

  @Property
  @StatisticsReport(StatisticsReportMode.OFF)
  void compareIsAntisymmetric(
      @ForAll("consistent") VectorClock a, @ForAll("consistent") VectorClock b) {
    Causality ab = a.compare(b);
    Statistics.collect(ab);
    assertEquals(ab.reversed(), b.compare(a), () -> a + " vs " + b);
    Statistics.coverage(
        coverage -> {
          for (Causality each : Causality.values()) {
            coverage.check(each).count(n -> n > 0);
          }
        });
  }

  @Property
  void compareIsEqualExactlyForEqualClocks(
      @ForAll("consistent") VectorClock a, @ForAll("consistent") VectorClock b) {
    assertEquals(a.equals(b), a.compare(b) == Causality.EQUAL, () -> a + " vs " + b);
  }

  @Property
  void descendsMeansAfterOrEqual(@ForAll("messy") VectorClock a, @ForAll("messy") VectorClock b) {
    assertEquals(
        EnumSet.of(Causality.AFTER, Causality.EQUAL).contains(a.compare(b)), a.descends(b));
  }

  @Property
  void incrementComesAfter(
      @ForAll("messy") VectorClock a,
      @ForAll("nodes") NodeId actor,
      @ForAll @LongRange(min = 0, max = 100) long timestamp) {
    VectorClock next = a.increment(actor, timestamp);
    assertEquals(Causality.AFTER, next.compare(a));
    assertEquals(a.counter(actor) + 1, next.counter(actor));
  }

  @Property
  void concurrentIncrementsConflict(
      @ForAll("messy") VectorClock a, @ForAll("nodes") NodeId x, @ForAll("nodes") NodeId y) {
    if (!x.equals(y)) {
      assertEquals(Causality.CONCURRENT, a.increment(x, 1).compare(a.increment(y, 1)));
    }
  }

  @Provide
  Arbitrary<VectorClock> messy() {
    return Clocks.messy();
  }

  @Provide
  Arbitrary<VectorClock> consistent() {
    return Clocks.consistent();
  }

  @Provide
  Arbitrary<NodeId> nodes() {
    return Clocks.nodes();
  }
}
