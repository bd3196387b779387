package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.catalog.RingStore;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.NodeId;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Puts Zynamo's layer back on a node of the ring that answers without it: its data directory was
 * lost and made anew (a replaced disk, a fresh {@code initdb}). Runs on each new physical
 * connection ({@link NodePools.NewConnections}), so a node comes back by itself on reconnect.
 *
 * <pre>
 *  new connection to node X
 *    zynamo.ring exists on X? --- yes ---&gt; use it             (one query per physical connection)
 *            | no
 *    read the tables' definitions from a donor: the first other node of the ring that has them
 *    on X, in one transaction, under an advisory lock (a racing connection finds the work done):
 *      the node schema, schemas and sequences, each distributed table (columns, constraints,
 *      indexes, distribution), foreign keys, and last the ring
 *    commit ---&gt; X takes writes again, its tables empty
 * </pre>
 *
 * <p>The rows come back afterwards: a write by key first brings its coordinator's keys up to date,
 * reads repair what they read, hints wait on other nodes, and an anti-entropy pass over X's
 * buckets, started in the background once the rebuild commits, copies the rest (until it is done X
 * holds only what was written or repaired since; {@code zynamo.repair(NULL, 'X')} runs one at
 * once). A rebuild that fails rolls back whole and fails the connection with {@code 08001}, so that
 * requests hand over to other replicas as for a node that is down; the next connection tries again.
 */
final class NodeRebuild implements NodePools.NewConnections {

  private static final System.Logger LOG = System.getLogger(NodeRebuild.class.getName());

  /** Serializes rebuilds of one node ("ZYNAMO" + 2). */
  static final long REBUILD_LOCK = 0x5A594E414D4F0002L;

  private final Cluster cluster;
  private final NodeSchema schema;
  private final RingStore store = new RingStore();
  private final Duration timeout;
  private final Consumer<NodeId> rebuilt;

  /**
   * @param timeout bounds the connection to the donor and each of its catalog queries
   * @param rebuilt told of each node rebuilt, once committed: starts the repair of its rows
   */
  NodeRebuild(Cluster cluster, NodeSchema schema, Duration timeout, Consumer<NodeId> rebuilt) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.schema = requireNonNull(schema, "schema");
    this.timeout = requireNonNull(timeout, "timeout");
    this.rebuilt = requireNonNull(rebuilt, "rebuilt");
  }

  @Override
  public void check(NodeId node, Connection connection) throws SQLException {
    if (store.exists(connection)) {
      return;
    }
    try {
      rebuild(node, connection);
    } catch (SQLException e) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
          "node "
              + node
              + ": answers without Zynamo's node schema (its data was lost?) and could not be"
              + " rebuilt: "
              + e.getMessage(),
          e);
    }
  }

  private void rebuild(NodeId node, Connection target) throws SQLException {
    Donor donor = donor(node);
    boolean autoCommit = target.getAutoCommit();
    target.setAutoCommit(false);
    try (Statement s = target.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + REBUILD_LOCK + ")");
      if (store.exists(target)) {
        target.commit(); // another connection rebuilt it meanwhile
        return;
      }
      schema.install(target);
      int tables = run(s, donor.definitions());
      store.create(target, cluster.ring());
      target.commit();
      LOG.log(
          Level.WARNING,
          "node {0} answered without Zynamo''s node schema: rebuilt it with the ring and {1}"
              + " tables from {2}; a repair of its buckets starts in the background (progress:"
              + " zynamo.repairs; SELECT zynamo.repair(NULL, ''{0}'') runs one at once)",
          node,
          Integer.toString(tables),
          donor.node());
      rebuilt.accept(node);
    } catch (SQLException | RuntimeException e) {
      try {
        target.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      target.setAutoCommit(autoCommit);
    }
  }

  /** Runs the definitions' statements, skipping tables the node has; the tables created. */
  private static int run(Statement s, TableDefinitions definitions) throws SQLException {
    for (String sql : definitions.before()) {
      s.execute(sql);
    }
    int created = 0;
    for (Map.Entry<String, List<String>> table : definitions.tables().entrySet()) {
      if (exists(s, table.getKey())) {
        continue;
      }
      for (String sql : table.getValue()) {
        s.execute(sql);
      }
      created++;
    }
    for (String sql : definitions.after()) {
      s.execute(sql);
    }
    return created;
  }

  private static boolean exists(Statement s, String table) throws SQLException {
    try (var rs =
        s.executeQuery("SELECT to_regclass('" + table.replace("'", "''") + "') IS NOT NULL")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /** A node the definitions come from, and what they are. */
  private record Donor(NodeId node, TableDefinitions definitions) {}

  /** The first other node of the ring, in ring order, that answers and has the ring. */
  private Donor donor(NodeId node) throws SQLException {
    @Nullable SQLException first = null;
    for (NodeId other : cluster.ring().nodes()) {
      if (other.equals(node)) {
        continue;
      }
      try (Connection c = cluster.pools().direct(other, timeout)) {
        if (store.exists(c)) {
          return new Donor(other, TableDefinitions.read(c));
        }
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
        "no other node of the ring answers with Zynamo's node schema to copy the tables from",
        first);
  }
}
