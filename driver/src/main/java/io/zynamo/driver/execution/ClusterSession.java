package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.ZynamoProperty;
import io.zynamo.driver.catalog.CatalogLoader;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.routing.Router;
import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.InsertRows;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.SequenceColumn;
import io.zynamo.driver.sql.SequenceEdits;
import io.zynamo.driver.sql.Shape;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.driver.sql.Trait;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.KeyHasher;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
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
  private final BucketPieces pieces;
  private final RowImages<B> images;
  private final KeyAccess direct;
  private final SessionSequences sequences;

  /** The open transaction (BEGIN ... COMMIT), or null: each statement commits on its own. */
  private @Nullable ClusterTransaction<B> transaction;

  private volatile @Nullable TableCatalog catalog;

  /** The router for {@link #catalog}, kept while the catalog and the bucket count last. */
  private volatile @Nullable Router router;

  /** The running statement, for a cancel from another thread. */
  private final StatementCancel cancels = new StatementCancel();

  /** The session's {@code statement_timeout}; zero: none. */
  private volatile Duration statementTimeout = Duration.ZERO;

  private volatile int readQuorum;
  private volatile int writeQuorum;
  private final boolean sloppyQuorum;

  /** The connection's {@code tombstoneGrace}, for the passes {@code zynamo.repair()} runs. */
  private volatile Duration tombstoneGrace =
      Duration.ofSeconds(
          Integer.parseInt(ZynamoProperty.TOMBSTONE_GRACE.defaultValue().orElseThrow()));

  private @Nullable Connection metadataConnection;

  public ClusterSession(
      Cluster cluster, RowImages<B> images, TableSetup setup, int readQuorum, int writeQuorum) {
    this(cluster, images, setup, readQuorum, writeQuorum, true);
  }

  /**
   * A session; {@code sloppyQuorum}: whether stand-ins may make up its writes' quorum when fewer
   * than W replicas are reachable.
   */
  public ClusterSession(
      Cluster cluster,
      RowImages<B> images,
      TableSetup setup,
      int readQuorum,
      int writeQuorum,
      boolean sloppyQuorum) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.writer = new KeyWriter<>(cluster, images, sloppyQuorum);
    this.sloppyQuorum = sloppyQuorum;
    this.reader = new KeyReader<>(cluster, images);
    this.ddl = new DdlExecutor(cluster, setup);
    this.coverage = new CoverageReader(cluster);
    this.pieces = new BucketPieces(cluster, coverage, this::firstReachable);
    this.images = images;
    this.direct = new KeyAccess.Direct<>(writer, reader);
    this.sequences = new SessionSequences(cluster.sequences());
    this.readQuorum = readQuorum;
    this.writeQuorum = writeQuorum;
  }

  /**
   * Sets how old a tombstone must be before a pass of {@code zynamo.repair()} on this session may
   * remove it (the connection's {@code tombstoneGrace}); returns this session.
   */
  public ClusterSession<B> withTombstoneGrace(Duration grace) {
    this.tombstoneGrace = requireNonNull(grace, "grace");
    return this;
  }

  /** {@code SELECT zynamo.handoff()}: one hinted handoff pass, now. */
  private static final Pattern HANDOFF_CALL =
      Pattern.compile(
          "\\s*SELECT\\s+zynamo\\s*\\.\\s*handoff\\s*\\(\\s*\\)\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  /** {@code SELECT zynamo.recover()}: one two-phase commit recovery pass, now. */
  private static final Pattern RECOVER_CALL =
      Pattern.compile(
          "\\s*SELECT\\s+zynamo\\s*\\.\\s*recover\\s*\\(\\s*\\)\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  /**
   * Runs one statement. Inside a transaction, any error puts it in the failed state, where only
   * ROLLBACK (or ROLLBACK TO a savepoint) is accepted, as in PostgreSQL.
   */
  @Override
  public Outcome execute(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    Optional<TransactionControl.Command> control = TransactionControl.parse(sql);
    ClusterTransaction<B> tx = transaction;
    if (tx != null && tx.failed() && control.isEmpty()) {
      throw abortedTransaction();
    }
    try {
      if (control.isEmpty()) {
        cluster.ensureFreshRing();
      }
      return cancellable(
          () -> control.isPresent() ? control(control.get()) : run(sql, parameters, generatedKeys));
    } catch (SQLException | RuntimeException e) {
      if (tx != null && transaction == tx) {
        tx.fail(); // any error inside a transaction block fails it, as in PostgreSQL
      }
      throw e;
    }
  }

  /**
   * Runs one statement of the session so that {@link #cancel} and the statement timeout reach it:
   * once cancelled, whatever failure the cancel caused is reported as 57014.
   */
  private <T> T cancellable(StatementCancel.NodeCall<T> statement) throws SQLException {
    RingEpochs.Gate epoch = cluster.epochs().enter(cluster.ring().epoch());
    try (StatementCancel.Run run = cancels.start()) {
      Duration timeout = statementTimeout;
      ScheduledFuture<?> timer =
          timeout.isZero()
              ? null
              : cluster.schedule(
                  () -> run.cancel("canceling statement due to statement timeout"), timeout);
      try {
        return statement.run();
      } catch (SQLException e) {
        throw run.cancelled() == null ? e : run.failure(e);
      } finally {
        if (timer != null) {
          timer.cancel(false);
        }
      }
    } finally {
      cluster.epochs().leave(epoch);
    }
  }

  /**
   * Cancels the running statement on every node that runs part of it (57014, "canceling statement
   * due to user request"); nothing when none runs.
   */
  @Override
  public void cancel() {
    cancels.cancel("canceling statement due to user request");
  }

  private static SQLException abortedTransaction() {
    return ZynamoErrors.create(
        ZynamoSqlState.IN_FAILED_SQL_TRANSACTION,
        "current transaction is aborted, commands ignored until end of transaction block");
  }

  @Override
  public TransactionState transactionState() {
    ClusterTransaction<B> tx = transaction;
    if (tx == null) {
      return TransactionState.IDLE;
    }
    return tx.failed() ? TransactionState.FAILED : TransactionState.ACTIVE;
  }

  @Override
  public void failTransaction() {
    ClusterTransaction<B> tx = transaction;
    if (tx != null) {
      tx.fail();
    }
  }

  /** How statements on keys run now: in the open transaction, or each on its own. */
  private KeyAccess access() {
    ClusterTransaction<B> tx = transaction;
    return tx == null ? direct : tx;
  }

  /**
   * BEGIN, COMMIT, ROLLBACK, savepoints and SET TRANSACTION / SET LOCAL, answered as PostgreSQL
   * does (outside a transaction, COMMIT and ROLLBACK succeed with nothing to do; savepoints fail
   * with 25P01).
   */
  private Outcome control(TransactionControl.Command command) throws SQLException {
    Outcome done = new Outcome.Count(-1, null);
    ClusterTransaction<B> tx = transaction;
    boolean ends =
        command instanceof TransactionControl.Commit
            || command instanceof TransactionControl.Rollback
            || command instanceof TransactionControl.RollbackTo;
    if (tx != null && tx.failed() && !ends) {
      throw abortedTransaction(); // as PostgreSQL: only ROLLBACK (TO) ends the failed state
    }
    if (command instanceof TransactionControl.TwoPhase twoPhase) {
      throw ZynamoErrors.notSupportedYet(
          twoPhase.command()
              + " (Zynamo runs two-phase commit itself: a transaction on several nodes commits"
              + " atomically with COMMIT)");
    }
    if (command instanceof TransactionControl.Begin begin) {
      if (tx == null) {
        checkIsolation(begin.modes());
        transaction =
            new ClusterTransaction<>(cluster, images, begin.modes(), cluster::recoverSoon);
      }
      return done; // PostgreSQL warns of a transaction already in progress, and goes on
    }
    if (command instanceof TransactionControl.Commit commit) {
      if (commit.chain()) {
        throw ZynamoErrors.notSupportedYet("COMMIT AND CHAIN");
      }
      if (tx != null) {
        transaction = null;
        if (tx.failed()) {
          tx.rollback(); // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK
          return done;
        }
        tx.commit(writeQuorum);
      }
      return done;
    }
    if (command instanceof TransactionControl.Rollback rollback) {
      if (rollback.chain()) {
        throw ZynamoErrors.notSupportedYet("ROLLBACK AND CHAIN");
      }
      if (tx != null) {
        transaction = null;
        tx.rollback();
      }
      return done;
    }
    if (command instanceof TransactionControl.SetTransaction set) {
      if (tx != null) {
        if (tx.started()) {
          throw ZynamoErrors.create(
              ZynamoSqlState.ACTIVE_SQL_TRANSACTION,
              "SET TRANSACTION ISOLATION LEVEL must be called before any query");
        }
        checkIsolation(set.modes());
        tx.characteristics(set.modes());
      }
      return done; // outside a transaction block PostgreSQL only warns
    }
    if (command instanceof TransactionControl.SetLocal local) {
      if (tx != null) {
        tx.setLocal(local.sql());
      }
      return done;
    }
    if (tx == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION,
          "savepoints can only be used in transaction blocks");
    }
    if (command instanceof TransactionControl.Savepoint savepoint) {
      tx.savepoint(savepoint.name());
    } else if (command instanceof TransactionControl.Release release) {
      tx.release(release.name());
    } else if (command instanceof TransactionControl.RollbackTo rollbackTo) {
      tx.rollbackTo(rollbackTo.name());
    }
    return done;
  }

  /**
   * SERIALIZABLE holds on one PostgreSQL only: across nodes no one orders the transactions, so it
   * is refused unless the cluster is one node.
   */
  private void checkIsolation(String modes) throws SQLException {
    if (TransactionControl.serializable(modes) && cluster.ring().nodes().size() > 1) {
      throw ZynamoErrors.notSupportedYet(
          "SERIALIZABLE isolation on a cluster of several nodes (each node would serialize only"
              + " its own part); use REPEATABLE READ or READ COMMITTED");
    }
  }

  private Outcome run(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    if (mayBeAnsweredHere(sql)) {
      Outcome answered = answerHere(sql);
      if (answered != null) {
        return answered;
      }
    }
    SqlFrontend text = frontendFor(parameters);
    ParsedStatement parsed = text.parse(sql);
    if ((parsed.kind() == StatementKind.UPDATE || parsed.kind() == StatementKind.DELETE)
        && parsed.shape() == Shape.COMPLEX
        && !parsed.isMultiStatement()) {
      String inlined = SubqueryValues.inline(text, sql, this::run);
      if (inlined != null) {
        sql = inlined;
        parsed = text.parse(sql);
      }
    }
    InsertSelect insertSelect = insertSelect(text, parsed, sql);
    if (insertSelect != null) {
      return insertSelect.run(sql, parameters, generatedKeys);
    }
    SqlFrontend.Piece filled = fillSequences(text, parsed, sql, parameters);
    if (filled != null) {
      sql = filled.sql();
      parameters = filled.parameters();
      parsed = text.parse(sql);
    }
    Outcome session = SessionControl.answer(parsed, sql);
    if (session != null) {
      return session;
    }
    if (parsed.kind() == StatementKind.MAINTENANCE) {
      return maintenance(sql);
    }
    if (parsed.kind() == StatementKind.EXPLAIN && parsed.explained() != null) {
      return new Explainer(cluster, coverage, this::route, this::firstReachable)
          .explain(text, parsed, sql, parameters, readQuorum, writeQuorum);
    }
    RoutePlan plan = route(parsed, parameters);
    KeyAccess access = access();
    if (plan instanceof RoutePlan.SingleBucket single) {
      if (parsed.kind() == StatementKind.SELECT) {
        return access.read(single, sql, parameters, readQuorum);
      }
      List<NodeId> replicas = freshen(single, cluster.ring().placement().replicas(single.bucket()));
      return access.write(
          List.of(
              new KeyWriter.Piece(
                  single.bucket(),
                  replicas,
                  sql,
                  parameters,
                  cluster.ring().extraReplicas(single.bucket()))),
          generatedKeys,
          writeQuorum);
    }
    if (plan instanceof RoutePlan.MultiBucket multi) {
      // A bulk INSERT of new keys is not freshened bucket by bucket (a digest round per bucket);
      // statements whose effect depends on the rows there are.
      boolean dependsOnRows =
          parsed.kind() == StatementKind.UPDATE
              || parsed.kind() == StatementKind.DELETE
              || parsed.has(Trait.ON_CONFLICT_DO_NOTHING)
              || parsed.has(Trait.ON_CONFLICT_DO_UPDATE);
      Map<BucketId, List<NodeId>> writeOrder = new HashMap<>();
      if (dependsOnRows) {
        for (RoutePlan.Part part : multi.parts()) {
          writeOrder.put(
              part.bucket(),
              freshen(
                  new RoutePlan.SingleBucket(multi.table(), part.bucket(), part.keys()),
                  cluster.ring().placement().replicas(part.bucket())));
        }
      }
      return pieces.multiBucket(
          access,
          text,
          parsed,
          multi,
          writeOrder,
          sql,
          parameters,
          generatedKeys,
          readQuorum,
          writeQuorum);
    }
    if (plan instanceof RoutePlan.Admin) {
      return new AdminViews(cluster).query(text, firstReachable(), sql, parameters);
    }
    if (plan instanceof RoutePlan.AllBuckets) {
      return pieces.everyBucket(
          access, requireNonNull(parsed.scan()), sql, parameters, generatedKeys, writeQuorum);
    }
    if (plan instanceof RoutePlan.Coverage scan) {
      access.checkCoverage();
      return coverage.read(text, parsed, scan, sql, parameters);
    }
    if (plan instanceof RoutePlan.AllNodes all) {
      ClusterTransaction<B> tx = transaction;
      if (all.write() == null && tx != null && parsed.kind() == StatementKind.TRUNCATE) {
        tx.onEveryNode(sql); // transactional in PostgreSQL: part of the transaction everywhere
        return new Outcome.Count(-1, null);
      }
      if (all.write() == null) {
        refuseInTransaction("DDL");
        refuseSequenceColumnOverRows(parsed, sql);
        Outcome outcome = ddl.execute(parsed, sql, alteredTarget(parsed));
        catalog = null; // tables changed: reload on next use
        cluster.sequences().forget(); // and sequences may have changed
        return outcome;
      }
      List<NodeId> nodes = cluster.ring().placement().nodes();
      return access.write(
          List.of(new KeyWriter.Piece(new BucketId(0), nodes, sql, parameters, cluster.joining())),
          generatedKeys,
          writeQuorum);
    }
    if ((parsed.kind() == StatementKind.SELECT || parsed.kind() == StatementKind.SHOW)
        && !parsed.has(Trait.ROW_LOCKING)) {
      return anyNodeRead(CatalogViews.hideInternals(text, sql), parameters);
    }
    return anyNode(sql, parameters, generatedKeys);
  }

  /**
   * An {@code INSERT ... SELECT} whose rows cannot be computed where they are stored (into a
   * sharded table, or into a reference table from a sharded one), or null for any other statement.
   */
  private @Nullable InsertSelect insertSelect(SqlFrontend text, ParsedStatement parsed, String sql)
      throws SQLException {
    InsertRows insert = parsed.insert();
    ObjectName target = parsed.target();
    if (parsed.kind() != StatementKind.INSERT
        || !parsed.has(Trait.INSERT_SELECT)
        || parsed.isMultiStatement()
        || insert == null
        || insert.layout() == null
        || insert.layout().query() == null
        || target == null
        || !InsertSelect.startsWithInsert(sql)) {
      return null;
    }
    TableDistribution table = catalog().find(target).orElse(null);
    if (table == null) {
      return null;
    }
    if (table.kind() == TableDistribution.Kind.REFERENCE) {
      boolean readsSharded = false;
      for (ObjectName read : parsed.tables()) {
        readsSharded |=
            catalog().find(read).map(d -> d.kind() == TableDistribution.Kind.SHARDED).orElse(false);
      }
      if (!readsSharded) {
        return null; // every node computes the same rows from complete tables
      }
    }
    return new InsertSelect(
        text,
        this::run,
        new InsertSelect.Transactions() {
          @Override
          public boolean active() {
            return transaction != null;
          }

          @Override
          public InsertSelect.Own open() {
            return ownTransaction();
          }
        },
        this::anyNode,
        insert,
        table,
        parsed.has(Trait.RETURNING));
  }

  /** Opens a transaction of one statement's own (none is open): the returned control ends it. */
  private InsertSelect.Own ownTransaction() {
    ClusterTransaction<B> tx = new ClusterTransaction<>(cluster, images, "", cluster::recoverSoon);
    transaction = tx;
    return new InsertSelect.Own() {
      @Override
      public void commit() throws SQLException {
        transaction = null;
        tx.commit(writeQuorum);
      }

      @Override
      public void rollback() throws SQLException {
        transaction = null;
        tx.rollback();
      }
    };
  }

  /**
   * Before a write by key: {@link KeyReader#freshen} with N - W + 1 replicas. Inside a transaction
   * block only while {@link ClusterTransaction#mayFreshen} (its digests run on connections of their
   * own, which would otherwise wait for a lock the transaction holds, such as a TRUNCATE's before
   * the INSERT of {@code pgbench -i}, or repair what its snapshot no longer sees); there a freshen
   * that cannot reach enough replicas lets the write go ahead as before (the quorum is checked at
   * COMMIT). Outside one, when fewer than N - W + 1 replicas answer but stand-ins could make up the
   * write's quorum (sloppy quorum), the write goes ahead without it: it may then miss a write that
   * only the unreachable replicas or hints hold (Dynamo's trade: writeable, not consistent, until
   * handoff).
   *
   * @return the bucket's replicas in the order the write tries them as its coordinator: the
   *     freshened ones first, so that the coordinator is one of them (with a strict quorum the
   *     write tries at most N - W + 1 replicas, as many as were freshened); inside a transaction
   *     the bucket's home decides, and the order is the preference list's
   */
  private List<NodeId> freshen(RoutePlan.SingleBucket route, List<NodeId> replicas)
      throws SQLException {
    ClusterTransaction<B> tx = transaction;
    if (tx != null && !tx.mayFreshen(route.bucket())) {
      return replicas;
    }
    List<NodeId> order;
    try {
      order = new ArrayList<>(reader.freshen(route, replicas.size() - writeQuorum + 1));
    } catch (SQLException e) {
      if (!ZynamoSqlState.QUORUM_NOT_MET.code().equals(e.getSQLState())) {
        throw e;
      }
      if (tx == null && (!sloppyQuorum || cluster.standIns(route.bucket(), replicas).isEmpty())) {
        throw e;
      }
      return replicas;
    }
    if (tx != null) {
      return replicas;
    }
    replicas.stream().filter(n -> !order.contains(n)).forEach(order::add);
    return order;
  }

  /**
   * A read that any node answers alike (no table, reference tables, the catalog): a node that turns
   * out unreachable when it runs (a pooled connection its server closed) hands over to the next, in
   * ring order.
   */
  private Outcome anyNodeRead(String sql, List<@Nullable Object> parameters) throws SQLException {
    SQLException first = null;
    for (NodeId node : cluster.ring().placement().nodes()) {
      try {
        Connection c = cluster.pools().connection(node);
        return NodeStatements.run(c, sql, parameters, false, c);
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw e;
        }
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "no node is reachable", first);
  }

  /**
   * VACUUM, ANALYZE and CHECKPOINT look after each node's own storage: they run on every node that
   * is reachable (one that is not has nothing to tidy now), outside any transaction.
   */
  private Outcome maintenance(String sql) throws SQLException {
    if (transaction != null) {
      String command = sql.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
      if (command.startsWith("VACUUM")) {
        throw ZynamoErrors.create(
            ZynamoSqlState.ACTIVE_SQL_TRANSACTION, "VACUUM cannot run inside a transaction block");
      }
      throw ZynamoErrors.notSupportedYet(
          command
              + " inside a transaction (it runs on every node on its own); run it after COMMIT");
    }
    for (NodeId node : cluster.ring().nodes()) {
      try (Connection c = cluster.pools().connection(node);
          java.sql.Statement s = c.createStatement()) {
        StatementCancel.execute(s, sql);
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
      }
    }
    return new Outcome.Count(-1, null);
  }

  /** Whether a text may call a sequence function: a cheap test before looking closer. */
  private static final Pattern SEQUENCE_CALL =
      Pattern.compile("(?:next|curr|last|set)val\"?\\s*\\(", Pattern.CASE_INSENSITIVE);

  /**
   * The statement with the values of its sequence calls, and of the sequence columns an INSERT
   * leaves to their defaults, filled in from cluster-unique sequences; null when it has none.
   */
  private SqlFrontend.@Nullable Piece fillSequences(
      SqlFrontend text, ParsedStatement parsed, String sql, List<@Nullable Object> parameters)
      throws SQLException {
    if (parsed.isMultiStatement()) {
      return null;
    }
    TableDistribution target = null;
    if (parsed.kind() == StatementKind.INSERT && parsed.target() != null) {
      target = catalog().find(parsed.target()).orElse(null);
      if (target == null) {
        catalog = null; // perhaps created by another instance: look again
        target = catalog().find(parsed.target()).orElse(null);
      }
    }
    String named = target == null ? null : withColumnList(parsed, sql, target);
    if (named != null) {
      sql = named;
      parsed = text.parse(sql);
    }
    SqlFrontend.Piece unchanged = named == null ? null : new SqlFrontend.Piece(sql, parameters);
    List<SequenceColumn> columns = target == null ? List.of() : target.sequenceColumns();
    if (columns.isEmpty()
        && (!SqlText.containsIgnoringCase(sql, "val") || !SEQUENCE_CALL.matcher(sql).find())) {
      return unchanged;
    }
    SequenceEdits edits =
        text.sequenceEdits(sql, parsed, target == null ? List.of() : target.columns(), columns);
    if (edits.refusal().isPresent()) {
      throw ZynamoErrors.notSupportedYet(edits.refusal().get());
    }
    if (edits.isEmpty()) {
      return unchanged;
    }
    return edits.render(sequences.values(edits.values()), parameters);
  }

  /**
   * A positional {@code INSERT ... VALUES} into a distributed table with its column list written
   * out, so that each value lands in the user's column PostgreSQL's position rule means: a column
   * added after the table was distributed comes after the internal {@code zynamo_*} columns on the
   * nodes, where a positional value would otherwise go into {@code zynamo_bucket} and be lost. An
   * {@code INSERT ... SELECT} gets every user column (a query giving fewer then fails with 42601
   * where PostgreSQL would fill the rest with defaults: name the columns). Null when the statement
   * names its columns, or is {@code DEFAULT VALUES}.
   */
  private static @Nullable String withColumnList(
      ParsedStatement parsed, String sql, TableDistribution table) throws SQLException {
    InsertRows insert = parsed.insert();
    if (insert == null
        || !insert.columns().isEmpty()
        || insert.layout() == null
        || insert.layout().defaultValues() != null) {
      return null;
    }
    int width = insert.rows().isEmpty() ? table.columns().size() : insert.rows().get(0).size();
    if (width > table.columns().size()) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SYNTAX_ERROR, "INSERT has more expressions than target columns");
    }
    return insert.layout().withColumns(sql, table.columns().subList(0, width));
  }

  /** ALTER TABLE ... ADD [COLUMN] with a sequence (serial, identity, DEFAULT nextval). */
  private static final Pattern ADDS_SEQUENCE_COLUMN =
      Pattern.compile(
          "\\bADD\\b.*(?:\\b(?:small|big)?serial[248]?\\b|\\bIDENTITY\\b|\\bnextval\\s*\\()",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * A column added with a sequence default fills the existing rows on each node from that node's
   * own sequence, so replicas of a row would get different values: refused while the table holds
   * rows (on an empty table the column only gets cluster-unique values from then on).
   */
  private void refuseSequenceColumnOverRows(ParsedStatement parsed, String sql)
      throws SQLException {
    ObjectName table = parsed.target();
    if (parsed.kind() != StatementKind.ALTER_TABLE
        || table == null
        || !ADDS_SEQUENCE_COLUMN.matcher(sql).find()
        || catalog().find(table).isEmpty()) {
      return;
    }
    for (NodeId node : cluster.ring().nodes()) {
      try (Connection c = cluster.pools().connection(node);
          java.sql.Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT FROM " + table + ")")) {
        if (rs.next() && rs.getBoolean(1)) {
          throw ZynamoErrors.notSupportedYet(
              "adding a column with a sequence default to "
                  + table
                  + ", which holds rows (each node would number its own copies); add the column"
                  + " to an empty table, or without the default");
        }
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw e;
        }
        // The DDL itself needs every node and reports the unreachable one.
      }
    }
  }

  /** DDL runs on every node in transactions of its own: not inside the session's transaction. */
  private void refuseInTransaction(String what) throws SQLException {
    if (transaction != null) {
      throw ZynamoErrors.notSupportedYet(
          what
              + " inside a transaction (it changes every node in transactions of its own); run"
              + " it outside BEGIN ... COMMIT");
    }
  }

  /**
   * A batch of INSERT/UPDATE/DELETE statements each routed to one bucket (or writing a reference
   * table) runs as one multi-piece write: every statement runs before any commits, statements whose
   * coordinator is the same node share its transaction, and an error anywhere rolls all of them
   * back, as pgjdbc's implicit batch transaction does. A PreparedStatement's batch is parsed once.
   */
  @Override
  public Optional<long[]> executeBatch(List<BatchStatement> statements) throws SQLException {
    cluster.ensureFreshRing();
    return cancellable(() -> batch(statements));
  }

  private Optional<long[]> batch(List<BatchStatement> statements) throws SQLException {
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
      ParsedStatement routed = requireNonNull(parsed);
      List<@Nullable Object> values = statement.parameters();
      SqlFrontend text = frontendFor(values);
      SqlFrontend.Piece filled = fillSequences(text, routed, sql, values);
      if (filled != null) {
        sql = filled.sql();
        values = filled.parameters();
        routed = text.parse(sql);
      }
      RoutePlan plan = route(routed, values);
      if (plan instanceof RoutePlan.SingleBucket single) {
        List<NodeId> replicas = cluster.ring().placement().replicas(single.bucket());
        pieces.add(
            new KeyWriter.Piece(
                single.bucket(),
                replicas,
                sql,
                values,
                cluster.ring().extraReplicas(single.bucket())));
      } else if (plan instanceof RoutePlan.AllNodes all && all.write() != null) {
        List<NodeId> nodes = cluster.ring().placement().nodes();
        pieces.add(new KeyWriter.Piece(new BucketId(0), nodes, sql, values, cluster.joining()));
      } else {
        return Optional.empty();
      }
    }
    ClusterTransaction<B> tx = transaction;
    if (tx == null) {
      return Optional.of(writer.counts(pieces, writeQuorum));
    }
    if (tx.failed()) {
      throw abortedTransaction();
    }
    long[] counts = new long[pieces.size()];
    try {
      for (int i = 0; i < counts.length; i++) {
        if (tx.write(List.of(pieces.get(i)), false, writeQuorum) instanceof Outcome.Count c) {
          counts[i] = Math.max(0, c.count());
        }
      }
    } catch (SQLException | RuntimeException e) {
      tx.fail();
      throw e;
    }
    return Optional.of(counts);
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
   * The distributed table an ALTER TABLE or CREATE UNIQUE INDEX changes, whose distribution is then
   * checked and refreshed again (a sharded table's unique indexes must still include the shard key,
   * and the capture trigger must know the table's json columns); null for any other DDL.
   */
  private @Nullable TableDistribution alteredTarget(ParsedStatement parsed) throws SQLException {
    boolean checked =
        parsed.kind() == StatementKind.ALTER_TABLE
            || (parsed.kind() == StatementKind.CREATE_INDEX && parsed.has(Trait.UNIQUE));
    ObjectName target = parsed.target();
    if (!checked || target == null) {
      return null;
    }
    return catalog().find(target).orElse(null);
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
    TableCatalog current = catalog();
    int bits = cluster.ring().bucketBits();
    Router known = router;
    if (known != null && known.routesWith(current, bits)) {
      return known;
    }
    Router fresh = new Router(current, new KeyHasher(bits));
    router = fresh;
    return fresh;
  }

  /** This session's table catalog, loaded on first use and after DDL. */
  private TableCatalog catalog() throws SQLException {
    TableCatalog current = catalog;
    if (current == null) {
      current = loadCatalog();
      catalog = current;
    }
    return current;
  }

  /**
   * The table catalog from the first node that answers: a node that fails with a connection error
   * (e.g. a pooled connection its server closed) hands over to the next, as the read is harmless.
   */
  private TableCatalog loadCatalog() throws SQLException {
    return cluster.readAnyNode(loader::load);
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
    return anyNodeRead("SELECT ''::void AS " + function, List.of());
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

  /**
   * Whether {@code sql} may be one of the statements the session answers itself ({@link
   * #answerHere}): those start with SET, RESET or SHOW, or name the {@code zynamo} schema.
   */
  private static boolean mayBeAnsweredHere(String sql) {
    return SqlText.firstWordIn(sql, SESSION_WORDS) || SqlText.containsIgnoringCase(sql, "zynamo");
  }

  private static final Set<String> SESSION_WORDS = Set.of("SET", "RESET", "SHOW");

  /**
   * The answer to a statement the session handles itself (calls of zynamo functions, statement
   * timeout and quorum settings); null for any other.
   */
  private @Nullable Outcome answerHere(String sql) throws SQLException {
    if (RECOVER_CALL.matcher(sql).matches()) {
      TwoPhaseRecovery.Result r = cluster.recover();
      return anyNodeRead(
          "SELECT "
              + r.committed()
              + " AS committed, "
              + r.rolledBack()
              + " AS rolled_back, "
              + r.inDoubt()
              + " AS in_doubt",
          List.of());
    }
    if (HANDOFF_CALL.matcher(sql).matches()) {
      HintedHandoff.Result h = cluster.hintedHandoff().run();
      return anyNodeRead(
          "SELECT "
              + h.handedOff()
              + "::bigint AS handed_off, "
              + h.remaining()
              + "::bigint AS remaining",
          List.of());
    }
    Optional<MoveCall> move = MoveCall.parse(sql);
    if (move.isPresent()) {
      refuseInTransaction("zynamo." + move.get().function());
      return anyNodeRead(moveAnswer(move.get()), List.of());
    }
    Optional<RepairScope> repair = RepairCall.parse(sql, frontend, cluster.ring().nodes());
    if (repair.isPresent()) {
      refuseInTransaction("zynamo.repair");
      RepairReport r =
          new AntiEntropy<>(cluster, images, java.time.Clock.systemUTC(), tombstoneGrace)
              .run(repair.get(), true);
      return anyNodeRead(RepairCall.answer(r), List.of());
    }
    Optional<Duration> timeout = StatementTimeout.setting(sql);
    if (timeout.isPresent()) {
      statementTimeout = timeout.get();
      return new Outcome.Count(-1, null);
    }
    if (StatementTimeout.isShow(sql)) {
      return anyNodeRead(
          "SELECT '" + StatementTimeout.show(statementTimeout) + "'::text AS statement_timeout",
          List.of());
    }
    Matcher setting = QUORUM_SETTING.matcher(sql);
    if (setting.matches()) {
      return setQuorum(setting.group(1).toLowerCase(Locale.ROOT), setting.group(2));
    }
    Matcher distribution = DISTRIBUTION_CALL.matcher(sql);
    if (distribution.matches()) {
      refuseInTransaction("zynamo.distribute and zynamo.reference");
      return distribute(
          distribution.group(1).toLowerCase(Locale.ROOT),
          distribution.group(2).replace("''", "'"),
          distribution.group(3) == null ? null : distribution.group(3).replace("''", "'"));
    }
    return null;
  }

  /** Runs a membership call; the query answering it. */
  private String moveAnswer(MoveCall call) throws SQLException {
    BucketMover<?> mover = cluster.mover();
    if (call.function().equals("pause_move")) {
      return "SELECT " + mover.pause() + " AS paused";
    }
    if (call.function().equals("resume_move")) {
      mover.unpause();
      return "SELECT true AS resumed";
    }
    NodeId node = call.nodeIn(NodeAddress.of(cluster.ring().nodes().get(0)).database());
    BucketMover.Started started =
        call.function().equals("add_node")
            ? mover.add(node, call.host(node), call.weight())
            : mover.remove(node, call.force());
    return "SELECT '"
        + started.node().value().replace("'", "''")
        + "'::text AS node, "
        + started.epoch()
        + "::bigint AS epoch, "
        + started.buckets()
        + " AS buckets_moving, "
        + started.copies()
        + " AS copies, "
        + started.minimum()
        + " AS minimum_copies";
  }

  /** A connection to the first node, in ring order, that accepts one. */
  private Connection firstReachable() throws SQLException {
    return cluster.anyConnection();
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
    ClusterTransaction<B> tx = transaction;
    transaction = null;
    CloseAll.close(tx, metadataConnection);
    metadataConnection = null;
  }
}
