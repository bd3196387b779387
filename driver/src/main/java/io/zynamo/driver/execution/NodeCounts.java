package io.zynamo.driver.execution;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the requests of one driver instance did with one node, since the cluster was opened.
 *
 * @param attempts requests admitted to try the node for real (each may wait a connect timeout)
 * @param failures of those, the ones that could not reach the node
 * @param skipped requests failed fast, without a connection attempt, because the node was believed
 *     down or suspect
 * @param probes background probes of the node while it was believed down
 */
public record NodeCounts(long attempts, long failures, long skipped, long probes) {

  static final NodeCounts NONE = new NodeCounts(0, 0, 0, 0);

  /** The live counters behind a snapshot. */
  static final class Adders {
    final LongAdder attempts = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder probes = new LongAdder();

    NodeCounts snapshot() {
      return new NodeCounts(attempts.sum(), failures.sum(), skipped.sum(), probes.sum());
    }
  }
}
