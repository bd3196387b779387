package io.zynamo.ring.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HybridLogicalClockTest {

  /** A wall clock the test moves by hand, backwards too. */
  private static final class ManualClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_000_000);

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  @Test
  void followsWallClockTime() {
    ManualClock wall = new ManualClock();
    HybridLogicalClock hlc = new HybridLogicalClock(wall);
    long t = hlc.now();
    assertEquals(1_000_000, HybridLogicalClock.millis(t));
    assertEquals(0, HybridLogicalClock.logical(t));
    wall.millis.addAndGet(5);
    assertEquals(1_000_005, HybridLogicalClock.millis(hlc.now()));
  }

  @Test
  void startOfAMillisecondIsBelowEveryTimestampTakenInItAndAboveEveryEarlierOne() {
    ManualClock wall = new ManualClock();
    HybridLogicalClock hlc = new HybridLogicalClock(wall);
    long earlier = hlc.now();
    hlc.now(); // a logical tick within the same millisecond
    long start = HybridLogicalClock.startOf(1_000_001);
    assertTrue(hlc.now() < start);
    wall.millis.addAndGet(1);
    assertTrue(earlier < start);
    assertTrue(hlc.now() >= start);
    assertEquals(1_000_001, HybridLogicalClock.millis(start));
    assertEquals(0, HybridLogicalClock.logical(start));
    assertThrows(IllegalArgumentException.class, () -> HybridLogicalClock.startOf(-1));
  }

  @Test
  void neverGoesBackwardsWhenTheWallClockDoes() {
    ManualClock wall = new ManualClock();
    HybridLogicalClock hlc = new HybridLogicalClock(wall);
    long before = hlc.now();
    wall.millis.addAndGet(-10_000);
    long after = hlc.now();
    assertTrue(after > before);
    assertEquals(1_000_000, HybridLogicalClock.millis(after));
    assertEquals(1, HybridLogicalClock.logical(after));
  }

  @Test
  void ordersAfterAnObservedRemoteTimestamp() {
    ManualClock wall = new ManualClock();
    HybridLogicalClock local = new HybridLogicalClock(wall);
    long remote = (2_000_000L << HybridLogicalClock.LOGICAL_BITS) + 7;
    local.observe(remote);
    assertTrue(local.now() > remote);
    local.observe(1); // an old timestamp changes nothing
    assertTrue(local.now() > remote + 1);
  }

  @Test
  void concurrentCallersGetUniqueTimestamps() throws InterruptedException {
    HybridLogicalClock hlc = new HybridLogicalClock(new ManualClock());
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[4];
    for (int i = 0; i < threads.length; i++) {
      threads[i] =
          new Thread(
              () -> {
                Set<Long> mine = new HashSet<>();
                for (int j = 0; j < 10_000; j++) {
                  mine.add(hlc.now());
                }
                seen.addAll(mine);
              });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(40_000, seen.size());
  }
}
