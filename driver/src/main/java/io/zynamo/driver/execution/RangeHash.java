package io.zynamo.driver.execution;

/**
 * What one replica holds in a bucket or a row-id range of one, as {@code zynamo.range_hashes}
 * summarizes it: two replicas with equal summaries hold the same row states.
 *
 * @param rows rows and deletions counted
 * @param hash the xor of their hashes
 */
record RangeHash(long rows, long hash) {

  /** A bucket or range holding nothing (the node returns no line for it). */
  static final RangeHash EMPTY = new RangeHash(0, 0);
}
