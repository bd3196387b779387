package io.zynamo.driver.routing;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.BucketId;
import java.util.List;

/**
 * Where a statement runs: the routing opcodes (as in Vitess's vtgate).
 *
 * <pre>
 *  SingleBucket  one bucket's replicas: writes on the coordinator + row images to the others,
 *                reads from R replicas
 *  AllNodes      every node: DDL, and writes to reference tables (coordinator + row images)
 *  AnyNode       one node: reads of reference tables, statements that touch no table
 * </pre>
 */
public sealed interface RoutePlan {

  /**
   * One bucket of a sharded table.
   *
   * @param keys the shard key values the statement names, converted to the column's type
   */
  record SingleBucket(TableDistribution table, BucketId bucket, List<Object> keys)
      implements RoutePlan {
    public SingleBucket {
      requireNonNull(table, "table");
      requireNonNull(bucket, "bucket");
      keys = List.copyOf(keys);
    }
  }

  /** Every node; {@code write} is null for DDL, else the reference table written. */
  record AllNodes(@org.jspecify.annotations.Nullable TableDistribution write)
      implements RoutePlan {}

  /** Any one node. */
  record AnyNode() implements RoutePlan {}
}
