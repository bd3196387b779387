package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BucketMoverTest {

  @Test
  void theCopyWaitsUntilItsAverageIsTheRate() {
    assertEquals(0, BucketMover.slowDown(0, 1_000_000, 0), "no limit");
    assertEquals(1_000_000_000L, BucketMover.slowDown(1000, 1000, 0), "1000 rows at 1000/s: 1 s");
    assertEquals(400_000_000L, BucketMover.slowDown(1000, 1000, 600_000_000L));
    assertEquals(0, BucketMover.slowDown(1000, 1000, 2_000_000_000L), "already slower");
  }
}
