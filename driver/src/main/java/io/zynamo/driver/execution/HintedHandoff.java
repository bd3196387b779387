package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.catalog.NodeSchema.Hint;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Hinted handoff (Dynamo section 4.6). A write's images that a replica could not take wait as hints
 * on the node that coordinated the write ({@code zynamo.hints}: {@link KeyWriter}, and inside the
 * home's transaction for {@link ClusterTransaction}). A pass looks at every reachable node's hints
 * and hands each replica that answers again its hints, oldest first, in batches: applied with
 * {@code zynamo.apply} (the newest version wins, so a hint applied twice or after newer writes
 * changes nothing), then deleted in the same transaction that locked them, so two instances handing
 * off at once never apply a batch twice concurrently, and a crash between the two steps only
 * repeats an idempotent apply.
 */
final class HintedHandoff {

  /** Hints per round trip. */
  static final int BATCH = 100;

  /** PostgreSQL's undefined_table: a hint of a table dropped since. */
  private static final String UNDEFINED_TABLE = "42P01";

  private static final System.Logger LOG = System.getLogger(HintedHandoff.class.getName());

  private final Cluster cluster;
  private final NodeSchema schema;

  HintedHandoff(Cluster cluster, NodeSchema schema) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.schema = requireNonNull(schema, "schema");
  }

  /**
   * What a pass did.
   *
   * @param handedOff hints applied to their replica and deleted
   * @param remaining hints still kept on the nodes that answered, for replicas still unreachable
   */
  record Result(long handedOff, long remaining) {}

  /** One pass, for a schedule: a failure is logged and never ends the schedule. */
  void runQuietly() {
    try {
      Result result = run();
      if (result.handedOff() > 0) {
        LOG.log(System.Logger.Level.INFO, "hinted handoff: {0}", result);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "hinted handoff pass failed", e);
    }
  }

  /** One pass over every reachable node's hints ({@code SELECT zynamo.handoff()}). */
  Result run() {
    long handedOff = 0;
    long remaining = 0;
    List<NodeId> nodes = cluster.ring().nodes();
    for (NodeId holder : nodes) {
      try (Connection c = cluster.pools().connection(holder)) {
        for (Map.Entry<String, Long> owner : schema.hintCounts(c).entrySet()) {
          NodeId target = new NodeId(owner.getKey());
          long handed = nodes.contains(target) ? handOff(c, target) : 0;
          handedOff += handed;
          remaining += owner.getValue() - handed;
        }
      } catch (SQLException e) {
        LOG.log(
            NodeFailures.isUnreachable(e) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
            "hinted handoff: node {0} skipped: {1}",
            holder,
            e);
      }
    }
    return new Result(handedOff, remaining);
  }

  /** Hints one node keeps for one replica. */
  record Backlog(NodeId holder, String owner, long hints) {}

  /** The hints every reachable node keeps, per replica they are for ({@code zynamo.hints}). */
  List<Backlog> backlog() {
    List<Backlog> backlog = new java.util.ArrayList<>();
    for (NodeId holder : cluster.ring().nodes()) {
      try (Connection c = cluster.pools().connection(holder)) {
        schema.hintCounts(c).forEach((owner, n) -> backlog.add(new Backlog(holder, owner, n)));
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "hint backlog: node {0} skipped: {1}", holder, e);
      }
    }
    return backlog;
  }

  /** Hands {@code owner} the hints kept on {@code holder}'s node; how many, 0 while it is down. */
  private long handOff(Connection holder, NodeId owner) throws SQLException {
    long handed = 0;
    try (Connection target = cluster.pools().connection(owner)) {
      holder.setAutoCommit(false);
      try {
        while (true) {
          List<Hint> hints = schema.lockHints(holder, owner.value(), BATCH);
          if (hints.isEmpty()) {
            holder.commit();
            return handed;
          }
          for (Hint hint : hints) {
            apply(target, hint);
          }
          schema.deleteHints(holder, hints);
          holder.commit();
          handed += hints.size();
        }
      } catch (SQLException e) {
        holder.rollback();
        throw e;
      } finally {
        holder.setAutoCommit(true);
      }
    } catch (SQLException e) {
      if (!NodeFailures.isUnreachable(e)) {
        throw e;
      }
      return handed; // still unreachable: the hints wait for the next pass
    }
  }

  private void apply(Connection target, Hint hint) throws SQLException {
    try {
      schema.apply(target, hint.table(), hint.images());
    } catch (SQLException e) {
      if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
        throw e;
      }
      // The table was dropped since: nothing is left to bring up to date.
    }
  }
}
