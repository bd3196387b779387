package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RingEpochsTest {

  @Test
  void aStatementKeepsItsEpochInUseUntilItLeaves() {
    RingEpochs epochs = new RingEpochs(5);
    assertEquals(5, epochs.oldestInUse(5));
    RingEpochs.Gate first = epochs.enter(5);
    RingEpochs.Gate second = epochs.enter(6);
    assertEquals(5, epochs.oldestInUse(7));
    epochs.leave(first);
    assertEquals(6, epochs.oldestInUse(7));
    epochs.leave(second);
    assertEquals(7, epochs.oldestInUse(7));
  }

  @Test
  void anOlderEpochChangesNothing() {
    RingEpochs epochs = new RingEpochs(5);
    RingEpochs.Gate g = epochs.enter(4);
    assertEquals(5, g.epoch);
    assertEquals(5, epochs.oldestInUse(3));
    epochs.leave(g);
    assertEquals(5, epochs.oldestInUse(5));
  }

  @Test
  void withNoStatementRunningTheRingInForceCounts() {
    RingEpochs epochs = new RingEpochs(5);
    epochs.leave(epochs.enter(5));
    assertEquals(9, epochs.oldestInUse(9));
  }
}
