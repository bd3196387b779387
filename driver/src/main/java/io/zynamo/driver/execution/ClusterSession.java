package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.CatalogLoader;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.routing.Router;
import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.ScanText;
import io.zynamo.driver.sql.Span;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.driver.sql.Trait;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.CoveragePlan;
import io.zynamo.ring.KeyHasher;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.Placement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One connection's engine: parses each statement, routes it and runs it on the nodes; keeps the
 * session's read and write quorums ({@code SET zynamo.read_quorum = 1}).
 */
public final class ClusterSession<B> implements StatementExecutor {

  private static final Pattern QUORUM_SETTING =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+)?zynamo\\.(read_quorum|write_quorum)\\s*(?:=|TO)\\s*'?(\\d{1,3})'?\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  /** {@code SELECT zynamo.distribute('t', 'col')} or {@code SELECT zynamo.reference('t')}. */
  private static final Pattern DISTRIBUTION_CALL =
      Pattern.compile(
          "\\s*SELECT\\s+zynamo\\s*\\.\\s*(distribute|reference)\\s*\\(\\s*'((?:[^']|'')*)'"
              + "\\s*(?:,\\s*'((?:[^']|'')*)'\\s*)?\\)\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  private final Cluster cluster;

  /** Statements with bound values: {@code ?} is a JDBC placeholder. */
  private final SqlFrontend frontend = new SqlFrontend();

  /**
   * Statements without bound values: PostgreSQL text, where {@code ?} is an operator (jsonb {@code
   * ?}), as pgjdbc reads a plain {@code Statement}'s SQL and the proxy a simple query.
   */
  private final SqlFrontend plainText =
      new SqlFrontend(SqlFrontend.Config.DEFAULT.withJdbcPlaceholders(false));

  private final CatalogLoader loader = new CatalogLoader();
  private final KeyWriter<B> writer;
  private final KeyReader<B> reader;
  private final DdlExecutor ddl;
  private final CoverageReader coverage;
  private volatile @Nullable TableCatalog catalog;
  private volatile int readQuorum;
  private volatile int writeQuorum;
  private @Nullable Connection metadataConnection;

  public ClusterSession(
      Cluster cluster, RowImages<B> images, TableSetup setup, int readQuorum, int writeQuorum) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.writer = new KeyWriter<>(cluster, images);
    this.reader = new KeyReader<>(cluster, images);
    this.ddl = new DdlExecutor(cluster, setup);
    this.coverage = new CoverageReader(cluster);
    this.readQuorum = readQuorum;
    this.writeQuorum = writeQuorum;
  }

  @Override
  public Outcome execute(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    Matcher setting = QUORUM_SETTING.matcher(sql);
    if (setting.matches()) {
      return setQuorum(setting.group(1).toLowerCase(Locale.ROOT), setting.group(2));
    }
    Matcher distribution = DISTRIBUTION_CALL.matcher(sql);
    if (distribution.matches()) {
      return distribute(
          distribution.group(1).toLowerCase(Locale.ROOT),
          distribution.group(2).replace("''", "'"),
          distribution.group(3) == null ? null : distribution.group(3).replace("''", "'"));
    }
    SqlFrontend text = frontendFor(parameters);
    ParsedStatement parsed = text.parse(sql);
    Outcome session = sessionControl(parsed, sql);
    if (session != null) {
      return session;
    }
    if (parsed.kind() == StatementKind.EXPLAIN && parsed.explained() != null) {
      return explain(text, parsed, sql, parameters);
    }
    RoutePlan plan = route(parsed, parameters);
    if (plan instanceof RoutePlan.SingleBucket single) {
      if (parsed.kind() == StatementKind.SELECT) {
        return reader.read(single, sql, parameters, readQuorum);
      }
      List<NodeId> replicas = cluster.ring().placement().replicas(single.bucket());
      return writer.write(single.bucket(), replicas, sql, parameters, generatedKeys, writeQuorum);
    }
    if (plan instanceof RoutePlan.MultiBucket multi) {
      return multiBucket(text, parsed, multi, sql, parameters, generatedKeys);
    }
    if (plan instanceof RoutePlan.Admin) {
      return admin(text, sql, parameters);
    }
    if (plan instanceof RoutePlan.AllBuckets) {
      return everyBucket(requireNonNull(parsed.scan()), sql, parameters, generatedKeys);
    }
    if (plan instanceof RoutePlan.Coverage scan) {
      return coverage.read(text, parsed, scan, sql, parameters);
    }
    if (plan instanceof RoutePlan.AllNodes all) {
      if (all.write() == null) {
        Outcome outcome = ddl.execute(parsed, sql);
        catalog = null; // tables changed: reload on next use
        return outcome;
      }
      List<NodeId> nodes = cluster.ring().placement().nodes();
      return writer.write(new BucketId(0), nodes, sql, parameters, generatedKeys, writeQuorum);
    }
    return anyNode(sql, parameters, generatedKeys);
  }

  /**
   * A batch of INSERT/UPDATE/DELETE statements each routed to one bucket (or writing a reference
   * table) runs as one multi-piece write: every statement runs before any commits, statements whose
   * coordinator is the same node share its transaction, and an error anywhere rolls all of them
   * back, as pgjdbc's implicit batch transaction does. A PreparedStatement's batch is parsed once.
   */
  @Override
  public Optional<long[]> executeBatch(List<BatchStatement> statements) throws SQLException {
    List<KeyWriter.Piece> pieces = new ArrayList<>(statements.size());
    String parsedSql = null;
    ParsedStatement parsed = null;
    for (BatchStatement statement : statements) {
      String sql = statement.sql();
      if (!sql.equals(parsedSql)) {
        if (QUORUM_SETTING.matcher(sql).matches() || DISTRIBUTION_CALL.matcher(sql).matches()) {
          return Optional.empty();
        }
        parsed = frontendFor(statement.parameters()).parse(sql);
        parsedSql = sql;
        if (!isSimpleWrite(parsed)) {
          return Optional.empty();
        }
      }
      RoutePlan plan = route(requireNonNull(parsed), statement.parameters());
      if (plan instanceof RoutePlan.SingleBucket single) {
        List<NodeId> replicas = cluster.ring().placement().replicas(single.bucket());
        pieces.add(new KeyWriter.Piece(single.bucket(), replicas, sql, statement.parameters()));
      } else if (plan instanceof RoutePlan.AllNodes all && all.write() != null) {
        List<NodeId> nodes = cluster.ring().placement().nodes();
        pieces.add(new KeyWriter.Piece(new BucketId(0), nodes, sql, statement.parameters()));
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(writer.counts(pieces, writeQuorum));
  }

  private static boolean isSimpleWrite(ParsedStatement parsed) {
    return switch (parsed.kind()) {
          case INSERT, UPDATE, DELETE -> true;
          default -> false;
        }
        && !parsed.has(Trait.RETURNING)
        && !parsed.isMultiStatement();
  }

  /**
   * A statement whose keys fall in several buckets, cut into a piece per bucket: writes commit all
   * pieces together (see {@link KeyWriter}), queries concatenate the pieces' rows, which is exact
   * only when the query neither orders, limits, groups, deduplicates nor aggregates them.
   */
  private Outcome multiBucket(
      SqlFrontend text,
      ParsedStatement parsed,
      RoutePlan.MultiBucket multi,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys)
      throws SQLException {
    List<Span> items = parsed.keySpans(requireNonNull(multi.table().shardColumn()));
    KeyReader.Cutter cutter =
        indexes ->
            text.keep(sql, parameters, items, indexes)
                .orElseThrow(
                    () ->
                        notYet(
                            "$n parameters in statements on "
                                + multi.table().table()
                                + " whose keys fall in several buckets (use ? placeholders)"));
    if (parsed.kind() == StatementKind.SELECT) {
      if (concatenable(text, sql)) {
        return reader.read(multi, cutter, readQuorum);
      }
      return coverage.read(
          text, parsed, new RoutePlan.Coverage(List.of(multi.table())), sql, parameters);
    }
    List<KeyWriter.Piece> pieces = new ArrayList<>();
    for (RoutePlan.Part part : multi.parts()) {
      SqlFrontend.Piece piece = cutter.cut(part.items());
      pieces.add(
          new KeyWriter.Piece(
              part.bucket(),
              cluster.ring().placement().replicas(part.bucket()),
              piece.sql(),
              piece.parameters()));
    }
    return writer.write(pieces, generatedKeys, writeQuorum);
  }

  /**
   * A query over the admin views: on one node, in a transaction holding temporary tables filled
   * from this instance's ring and node health, with {@code zynamo.nodes} and {@code zynamo.buckets}
   * pointed at them; {@code zynamo.tables} is the node's own (the same on every node).
   */
  private Outcome admin(SqlFrontend text, String sql, List<@Nullable Object> parameters)
      throws SQLException {
    Placement placement = cluster.ring().placement();
    List<String> nodes = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    List<String> databases = new ArrayList<>();
    List<String> states = new ArrayList<>();
    List<Integer> held = new ArrayList<>();
    List<Integer> coordinated = new ArrayList<>();
    List<Long> attempts = new ArrayList<>();
    List<Long> failures = new ArrayList<>();
    List<Long> skipped = new ArrayList<>();
    for (NodeId node : placement.nodes()) {
      NodeAddress address = NodeAddress.of(node);
      NodeCounts counts = cluster.health().counts(node);
      nodes.add(node.value());
      hosts.add(address.host());
      ports.add(address.port());
      databases.add(address.database());
      states.add(cluster.health().state(node).name().toLowerCase(Locale.ROOT));
      held.add(placement.bucketsOf(node).size());
      coordinated.add(placement.bucketsOf(node, 0).size());
      attempts.add(counts.attempts());
      failures.add(counts.failures());
      skipped.add(counts.skipped());
    }
    List<Integer> buckets = new ArrayList<>();
    List<String> replicas = new ArrayList<>();
    for (int b = 0; b < placement.bucketCount(); b++) {
      buckets.add(b);
      replicas.add(
          String.join(
              ",", placement.replicas(new BucketId(b)).stream().map(NodeId::value).toList()));
    }
    Connection c = firstReachable();
    try {
      c.setAutoCommit(false);
      try (PreparedStatement s =
          c.prepareStatement(
              "CREATE TEMPORARY TABLE zynamo_nodes ON COMMIT DROP AS SELECT * FROM unnest("
                  + "?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::int[], ?::int[],"
                  + " ?::bigint[], ?::bigint[], ?::bigint[]) AS n(node, host, port, database,"
                  + " state, buckets, coordinates, attempts, failures, skipped)")) {
        Object[] columns = {
          nodes.toArray(new String[0]),
          hosts.toArray(new String[0]),
          ports.toArray(new Integer[0]),
          databases.toArray(new String[0]),
          states.toArray(new String[0]),
          held.toArray(new Integer[0]),
          coordinated.toArray(new Integer[0]),
          attempts.toArray(new Long[0]),
          failures.toArray(new Long[0]),
          skipped.toArray(new Long[0])
        };
        for (int i = 0; i < columns.length; i++) {
          s.setObject(i + 1, columns[i]);
        }
        s.execute();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "CREATE TEMPORARY TABLE zynamo_buckets ON COMMIT DROP AS SELECT b AS bucket,"
                  + " string_to_array(r, ',') AS replicas, split_part(r, ',', 1) AS coordinator"
                  + " FROM unnest(?::int[], ?::text[]) AS x(b, r)")) {
        s.setObject(1, buckets.toArray(new Integer[0]));
        s.setObject(2, replicas.toArray(new String[0]));
        s.execute();
      }
      String query =
          text.replaceTables(
              sql,
              Map.of(
                  new ObjectName("zynamo", "nodes"), "pg_temp.zynamo_nodes",
                  new ObjectName("zynamo", "buckets"), "pg_temp.zynamo_buckets"));
      return NodeStatements.run(c, query, parameters, false, () -> CloseAll.close(c::rollback, c));
    } catch (SQLException | RuntimeException e) {
      try {
        CloseAll.close(c::rollback, c);
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * EXPLAIN through Zynamo: how the statement is routed (buckets, replicas, nodes, what is merged),
   * then PostgreSQL's plan of what a node runs. EXPLAIN ANALYZE really runs the statement, so only
   * queries may be analyzed.
   */
  private Outcome explain(
      SqlFrontend text, ParsedStatement parsed, String sql, List<@Nullable Object> parameters)
      throws SQLException {
    ParsedStatement inner = requireNonNull(parsed.explained());
    boolean analyze = parsed.has(Trait.EXPLAIN_ANALYZE);
    if (analyze && inner.kind() != StatementKind.SELECT) {
      throw notYet("EXPLAIN ANALYZE of " + inner.kind() + " (it would write on one node only)");
    }
    RoutePlan plan = route(inner, parameters);
    List<String> lines = new ArrayList<>();
    if (plan instanceof RoutePlan.Coverage scan) {
      lines.addAll(coverage.explain(text, inner, scan, sql, parameters, analyze));
      return lines(lines);
    }
    NodeId node;
    if (plan instanceof RoutePlan.SingleBucket single) {
      List<NodeId> replicas = cluster.ring().placement().replicas(single.bucket());
      lines.add(
          "Zynamo single bucket: "
              + single.bucket()
              + " of "
              + single.table().table()
              + ", replicas "
              + replicas
              + (inner.kind() == StatementKind.SELECT
                  ? ", read quorum " + readQuorum
                  : ", write quorum "
                      + writeQuorum
                      + " (runs on the first, images to the others)"));
      node = replicas.get(0);
    } else if (plan instanceof RoutePlan.MultiBucket multi) {
      lines.add(
          "Zynamo "
              + multi.parts().size()
              + " buckets of "
              + multi.table().table()
              + ", one piece each (queries: one per node)");
      for (RoutePlan.Part part : multi.parts()) {
        lines.add(
            "  bucket "
                + part.bucket()
                + " on "
                + cluster.ring().placement().replicas(part.bucket())
                + ": keys "
                + part.keys());
      }
      node = cluster.ring().placement().replicas(multi.parts().get(0).bucket()).get(0);
    } else if (plan instanceof RoutePlan.AllBuckets all) {
      lines.add(
          "Zynamo every bucket of "
              + all.table().table()
              + ": one piece per bucket (AND zynamo_bucket = b), on the nodes of a coverage plan");
      node = cluster.ring().placement().nodes().get(0);
    } else if (plan instanceof RoutePlan.AllNodes) {
      lines.add("Zynamo every node: " + cluster.ring().placement().nodes());
      node = cluster.ring().placement().nodes().get(0);
    } else {
      lines.add("Zynamo any one node");
      node = cluster.ring().placement().nodes().get(0);
    }
    lines.add("Node plan (" + node + "):");
    try (Connection c = cluster.pools().connection(node)) {
      Outcome o = NodeStatements.run(c, sql, parameters, false, () -> {});
      try (ResultSet rs = ((Outcome.Rows) o).rows()) {
        while (rs.next()) {
          lines.add("  " + rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(node, e);
    }
    return lines(lines);
  }

  /** Lines of text as the rows of a one-column result, as EXPLAIN gives them. */
  private Outcome lines(List<String> lines) throws SQLException {
    return anyNode(
        "SELECT line AS \"QUERY PLAN\" FROM unnest(?::text[]) WITH ORDINALITY AS l(line, n)"
            + " ORDER BY n",
        List.of((Object) lines.toArray(new String[0])),
        false);
  }

  /**
   * An UPDATE or DELETE without a usable shard key: one piece per bucket, narrowed to the bucket's
   * rows ({@code AND zynamo_bucket = b}) and coordinated by the node a coverage plan asks for that
   * bucket, so each row changes exactly once and the count is the number of rows changed. All
   * pieces commit together (see {@link KeyWriter}).
   */
  private Outcome everyBucket(
      ScanText scan, String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    CoveragePlan cover = coverage.plan(Set.of());
    List<KeyWriter.Piece> pieces = new ArrayList<>();
    for (Map.Entry<NodeId, SortedSet<BucketId>> assigned : cover.assignments().entrySet()) {
      for (BucketId bucket : assigned.getValue()) {
        List<NodeId> replicas = new ArrayList<>(cluster.ring().placement().replicas(bucket));
        replicas.remove(assigned.getKey());
        replicas.add(0, assigned.getKey());
        pieces.add(
            new KeyWriter.Piece(
                bucket,
                replicas,
                scan.narrowed(sql, "zynamo_bucket = " + bucket.value()),
                parameters));
      }
    }
    return writer.write(pieces, generatedKeys, writeQuorum);
  }

  /**
   * Whether the query's rows from several buckets may simply follow each other: it neither orders,
   * limits, groups, deduplicates nor aggregates them (aggregates are looked up by name in the
   * node's catalog).
   */
  private boolean concatenable(SqlFrontend text, String sql) throws SQLException {
    SqlFrontend.Concatenation query = text.concatenation(sql);
    if (!query.clauses().isEmpty()) {
      return false;
    }
    if (query.functions().isEmpty()) {
      return true;
    }
    try (Connection c = firstReachable();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT EXISTS (SELECT FROM pg_catalog.pg_proc"
                    + " WHERE prokind IN ('a', 'w') AND proname = ANY (?))")) {
      s.setArray(1, c.createArrayOf("text", query.functions().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        return !(rs.next() && rs.getBoolean(1));
      }
    }
  }

  private static SQLException notYet(String construct) {
    return ZynamoErrors.create(
        ZynamoSqlState.FEATURE_NOT_SUPPORTED, "not supported yet: " + construct);
  }

  /**
   * Transaction control and session settings never reach a pooled node connection, where they would
   * outlive the statement and leak into every later borrower: every statement commits on its own
   * (until transactions exist), so BEGIN fails with 0A000, COMMIT and ROLLBACK succeed as
   * PostgreSQL's do outside a transaction block, savepoints fail with 25P01, and SET/RESET (other
   * than {@code zynamo.*} and settings already in effect on every node connection, such as pgjdbc's
   * {@code extra_float_digits = 3}) fail with 0A000. Null for any other statement.
   */
  /** {@code SET [SESSION] name {= | TO} value}: one setting, one plain value. */
  private static final Pattern SIMPLE_SETTING =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+)?([A-Za-z_]+)\\s*(?:=|TO)\\s*'?([A-Za-z0-9_ ,.-]*)'?\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  /**
   * Settings clients send at connect (pgjdbc: {@code extra_float_digits = 3}) that change nothing
   * here: the value is the one every node connection already uses, or only names the client.
   */
  private static boolean isAlreadyInEffect(String sql) {
    Matcher m = SIMPLE_SETTING.matcher(sql);
    if (!m.matches()) {
      return false;
    }
    String value = m.group(2).strip().toLowerCase(Locale.ROOT);
    return switch (m.group(1).toLowerCase(Locale.ROOT)) {
      case "application_name", "client_min_messages" -> true;
      case "extra_float_digits" -> value.equals("3");
      case "client_encoding" ->
          value.equals("utf8") || value.equals("utf-8") || value.equals("unicode");
      case "datestyle" -> value.equals("iso") || value.equals("iso, mdy");
      case "intervalstyle" -> value.equals("postgres");
      case "standard_conforming_strings" -> value.equals("on");
      default -> false;
    };
  }

  private static @Nullable Outcome sessionControl(ParsedStatement parsed, String sql)
      throws SQLException {
    return switch (parsed.kind()) {
      case BEGIN -> throw notYet("transactions (every statement commits on its own)");
      case COMMIT, ROLLBACK -> new Outcome.Count(-1, null);
      case SAVEPOINT, RELEASE, ROLLBACK_TO_SAVEPOINT ->
          throw ZynamoErrors.create(
              ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION,
              "savepoints can only be used in transaction blocks (there is no transaction in"
                  + " progress)");
      case SET, RESET -> {
        if (parsed.kind() == StatementKind.SET && isAlreadyInEffect(sql)) {
          yield new Outcome.Count(-1, null);
        }
        throw notYet(
            "session settings on the nodes (SET/RESET are not kept across pooled node"
                + " connections; only zynamo.read_quorum and zynamo.write_quorum are)");
      }
      default -> null;
    };
  }

  /** How to read a statement's text: JDBC placeholders only when values are bound. */
  private SqlFrontend frontendFor(List<@Nullable Object> parameters) {
    return parameters.isEmpty() ? plainText : frontend;
  }

  /** Routes; a table unknown to this session's catalog may just have been created elsewhere. */
  private RoutePlan route(ParsedStatement parsed, List<@Nullable Object> parameters)
      throws SQLException {
    try {
      return router().route(parsed, parameters);
    } catch (SQLException e) {
      if (!ZynamoSqlState.UNDEFINED_TABLE.code().equals(e.getSQLState())) {
        throw e;
      }
      catalog = null;
      return router().route(parsed, parameters);
    }
  }

  private Router router() throws SQLException {
    TableCatalog current = catalog;
    if (current == null) {
      current = loadCatalog();
      catalog = current;
    }
    return new Router(current, new KeyHasher(cluster.ring().bucketBits()));
  }

  /**
   * The table catalog from the first node that answers: a node that fails with a connection error
   * (e.g. a pooled connection its server closed) hands over to the next, as the read is harmless.
   */
  private TableCatalog loadCatalog() throws SQLException {
    SQLException first = null;
    for (NodeId node : cluster.ring().placement().nodes()) {
      try (Connection c = cluster.pools().connection(node)) {
        return loader.load(c);
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "no node is reachable", first);
  }

  private Outcome anyNode(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    Connection c = firstReachable();
    return NodeStatements.run(c, sql, parameters, generatedKeys, c);
  }

  /**
   * {@code zynamo.distribute(table, column)} / {@code zynamo.reference(table)} on every node; the
   * answer is the one row of a void function, as PostgreSQL gives it.
   */
  private Outcome distribute(String function, String table, @Nullable String column)
      throws SQLException {
    boolean reference = function.equals("reference");
    if (reference != (column == null)) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SYNTAX_ERROR,
          "function zynamo."
              + function
              + " takes "
              + (reference ? "(table)" : "(table, column)")
              + " as text constants");
    }
    ObjectName name =
        frontend
            .objectName(table)
            .orElseThrow(
                () ->
                    ZynamoErrors.create(
                        ZynamoSqlState.SYNTAX_ERROR, "invalid table name: \"" + table + "\""));
    ddl.distribute(name, column);
    catalog = null;
    return anyNode("SELECT ''::void AS " + function, List.of(), false);
  }

  private Outcome setQuorum(String name, String value) throws SQLException {
    int n = Integer.parseInt(value);
    int replicas = cluster.ring().placement().columns();
    if (n < 1 || n > replicas) {
      throw ZynamoErrors.invalidValue("zynamo." + name, value, "1.." + replicas);
    }
    if (name.equals("read_quorum")) {
      readQuorum = n;
    } else {
      writeQuorum = n;
    }
    return new Outcome.Count(-1, null);
  }

  /** A connection to the first node, in ring order, that accepts one. */
  private Connection firstReachable() throws SQLException {
    SQLException first = null;
    for (NodeId node : cluster.ring().placement().nodes()) {
      try {
        return cluster.pools().connection(node);
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "no node is reachable", first);
  }

  /** One node's metadata. Zynamo's own schema and internal columns are not yet filtered out. */
  @Override
  public synchronized DatabaseMetaData metaData() throws SQLException {
    if (metadataConnection == null || metadataConnection.isClosed()) {
      metadataConnection = firstReachable();
    }
    return metadataConnection.getMetaData();
  }

  @Override
  public boolean isValid(int timeoutSeconds) throws SQLException {
    try (Connection c = firstReachable()) {
      return c.isValid(timeoutSeconds);
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    CloseAll.close(metadataConnection);
    metadataConnection = null;
  }
}
