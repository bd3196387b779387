package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.ScanText;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.CoveragePlan;
import io.zynamo.ring.CoveragePlanner;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Runs a query over whole sharded tables exactly as one PostgreSQL holding all the data would: the
 * rows of each sharded table it reads are gathered, every bucket once, from a coverage plan (the
 * fewest live nodes that hold every bucket) into temporary tables of the same names on one of those
 * nodes (the merge node), and the user's own SQL then runs there, where the temporary tables hide
 * the node's partial ones. PostgreSQL itself computes joins, aggregates, ordering, window functions
 * and subqueries, with its own types and collations, so nothing is approximated in Java.
 *
 * <p>Rows move as binary COPY streams (exact values, bounded memory; PostgreSQL spills large
 * temporary tables to disk). A single-table query's WHERE condition is applied on each node as
 * well, so only matching rows move; it is still applied again by the query itself, so it is sent
 * only when evaluating it twice is harmless (no volatile function). Reference tables are complete
 * on every node and are read in place.
 */
final class CoverageReader {

  private final Cluster cluster;
  private final CoveragePlanner planner = new CoveragePlanner();

  CoverageReader(Cluster cluster) {
    this.cluster = requireNonNull(cluster, "cluster");
  }

  /** What a read gathered, and where: the merge node's connection holds the temporary tables. */
  private record Gathered(
      Connection connection, NodeId merge, CoveragePlan plan, @Nullable Filter filter) {}

  /**
   * Runs the query.
   *
   * @param frontend how the statement's text is read (with or without JDBC placeholders)
   */
  Outcome read(
      SqlFrontend frontend,
      ParsedStatement parsed,
      RoutePlan.Coverage route,
      String sql,
      List<@Nullable Object> parameters)
      throws SQLException {
    Gathered g = gatherAll(frontend, parsed, route, sql, parameters, true);
    Connection c = g.connection();
    AutoCloseable release = () -> CloseAll.close(c::rollback, c);
    try {
      return NodeStatements.run(c, retarget(frontend, route, sql), parameters, false, release);
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(g.merge(), e);
    }
  }

  /**
   * EXPLAIN of the query: the route (nodes, buckets, the SQL each node runs, the merge node), then
   * PostgreSQL's plan of the query on the merge node, over the gathered rows with ANALYZE (the
   * query really runs), else over empty temporary tables.
   *
   * @param parsed the explained statement's facts (with places in {@code sql})
   * @param sql the whole EXPLAIN statement
   */
  List<String> explain(
      SqlFrontend frontend,
      ParsedStatement parsed,
      RoutePlan.Coverage route,
      String sql,
      List<@Nullable Object> parameters,
      boolean analyze)
      throws SQLException {
    Gathered g = gatherAll(frontend, parsed, route, sql, parameters, analyze);
    try {
      List<String> lines = new ArrayList<>();
      lines.add(
          "Zynamo cluster-wide query: "
              + g.plan().fanOut()
              + " of "
              + cluster.ring().placement().nodes().size()
              + " nodes, merged on "
              + g.merge());
      for (Map.Entry<NodeId, SortedSet<BucketId>> a : g.plan().assignments().entrySet()) {
        lines.add("  node " + a.getKey() + ": " + a.getValue().size() + " buckets");
      }
      for (TableDistribution table : route.sharded()) {
        Filter filter = route.sharded().size() == 1 ? g.filter() : null;
        lines.add(
            "  gathers "
                + table.table()
                + " with: "
                + select(table, filter, List.of(new BucketId(0)))
                    .replace("'{0}'", "'{<the node's buckets>}'"));
      }
      lines.add("  merges by running the query there; its plan:");
      String text = retarget(frontend, route, sql);
      Outcome o = NodeStatements.run(g.connection(), text, parameters, false, () -> {});
      try (ResultSet rs = ((Outcome.Rows) o).rows()) {
        while (rs.next()) {
          lines.add(rs.getString(1));
        }
      }
      return lines;
    } finally {
      CloseAll.close(g.connection()::rollback, g.connection());
    }
  }

  private static String retarget(SqlFrontend frontend, RoutePlan.Coverage route, String sql) {
    Set<ObjectName> qualified =
        route.sharded().stream()
            .map(t -> TableCatalog.qualified(t.table()))
            .collect(Collectors.toSet());
    return frontend.retarget(sql, qualified);
  }

