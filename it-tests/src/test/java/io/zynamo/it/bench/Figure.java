package io.zynamo.it.bench;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One contender's result for one workload and thread (or client) count.
 *
 * @param opsPerSecond throughput of each measured round, in run order
 * @param ratio median over rounds of this round's throughput / the baseline's in the same round
 * @param p50Nanos latency percentiles over the operations of all measured rounds
 */
record Figure(
    Contender contender,
    Operation workload,
    int threads,
    List<Double> opsPerSecond,
    double ratio,
    long p50Nanos,
    long p99Nanos,
    long p999Nanos) {

  Figure {
    requireNonNull(contender, "contender");
    requireNonNull(workload, "workload");
    opsPerSecond = List.copyOf(opsPerSecond);
    if (opsPerSecond.isEmpty()) {
      throw new IllegalArgumentException("opsPerSecond: no rounds (expected >= 1)");
    }
  }

  double medianOpsPerSecond() {
    return median(opsPerSecond);
  }

  double minOpsPerSecond() {
    return opsPerSecond.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  double maxOpsPerSecond() {
    return opsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
