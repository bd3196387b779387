package io.zynamo.driver.execution;

import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A move as {@code zynamo.moves} shows it: what changes, the step it is at, and how far the copy
 * got.
 *
 * @param bucketsCopied moving buckets copied so far (of {@code buckets})
 * @param rowsCopied rows (and tombstones) the copy passes wrote to new replicas
 * @param waiting what the move waits for, if anything (instances behind, unreachable replicas)
 */
record MoveProgress(
    String change,
    String phase,
    int copies,
    int minimum,
    int buckets,
    int bucketsCopied,
    long rowsCopied,
    boolean paused,
    @Nullable String waiting,
    @Nullable String error,
    Instant started,
    @Nullable Instant finished) {

  static MoveProgress started(String change, int copies, int minimum, int buckets, Clock clock) {
    return new MoveProgress(
        change, "begun", copies, minimum, buckets, 0, 0, false, null, null, clock.instant(), null);
  }

  boolean isFinished() {
    return finished != null;
  }

  MoveProgress phase(String next) {
    return new MoveProgress(
        change,
        next,
        copies,
        minimum,
        buckets,
        bucketsCopied,
        rowsCopied,
        paused,
        null,
        null,
        started,
        finished);
  }

  MoveProgress copied(int moreBuckets, long moreRows) {
    return new MoveProgress(
        change,
        phase,
        copies,
        minimum,
        buckets,
        Math.min(buckets, bucketsCopied + moreBuckets),
        rowsCopied + moreRows,
        paused,
        null,
        null,
        started,
        finished);
  }

  MoveProgress paused(boolean now) {
    return new MoveProgress(
        change,
        phase,
        copies,
        minimum,
        buckets,
        bucketsCopied,
        rowsCopied,
        now,
        waiting,
        error,
        started,
        finished);
  }

  MoveProgress waiting(String what) {
    return new MoveProgress(
        change,
        phase,
        copies,
        minimum,
        buckets,
        bucketsCopied,
        rowsCopied,
        paused,
        what,
        error,
        started,
        finished);
  }

  MoveProgress failed(@Nullable String message) {
    return new MoveProgress(
        change,
        phase,
        copies,
        minimum,
        buckets,
        bucketsCopied,
        rowsCopied,
        paused,
        null,
        message == null ? "failed" : message,
        started,
        finished);
  }

  MoveProgress done(Clock clock) {
    return new MoveProgress(
        change,
        "done",
        copies,
        minimum,
        buckets,
        buckets,
        rowsCopied,
        false,
        null,
        null,
        started,
        clock.instant());
  }
}
