package io.zynamo.ring.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.NodeId;
import io.zynamo.ring.clock.VectorClock.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorClockTest {

  private static final NodeId SX = new NodeId("Sx");
  private static final NodeId SY = new NodeId("Sy");
  private static final NodeId SZ = new NodeId("Sz");

  /** Dynamo section 4.4, figure 3: the evolution of one object's clock. */
  @Test
  void followsTheDynamoPaperScenario() {
    VectorClock d1 = VectorClock.empty().increment(SX, 1);
    VectorClock d2 = d1.increment(SX, 2);
    VectorClock d3 = d2.increment(SY, 3);
    VectorClock d4 = d2.increment(SZ, 4);
    VectorClock d5 = d3.merge(d4).increment(SX, 5);

    assertEquals("{Sx:1}", d1.toString());
    assertEquals("{Sx:2}", d2.toString());
    assertEquals("{Sx:2, Sy:1}", d3.toString());
    assertEquals("{Sx:2, Sz:1}", d4.toString());
    assertEquals("{Sx:3, Sy:1, Sz:1}", d5.toString());

    // D2 overwrites D1; D3 and D4 both descend D2 but not each other, so a read sees both.
    assertEquals(Causality.AFTER, d2.compare(d1));
    assertEquals(Causality.BEFORE, d2.compare(d3));
    assertEquals(Causality.BEFORE, d2.compare(d4));
    assertEquals(Causality.CONCURRENT, d3.compare(d4));
    assertEquals(Causality.CONCURRENT, d4.compare(d3));
    // Sx reconciles D3 and D4 into D5, which supersedes everything before it.
    for (VectorClock ancestor : List.of(d1, d2, d3, d4)) {
      assertEquals(Causality.AFTER, d5.compare(ancestor), () -> "D5 vs " + ancestor);
      assertTrue(d5.descends(ancestor));
    }
  }

  @Test
  void emptyClockHasNoEntries() {
    VectorClock empty = VectorClock.empty();
    assertEquals(0, empty.size());
    assertTrue(empty.isEmpty());
    assertEquals(0, empty.counter(SX));
    assertEquals("{}", empty.toString());
    assertEquals(Causality.EQUAL, empty.compare(VectorClock.of(List.of())));
    assertEquals(Causality.BEFORE, empty.compare(empty.increment(SX, 0)));
  }

  @Test
  void entriesAreSortedByNodeWhateverTheInputOrder() {
    VectorClock clock = VectorClock.of(List.of(new Entry(SZ, 1, 0), new Entry(SX, 2, 0)));
    assertEquals(List.of(new Entry(SX, 2, 0), new Entry(SZ, 1, 0)), clock.entries());
    assertEquals("{Sx:2, Sz:1}", clock.toString());
  }

  @Test
  void incrementStampsTheActorEntry() {
    VectorClock clock = VectorClock.empty().increment(SX, 7).increment(SX, 9);
    assertEquals(List.of(new Entry(SX, 2, 9)), clock.entries());
  }

  @Test
  void compareIgnoresTimestamps() {
    VectorClock early = VectorClock.of(List.of(new Entry(SX, 2, 1)));
    VectorClock late = VectorClock.of(List.of(new Entry(SX, 2, 99)));
    assertEquals(Causality.EQUAL, early.compare(late));
    assertNotEquals(early, late);
  }

  @Test
  void mergeKeepsTheTimestampOfTheHigherCounterThenTheLaterOne() {
    VectorClock a = VectorClock.of(List.of(new Entry(SX, 3, 1), new Entry(SY, 1, 5)));
    VectorClock b = VectorClock.of(List.of(new Entry(SX, 2, 8), new Entry(SY, 1, 6)));
    assertEquals(List.of(new Entry(SX, 3, 1), new Entry(SY, 1, 6)), a.merge(b).entries());
  }

  @Test
  void equalClocksHaveEqualHashCodes() {
    VectorClock a = VectorClock.empty().increment(SX, 1).increment(SY, 2);
    VectorClock b = VectorClock.empty().increment(SY, 2).increment(SX, 1);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }

  @Test
  void rejectsTheSameNodeTwice() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> VectorClock.of(List.of(new Entry(SX, 1, 0), new Entry(SX, 2, 0))));
    assertEquals("vector clock: node Sx appears twice (expected: once per node)", e.getMessage());
  }

  @Test
  void entryRejectsZeroCounterAndNegativeTimestamp() {
    assertEquals(
        "node Sx: counter: 0 (expected: >= 1)",
        assertThrows(IllegalArgumentException.class, () -> new Entry(SX, 0, 0)).getMessage());
    assertEquals(
        "node Sx: timestamp: -1 (expected: >= 0)",
        assertThrows(IllegalArgumentException.class, () -> new Entry(SX, 1, -1)).getMessage());
  }

  @Test
  void causalityReversesBeforeAndAfterOnly() {
    assertEquals(Causality.AFTER, Causality.BEFORE.reversed());
    assertEquals(Causality.BEFORE, Causality.AFTER.reversed());
    assertEquals(Causality.EQUAL, Causality.EQUAL.reversed());
    assertEquals(Causality.CONCURRENT, Causality.CONCURRENT.reversed());
  }
}
