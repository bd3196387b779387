package io.zynamo.driver.execution;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.Placement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an anti-entropy pass covers: every table or one, every bucket or those one node holds.
 *
 * @param table the one table to compare; null: every distributed table
 * @param node the node whose buckets to compare; null: every bucket
 */
record RepairScope(@Nullable ObjectName table, @Nullable NodeId node) {

  /** Every table, every bucket: the background pass and {@code SELECT zynamo.repair()}. */
  static final RepairScope ALL = new RepairScope(null, null);

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
  Map<BucketId, List<NodeId>> replicas(Placement placement, TableDistribution t) {
    Map<BucketId, List<NodeId>> replicas = new LinkedHashMap<>();
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
