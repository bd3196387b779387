package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node side of tombstone garbage collection for {@link AntiEntropy}: asks every node for the
 * tables it keeps hints for (the pass's {@link TombstoneHorizon}), and has every replica of the
 * ranges a pass found equal remove the tombstones old enough ({@code zynamo.collect_tombstones},
 * {@code 009-tombstone-gc.sql}).
 *
 * <p>Collection is a by-product of the pass: a node error here (other than the node being
 * unreachable, which the pass reports, or a cancel) is logged and ends only the collection, never
 * the repair.
 */
final class TombstoneCollector {

  /** PostgreSQL's query_canceled: a cancel or {@code statement_timeout} of the pass. */
  private static final String QUERY_CANCELED = "57014";

  private static final System.Logger LOG = System.getLogger(TombstoneCollector.class.getName());

  private final Cluster cluster;

  TombstoneCollector(Cluster cluster) {
    this.cluster = requireNonNull(cluster, "cluster");
  }

  /**
   * The horizon of a pass starting at {@code now}; empty when some node of the ring does not answer
   * (it may keep hints that would bring rows back): then the pass collects nothing.
   */
  Optional<TombstoneHorizon> horizon(
      List<NodeId> ring, Instant now, Duration grace, RepairProgress progress) throws SQLException {
    Set<String> hinted = new HashSet<>();
    boolean everyNode = true;
    for (NodeId node : ring) {
      try (Connection c = cluster.pools().connection(node)) {
        hinted.addAll(NodeSchema.hintedTables(c));
      } catch (SQLException e) {
        failed(node, "node " + node, e, progress);
        everyNode = false;
      }
    }
    if (!everyNode) {
      return Optional.empty();
    }
    return Optional.of(TombstoneHorizon.of(now, grace, hinted));
  }

  /**
   * Removes the old tombstones of {@code ranges} on every replica of their buckets. A replica that
   * does not answer is reported and skipped: the others may have removed theirs, which the next
   * pass sees as a difference and settles (see {@code 009-tombstone-gc.sql}).
   */
  void collect(
      TableDistribution table,
      TombstoneHorizon horizon,
      List<TombstoneHorizon.Range> ranges,
      Map<BucketId, List<NodeId>> replicas,
      RepairProgress progress)
      throws SQLException {
    for (Map.Entry<NodeId, List<TombstoneHorizon.Range>> replica :
        TombstoneHorizon.byReplica(ranges, replicas).entrySet()) {
      NodeId node = replica.getKey();
      try (Connection c = cluster.pools().connection(node)) {
        long removed =
            RangeQueries.collectTombstones(c, table, replica.getValue(), horizon.olderThan());
        progress.tombstonesRemoved(node, removed);
      } catch (SQLException e) {
        failed(node, "table " + table.table() + " on node " + node, e, progress);
      }
    }
  }

  /**
   * A node's failure during collection: a cancel or statement_timeout ends the pass, an unreachable
   * node is reported, anything else is logged and ends only the collection there.
   */
  private static void failed(NodeId node, String what, SQLException e, RepairProgress progress)
      throws SQLException {
    if (QUERY_CANCELED.equals(e.getSQLState())) {
      throw ZynamoErrors.fromNode(node, e);
    } else if (NodeFailures.isUnreachable(e)) {
      progress.unreachable(node);
    } else {
      LOG.log(System.Logger.Level.WARNING, "tombstone collection: " + what, e);
    }
  }
}
