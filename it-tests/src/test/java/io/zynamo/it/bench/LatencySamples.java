package io.zynamo.it.bench;

import java.util.Arrays;

/**
 * Per-operation latencies in nanoseconds, kept whole (no histogram buckets) so that percentiles are
 * exact: a one-second round on this machine holds at most some tens of thousands.
 */
final class LatencySamples {

  private long[] nanos = new long[4096];
  private int size;

  void add(long latencyNanos) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = latencyNanos;
  }

  void addAll(LatencySamples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.nanos[i]);
    }
  }

  int size() {
    return size;
  }

  /** The latencies, sorted, for {@link #percentile}. */
  long[] sorted() {
    long[] copy = Arrays.copyOf(nanos, size);
    Arrays.sort(copy);
    return copy;
  }

  /**
   * The nearest-rank percentile: the smallest sample with at least {@code fraction} of all samples
   * at or below it.
   */
  static long percentile(long[] sorted, double fraction) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    int rank = (int) Math.ceil(fraction * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
