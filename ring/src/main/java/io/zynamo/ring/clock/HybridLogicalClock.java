package io.zynamo.ring.clock;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hybrid logical clock (Kulkarni et al., 2014): timestamps that follow wall-clock time closely,
 * never go backwards on one instance, and order causally related writes across instances, since
 * every instance advances past any timestamp it observes.
 *
 * <pre>
 *   63                      16 15            0
 *  +--------------------------+---------------+
 *  | wall-clock milliseconds  | logical count |     one signed 64-bit value
 *  +--------------------------+---------------+
 * </pre>
 *
 * <p>Row versions ({@code zynamo_version}) are these values, so last-writer-wins compares them as
 * plain numbers. 47 bits of milliseconds last until the year 6429; 65536 ticks per millisecond
 * before the logical part borrows from the next millisecond, which keeps values unique.
 *
 * <p>Thread-safe and lock-free; the wall clock is injected.
 */
public final class HybridLogicalClock {

  static final int LOGICAL_BITS = 16;

  private final Clock wall;
  private final AtomicLong last = new AtomicLong();

  public HybridLogicalClock(Clock wall) {
    this.wall = requireNonNull(wall, "wall");
  }

  /** A timestamp greater than every one this clock returned or observed before. */
  public long now() {
    long physical = physical();
    return last.updateAndGet(previous -> Math.max(previous + 1, physical));
  }

  /** Advances past a timestamp seen from elsewhere (a row version read or written by a peer). */
  public void observe(long remote) {
    last.accumulateAndGet(remote, Math::max);
  }

  /**
   * The smallest timestamp of a wall-clock millisecond: every timestamp taken before that
   * millisecond (by a clock not ahead of the wall) is below it.
   */
  public static long startOf(long millis) {
    if (millis < 0 || millis > Long.MAX_VALUE >>> LOGICAL_BITS) {
      throw new IllegalArgumentException(
          "millis: " + millis + " (expected: 0.." + (Long.MAX_VALUE >>> LOGICAL_BITS) + ")");
    }
    return millis << LOGICAL_BITS;
  }

  /** The wall-clock milliseconds part of a timestamp. */
  public static long millis(long timestamp) {
    return timestamp >>> LOGICAL_BITS;
  }

  /** The logical part of a timestamp. */
  public static int logical(long timestamp) {
    return (int) (timestamp & ((1 << LOGICAL_BITS) - 1));
  }

  private long physical() {
    long millis = wall.millis();
    if (millis < 0) {
      throw new IllegalStateException("wall clock before 1970: " + millis + " ms");
    }
    return millis << LOGICAL_BITS;
  }
}
