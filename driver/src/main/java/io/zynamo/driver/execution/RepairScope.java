package io.zynamo.driver.execution;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.Placement;
import io.zynamo.ring.RingState;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an anti-entropy pass covers: every table or one, every bucket or those one node holds.
 *
 * @param table the one table to compare; null: every distributed table
 * @param node the node whose buckets to compare; null: every bucket
 * @param moving null for a repair; for a move of buckets, the buckets of this copy step: each is
 *     compared over the replicas of both tables of the move (its old and new replicas), so the new
 *     ones receive what the old ones hold; no tombstones are collected
 */
record RepairScope(
    @Nullable ObjectName table, @Nullable NodeId node, @Nullable Set<BucketId> moving) {

  /** Every table, every bucket: the background pass and {@code SELECT zynamo.repair()}. */
  static final RepairScope ALL = new RepairScope(null, null);

  RepairScope(@Nullable ObjectName table, @Nullable NodeId node) {
    this(table, node, null);
  }

  /** A copy step of a move: {@code buckets} over their old and new replicas. */
  static RepairScope moving(Set<BucketId> buckets) {
    return new RepairScope(null, null, Set.copyOf(buckets));
  }

  /** The distributed tables in scope; fails with 42P01 for a named table Zynamo does not know. */
  List<TableDistribution> tables(TableCatalog catalog) throws SQLException {
    if (table == null) {
      return catalog.all();
    }
    ObjectName name = table;
    return List.of(
        catalog
            .find(name)
            .orElseThrow(
                () ->
                    ZynamoErrors.create(
                        ZynamoSqlState.UNDEFINED_TABLE,
                        "repair: table "
                            + TableCatalog.qualified(name)
                            + " is not distributed by Zynamo")));
  }

  /**
   * The buckets of {@code t} in scope and their replicas, in preference order: every bucket of a
   * sharded table, or the one bucket (0) of a reference table, held by every node.
   */
  Map<BucketId, List<NodeId>> replicas(RingState ring, TableDistribution t) {
    Map<BucketId, List<NodeId>> replicas = new LinkedHashMap<>();
    Placement placement = ring.placement();
    if (moving != null) {
      if (t.kind() == TableDistribution.Kind.REFERENCE) {
        replicas.put(new BucketId(0), ring.nodes());
      } else {
        for (BucketId b : new java.util.TreeSet<>(moving)) {
          List<NodeId> both = new ArrayList<>(placement.replicas(b));
          both.addAll(ring.extraReplicas(b));
          replicas.put(b, both);
        }
      }
      return replicas;
    }
    if (t.kind() == TableDistribution.Kind.REFERENCE) {
      replicas.put(new BucketId(0), placement.nodes());
    } else {
      for (int b = 0; b < placement.bucketCount(); b++) {
        replicas.put(new BucketId(b), placement.replicas(new BucketId(b)));
      }
    }
    replicas.values().removeIf(r -> node != null && !r.contains(node));
    return replicas;
  }
}
