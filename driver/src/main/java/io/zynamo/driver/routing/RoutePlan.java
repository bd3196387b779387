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
 *  MultiBucket   a piece of the statement per bucket, each run as a SingleBucket
 *  Coverage      a query without a usable shard key: every bucket once, finished on one node
 *  AllBuckets    an UPDATE/DELETE without a usable shard key: once per bucket
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

  /**
   * Several buckets of a sharded table: the statement is cut into one piece per bucket, each
   * keeping only that bucket's key values (VALUES rows or {@code IN} values).
   *
   * @param parts the buckets, in order of their first key value in the text
   */
  record MultiBucket(TableDistribution table, List<Part> parts) implements RoutePlan {
    public MultiBucket {
      requireNonNull(table, "table");
      parts = List.copyOf(parts);
      if (parts.size() < 2) {
        throw new IllegalArgumentException(parts.size() + " parts (expected: >= 2)");
      }
    }

    /** One bucket's part. */
    public SingleBucket route(Part part) {
      return new SingleBucket(table, part.bucket(), part.keys());
    }
  }

  /**
   * One bucket's share of a {@link MultiBucket} statement.
   *
   * @param keys its shard key values, converted to the column's type
   * @param items the indexes, ascending, of its key values among the statement's (see {@link
   *     io.zynamo.driver.sql.ParsedStatement#keySpans})
   */
  record Part(BucketId bucket, List<Object> keys, List<Integer> items) {
    public Part {
      requireNonNull(bucket, "bucket");
      keys = List.copyOf(keys);
      items = List.copyOf(items);
    }
  }

  /**
   * A query over whole sharded tables: read from a coverage plan (each bucket once, from as few
   * nodes as hold them all) and finished on one node.
   *
   * @param sharded the sharded tables it reads, each once (reference tables are on every node)
   */
  record Coverage(List<TableDistribution> sharded) implements RoutePlan {
    public Coverage {
      sharded = List.copyOf(sharded);
    }
  }

  /**
   * An UPDATE or DELETE of a sharded table without a usable shard key: run once per bucket, each
   * time narrowed to that bucket's rows, on a coverage plan's nodes.
   */
  record AllBuckets(TableDistribution table) implements RoutePlan {
    public AllBuckets {
      requireNonNull(table, "table");
    }
  }

  /**
   * A query over Zynamo's admin views ({@code zynamo.nodes}, {@code zynamo.buckets}) and tables
   * that are the same on every node ({@code zynamo.tables}, the system catalog, reference tables):
   * answered on one node, the views filled from this instance's ring and node health.
   */
  record Admin() implements RoutePlan {}

  /** Every node; {@code write} is null for DDL, else the reference table written. */
  record AllNodes(@org.jspecify.annotations.Nullable TableDistribution write)
      implements RoutePlan {}

  /** Any one node. */
  record AnyNode() implements RoutePlan {}
}