  /**
   * Plans, picks the merge node and gathers every sharded table into its temporary tables (only
   * creates them, empty, without {@code rows}); a node found unreachable is left out and the plan
   * made again.
   */
  private Gathered gatherAll(
      SqlFrontend frontend,
      ParsedStatement parsed,
      RoutePlan.Coverage route,
      String sql,
      List<@Nullable Object> parameters,
      boolean rows)
      throws SQLException {
    Set<NodeId> excluded = new HashSet<>();
    while (true) {
      CoveragePlan plan = plan(excluded);
      NodeId merge = mergeNode(plan);
      Connection c;
      try {
        c = cluster.pools().connection(merge);
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(merge, e);
        }
        excluded.add(merge);
        continue;
      }
      try {
        Filter filter = filter(frontend, c, parsed, route, sql, parameters);
        c.setAutoCommit(false); // the temporary tables live until the rows are read
        for (TableDistribution table : route.sharded()) {
          gather(c, merge, plan, table, route.sharded().size() == 1 ? filter : null, rows);
        }
        return new Gathered(c, merge, plan, filter);
      } catch (WorkerUnreachable e) {
        CloseAll.closeAfter(e, c::rollback, c);
        excluded.add(e.node);
      } catch (SQLException e) {
        CloseAll.closeAfter(e, c::rollback, c);
        if (!NodeFailures.isUnreachable(e)) {
          throw e;
        }
        excluded.add(merge); // e.g. a pooled connection whose server is gone
      } catch (RuntimeException e) {
        CloseAll.closeAfter(e, c::rollback, c);
        throw e;
      }
    }
  }

  /** A complete plan over live nodes but {@code excluded}; ZY001 when a bucket has none. */
  CoveragePlan plan(Set<NodeId> excluded) throws SQLException {
    Set<NodeId> live = new HashSet<>(cluster.ring().placement().nodes());
    live.removeAll(cluster.health().down());
    live.removeAll(excluded);
    CoveragePlan plan = planner.plan(cluster.ring().placement(), live);
    if (!plan.complete()) {
      SortedSet<BucketId> missing = plan.unavailable();
      throw ZynamoErrors.create(
          ZynamoSqlState.QUORUM_NOT_MET,
          "cluster-wide query: "
              + missing.size()
              + " bucket(s) have no reachable replica (first: "
              + missing.first()
              + "); unreachable: "
              + excluded
              + ", believed down: "
              + cluster.health().down());
    }
    return plan;
  }

  /** The node asked for the most buckets: the fewest rows have to move to it. */
  private static NodeId mergeNode(CoveragePlan plan) {
    NodeId best = null;
    int most = -1;
    for (Map.Entry<NodeId, SortedSet<BucketId>> e : plan.assignments().entrySet()) {
      if (e.getValue().size() > most) {
        best = e.getKey();
        most = e.getValue().size();
      }
    }
    return requireNonNull(best, "a complete plan has a node");
  }

  /** Gathers one table's rows of the planned buckets into a temporary table on the merge node. */
  private void gather(
      Connection merge,
      NodeId mergeNode,
      CoveragePlan plan,
      TableDistribution table,
      @Nullable Filter filter,
      boolean rows)
      throws SQLException {
    String temp = "pg_temp." + ObjectName.of(table.table().name());
    execute(
        merge,
        mergeNode,
        "CREATE TEMPORARY TABLE "
            + temp
            + " ON COMMIT DROP AS SELECT "
            + columns(table)
            + " FROM "
            + TableCatalog.qualified(table.table())
            + " WITH NO DATA");
    if (!rows) {
      return;
    }
    for (Map.Entry<NodeId, SortedSet<BucketId>> assignment : plan.assignments().entrySet()) {
      String select = select(table, filter, assignment.getValue());
      if (assignment.getKey().equals(mergeNode)) {
        execute(merge, mergeNode, "INSERT INTO " + temp + " " + select);
      } else {
        copy(assignment.getKey(), select, merge, mergeNode, temp);
      }
    }
    execute(
        merge,
        mergeNode,
        "ANALYZE " + temp); // the planner knows nothing of a fresh table otherwise
  }

  /** What a node runs to give its rows of {@code table} in {@code buckets}. */
  private static String select(
      TableDistribution table, @Nullable Filter filter, Collection<BucketId> buckets) {
    String columns = columns(table);
    String source = TableCatalog.qualified(table.table()).toString();
    return filter == null
        ? selectBuckets(columns, source, buckets, null)
        : selectBuckets(columns, source + filter.alias(), buckets, filter.condition());
  }

  private static String columns(TableDistribution table) {
    return ObjectName.list(table.columns());
  }

  private static String selectBuckets(
      String columns, String source, Collection<BucketId> buckets, @Nullable String filter) {
    String list =
        buckets.stream().map(b -> Integer.toString(b.value())).collect(Collectors.joining(","));
    return "SELECT "
        + columns
        + " FROM "
        + source
        + " WHERE zynamo_bucket = ANY ('{"
        + list
        + "}'::smallint[])"
        + (filter == null ? "" : " AND (" + filter + ")");
  }

  /** Streams a worker's rows into the merge node's temporary table as binary COPY. */
  private void copy(NodeId worker, String select, Connection merge, NodeId mergeNode, String temp)
      throws SQLException {
    Connection w;
    try {
      w = cluster.pools().connection(worker);
    } catch (SQLException e) {
      if (NodeFailures.isUnreachable(e)) {
        throw new WorkerUnreachable(worker, e);
      }
      throw ZynamoErrors.fromNode(worker, e);
    }
    try (w) {
      // A cancel stops the worker's COPY; the merge node's COPY then fails with it.
      StatementCancel.executing(
          w.unwrap(PGConnection.class)::cancelQuery,
          () -> {
            transfer(w, worker, select, merge, mergeNode, temp);
            return null;
          });
    }
  }

  private static void transfer(
      Connection w, NodeId worker, String select, Connection merge, NodeId mergeNode, String temp)
      throws SQLException {
    CopyOut out;
    try {
      out =
          w.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyOut("COPY (" + select + ") TO STDOUT (FORMAT binary)");
    } catch (SQLException e) {
      if (NodeFailures.isUnreachable(e)) {
        throw new WorkerUnreachable(worker, e);
      }
      throw ZynamoErrors.fromNode(worker, e);
    }
    CopyIn in;
    try {
      in =
          merge
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("COPY " + temp + " FROM STDIN (FORMAT binary)");
    } catch (SQLException e) {
      cancel(out, e);
      throw ZynamoErrors.fromNode(mergeNode, e);
    }
    try {
      byte[] chunk;
      while ((chunk = out.readFromCopy()) != null) {
        in.writeToCopy(chunk, 0, chunk.length);
      }
      in.endCopy();
    } catch (SQLException e) {
      cancel(in, e);
      cancel(out, e);
      if (NodeFailures.isUnreachable(e)) {
        throw new WorkerUnreachable(worker, e);
      }
      throw e;
    }
  }

  private static void cancel(org.postgresql.copy.CopyOperation copy, SQLException failure) {
    try {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * A condition every node applies to its rows before they move, and the alias it names the table
   * by ({@code " AS o"}, or empty).
   */
  private record Filter(String alias, String condition) {}

  /**
   * The condition every node may apply to a single-table query's rows before they move: the query's
   * own WHERE, with its parameters as typed literals (COPY takes none). Null when there is none,
   * when a value has no literal form here, or when the condition calls a volatile function
   * (applying {@code random() < 0.5} twice would filter twice).
   */
  private @Nullable Filter filter(
      SqlFrontend frontend,
      Connection c,
      ParsedStatement parsed,
      RoutePlan.Coverage route,
      String sql,
      List<@Nullable Object> parameters)
      throws SQLException {
    ScanText scan = parsed.scan();
    if (scan == null || scan.where() == null || route.sharded().size() != 1) {
      return null;
    }
    String condition = frontend.inline(sql, scan.where(), parameters).orElse(null);
    if (condition == null || callsVolatile(frontend, c, condition)) {
      return null;
    }
    String alias = scan.alias() == null ? "" : " AS " + ObjectName.of(scan.alias());
    return new Filter(alias, condition);
  }

  private static boolean callsVolatile(SqlFrontend frontend, Connection c, String condition)
      throws SQLException {
    return FunctionKinds.anyVolatile(c, frontend.concatenation("SELECT " + condition).functions());
  }

  private static void execute(Connection c, NodeId node, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      StatementCancel.execute(s, sql);
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(node, e);
    }
  }

  /** A worker node could not be reached: plan again without it. */
  private static final class WorkerUnreachable extends SQLException {
    private static final long serialVersionUID = 1L;
    final transient NodeId node;

    WorkerUnreachable(NodeId node, SQLException cause) {
      super("node " + node + " unreachable: " + cause.getMessage(), cause.getSQLState(), cause);
      this.node = node;
    }
  }
}
