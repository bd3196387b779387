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
import io.zynamo.driver.sql.Pushdown;
import io.zynamo.driver.sql.ScanText;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.CoveragePlan;
import io.zynamo.ring.CoveragePlanner;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.function.Function;
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

  /**
   * What a read gathered, and where: the merge node's connection holds the temporary tables; {@code
   * text} with {@code parameters} is what the merge node runs over them.
   */
  private record Gathered(
      Connection connection,
      NodeId merge,
      CoveragePlan plan,
      @Nullable Filter filter,
      @Nullable Partial partial,
      String text,
      List<@Nullable Object> parameters) {}

  /**
   * A query each node computes partly ({@link Pushdown}): the temporary table is made of the nodes'
   * partial rows, and the merge node runs the query over it.
   *
   * @param source the table as the nodes read it, with the query's alias
   * @param tableColumns the table's columns (what TOP_K gathers)
   * @param merge GROUPED: the SELECT the merge node runs; TOP_K: the query's own
   */
  private record Partial(Pushdown pushdown, String source, String tableColumns, String merge) {

    /** The whole statement the merge node runs (an EXPLAIN's options included). */
    String text() {
      return pushdown.prefix() + merge + pushdown.suffix();
    }

    /** What a node runs for its {@code buckets}. */
    String select(@Nullable Filter filter, Collection<BucketId> buckets) {
      String columns =
          pushdown.kind() == Pushdown.Kind.TOP_K
              ? tableColumns
              : String.join(", ", pushdown.nodeSelectList());
      return selectBuckets(columns, source, buckets, filter == null ? null : filter.condition())
          + pushdown.nodeTail();
    }
  }

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
      return NodeStatements.run(c, g.text(), g.parameters(), false, release);
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
      Partial partial = g.partial();
      for (TableDistribution table : route.sharded()) {
        Filter filter = route.sharded().size() == 1 ? g.filter() : null;
        String select =
            partial == null
                ? select(table, filter, List.of(new BucketId(0)))
                : partial.select(filter, List.of(new BucketId(0)));
        lines.add(
            "  "
                + (partial == null ? "gathers " : "gathers partial results of ")
                + table.table()
                + " with: "
                + select.replace("'{0}'", "'{<the node's buckets>}'"));
      }
      if (partial != null && partial.pushdown().kind() == Pushdown.Kind.GROUPED) {
        lines.add("  the query there, over the partial results: " + partial.merge());
      }
      lines.add("  merges by running the query there; its plan:");
      Outcome o = NodeStatements.run(g.connection(), g.text(), g.parameters(), false, () -> {});
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
        Partial partial = partial(frontend, c, merge, parsed, route, sql, filter);
        if (partial != null) {
          TableDistribution table = route.sharded().get(0);
          gather(c, merge, plan, table, b -> partial.select(filter, b), false, rows);
          String text = frontend.retarget(partial.text(), Set.of(qualified(table)));
          List<@Nullable Object> values =
              partial.pushdown().kind() == Pushdown.Kind.GROUPED ? List.of() : parameters;
          return new Gathered(c, merge, plan, filter, partial, text, values);
        }
        for (TableDistribution table : route.sharded()) {
          Filter f = route.sharded().size() == 1 ? filter : null;
          gather(c, merge, plan, table, b -> select(table, f, b), true, rows);
        }
        return new Gathered(
            c, merge, plan, filter, null, retarget(frontend, route, sql), parameters);
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

  /**
   * The pushdown of a single-table query ({@link Pushdown}), checked on the merge node, with its
   * temporary table created there; null when the query's rows are gathered whole (the merge node's
   * transaction is then rolled back, so nothing of the attempt stays). The checks: no other
   * function the query calls is an aggregate or window function; ORDER BY calls no volatile
   * function (TOP_K); the partial types merge exactly, and the rewritten query describes the same
   * columns, names and types, as the original (GROUPED).
   */
  private @Nullable Partial partial(
      SqlFrontend frontend,
      Connection c,
      NodeId merge,
      ParsedStatement parsed,
      RoutePlan.Coverage route,
      String sql,
      @Nullable Filter filter)
      throws SQLException {
    ScanText scan = parsed.scan();
    if (route.sharded().size() != 1 || scan == null || (scan.where() != null && filter == null)) {
      return null;
    }
    TableDistribution table = route.sharded().get(0);
    Pushdown pushdown = frontend.pushdown(sql, parsed, table.columns()).orElse(null);
    if (pushdown == null) {
      return null;
    }
    String source = qualified(table) + alias(scan);
    try {
      if (FunctionKinds.anyAggregate(c, pushdown.otherFunctions())) {
        return null;
      }
      if (pushdown.kind() == Pushdown.Kind.TOP_K) {
        if (FunctionKinds.anyVolatile(c, pushdown.orderFunctions())) {
          return null;
        }
        Partial partial =
            new Partial(pushdown, source, columns(table), pushdown.originalSelect(null));
        describe(c, partial.select(filter, List.of())); // fails if a node cannot run it
        createTemporary(c, merge, table, wholeRows(table));
        return partial;
      }
      List<Described> original =
          describe(c, pushdown.originalSelect(filter == null ? null : filter.condition()));
      Partial draft = new Partial(pushdown, source, "", "");
      createTemporary(c, merge, table, draft.select(filter, List.of()));
      String select =
          pushdown
              .mergeSelect(partialTypes(c, table), original.stream().map(Described::label).toList())
              .orElse(null);
      if (select == null
          || !describe(c, frontend.retarget(select, Set.of(qualified(table)))).equals(original)) {
        c.rollback();
        return null;
      }
      return new Partial(pushdown, source, "", select);
    } catch (SQLException e) {
      if (NodeFailures.isUnreachable(e)) {
        throw e;
      }
      c.rollback(); // e.g. the query is wrong: gathered whole, the merge node reports it
      return null;
    }
  }

  /** A result column as a node describes it. */
  private record Described(String label, int type, String typeName, int precision, int scale) {}

  private static List<Described> describe(Connection c, String query) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(query)) {
      ResultSetMetaData meta = s.getMetaData();
      List<Described> columns = new ArrayList<>();
      for (int i = 1; meta != null && i <= meta.getColumnCount(); i++) {
        columns.add(
            new Described(
                meta.getColumnLabel(i),
                meta.getColumnType(i),
                meta.getColumnTypeName(i),
                meta.getPrecision(i),
                meta.getScale(i)));
      }
      return columns;
    }
  }

  /** The partial columns' types, as {@code format_type} prints them. */
  private static Map<String, String> partialTypes(Connection c, TableDistribution table)
      throws SQLException {
    Map<String, String> types = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute"
                + " WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped")) {
      s.setString(1, temporary(table));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return types;
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

  /**
   * Gathers one table's rows (or a pushed-down query's partial rows) of the planned buckets into a
   * temporary table on the merge node.
   *
   * @param select what a node runs for its buckets
   * @param create whether to create the temporary table of the table's rows (and analyze it once
   *     filled); the partial query created its own already
   */
  private void gather(
      Connection merge,
      NodeId mergeNode,
      CoveragePlan plan,
      TableDistribution table,
      Function<Collection<BucketId>, String> select,
      boolean create,
      boolean rows)
      throws SQLException {
    String temp = temporary(table);
    if (create) {
      createTemporary(merge, mergeNode, table, wholeRows(table));
    }
    if (!rows) {
      return;
    }
    for (Map.Entry<NodeId, SortedSet<BucketId>> assignment : plan.assignments().entrySet()) {
      String text = select.apply(assignment.getValue());
      if (assignment.getKey().equals(mergeNode)) {
        execute(merge, mergeNode, "INSERT INTO " + temp + " " + text);
      } else {
        copy(assignment.getKey(), text, merge, mergeNode, temp);
      }
    }
    if (create) {
      execute(
          merge,
          mergeNode,
          "ANALYZE " + temp); // the planner knows nothing of a fresh table otherwise
    }
  }

  /**
   * Creates, on the merge node, the temporary table named as {@code table}, with the columns of
   * {@code query}'s result and no rows; it is dropped at commit.
   */
  private static void createTemporary(
      Connection c, NodeId node, TableDistribution table, String query) throws SQLException {
    execute(
        c,
        node,
        "CREATE TEMPORARY TABLE "
            + temporary(table)
            + " ON COMMIT DROP AS "
            + query
            + " WITH NO DATA");
  }

  /** Every user column of every row of {@code table}, as the node holds them. */
  private static String wholeRows(TableDistribution table) {
    return "SELECT " + columns(table) + " FROM " + qualified(table);
  }

  private static String temporary(TableDistribution table) {
    return "pg_temp." + ObjectName.of(table.table().name());
  }

  private static ObjectName qualified(TableDistribution table) {
    return TableCatalog.qualified(table.table());
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
   * when a value has no literal form here, when the condition calls a volatile function (applying
   * {@code random() < 0.5} twice would filter twice), or reads the transaction's time or the node
   * ({@code now()}: each node's transaction has its own, and a node would drop a row the merge node
   * keeps).
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
    if (condition == null
        || frontend.readsNodeLocalValues(condition)
        || callsVolatile(frontend, c, condition)) {
      return null;
    }
    return new Filter(alias(scan), condition);
  }

  /** {@code " AS alias"} for the query's alias of its table, or empty. */
  private static String alias(ScanText scan) {
    return scan.alias() == null ? "" : " AS " + ObjectName.of(scan.alias());
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
