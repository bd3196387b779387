package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.routing.DistributionChoice;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs DDL on every node, each in its own transaction together with Zynamo's bookkeeping (a new
 * table is sharded, a dropped one forgotten), and commits everywhere only once every node has
 * succeeded; any failure rolls back everywhere. PostgreSQL's transactional DDL makes this safe up
 * to the commit round; a node lost during that round can be left behind (two-phase commit comes
 * with the transactions issue).
 */
final class DdlExecutor {

  private final Cluster cluster;
  private final TableSetup setup;

  DdlExecutor(Cluster cluster, TableSetup setup) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.setup = requireNonNull(setup, "setup");
  }

  /**
   * Runs DDL everywhere.
   *
   * @param altered a distributed table the statement changes (ALTER TABLE, CREATE UNIQUE INDEX):
   *     its distribution is made again in the same transaction, so a unique index without the shard
   *     key of a sharded table fails with ZY005 (each node could only enforce it on its own rows),
   *     and the capture trigger learns of json columns added or changed (node schema 5)
   */
  Outcome execute(ParsedStatement parsed, String sql, @Nullable TableDistribution altered)
      throws SQLException {
    TableDistribution created =
        parsed.kind() == StatementKind.CREATE_TABLE ? DistributionChoice.forCreate(parsed) : null;
    onEveryNode(
        (node, c) -> {
          runOn(node, c, parsed, sql, created);
          if (altered != null) {
            try {
              distributeAgain(c, altered);
            } catch (SQLException e) {
              throw ZynamoErrors.fromNode(node, e);
            }
          }
        });
    return new Outcome.Count(-1, null);
  }

  private void distributeAgain(Connection c, TableDistribution table) throws SQLException {
    if (table.kind() == TableDistribution.Kind.SHARDED) {
      setup.shard(c, table.table(), requireNonNull(table.shardColumn()));
    } else {
      setup.reference(c, table.table());
    }
  }

  /**
   * {@code zynamo.distribute(table, column)} or, with a null column, {@code
   * zynamo.reference(table)}: the table's distribution changes on every node together (the nodes
   * refuse a table that already holds rows: 55000).
   */
  void distribute(ObjectName table, @Nullable String shardColumn) throws SQLException {
    onEveryNode(
        (node, c) -> {
          try {
            if (shardColumn == null) {
              setup.reference(c, table);
            } else {
              setup.shard(c, table, shardColumn);
            }
          } catch (SQLException e) {
            throw ZynamoErrors.fromNode(node, e);
          }
        });
  }

  /** What runs on one node inside its transaction. */
  @FunctionalInterface
  private interface NodeWork {
    void run(NodeId node, Connection c) throws SQLException;
  }

  /** Runs {@code work} on every node, then commits everywhere, or rolls back everywhere. */
  private void onEveryNode(NodeWork work) throws SQLException {
    Map<NodeId, Connection> nodes = connectAll();
    try {
      for (Map.Entry<NodeId, Connection> node : nodes.entrySet()) {
        work.run(node.getKey(), node.getValue());
      }
      for (Connection c : nodes.values()) {
        c.commit();
      }
    } catch (SQLException e) {
      for (Connection c : nodes.values()) {
        CloseAll.close(c::rollback);
      }
      throw e;
    } finally {
      CloseAll.close(nodes.values().toArray(new AutoCloseable[0]));
    }
  }

  private void runOn(
      NodeId node,
      Connection c,
      ParsedStatement parsed,
      String sql,
      @Nullable TableDistribution created)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      if (created != null) {
        setup.shard(c, created.table(), requireNonNull(created.shardColumn()));
      } else if (parsed.kind() == StatementKind.DROP_TABLE) {
        for (var table : parsed.tables()) {
          setup.forget(c, table);
        }
      }
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(node, e);
    }
  }

  /** DDL needs every node: one unreachable node fails it before anything runs. */
  private Map<NodeId, Connection> connectAll() throws SQLException {
    Map<NodeId, Connection> open = new LinkedHashMap<>();
    List<NodeId> nodes = new ArrayList<>(cluster.ring().nodes());
    try {
      for (NodeId node : nodes) {
        Connection c = cluster.pools().connection(node);
        open.put(node, c);
        c.setAutoCommit(false);
      }
      return open;
    } catch (SQLException e) {
      CloseAll.close(open.values().toArray(new AutoCloseable[0]));
      throw ZynamoErrors.create(
          io.zynamo.driver.error.ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
          "DDL needs every node; "
              + (nodes.size() - open.size())
              + " of "
              + nodes.size()
              + " unreachable ("
              + e.getMessage()
              + ")",
          e);
    }
  }
}
