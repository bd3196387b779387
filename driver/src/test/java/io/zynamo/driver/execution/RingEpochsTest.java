package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RingEpochsTest {

  @Test
  void aStatementKeepsItsEpochInUseUntilItLeaves() {
    RingEpochs epochs = new RingEpochs(5);
    assertEquals(5, epochs.oldestInUse());
    RingEpochs.Gate first = epochs.enter();
    epochs.advance(6);
    RingEpochs.Gate second = epochs.enter();
    epochs.advance(7);
    assertEquals(5, epochs.oldestInUse());
    epochs.leave(first);
    assertEquals(6, epochs.oldestInUse());
    epochs.leave(second);
    assertEquals(7, epochs.oldestInUse());
  }

  @Test
  void anOlderOrEqualEpochChangesNothing() {
    RingEpochs epochs = new RingEpochs(5);
    RingEpochs.Gate g = epochs.enter();
    epochs.advance(5);
    epochs.advance(4);
    assertEquals(5, epochs.oldestInUse());
    epochs.leave(g);
    assertEquals(5, g.epoch);
  }
}
