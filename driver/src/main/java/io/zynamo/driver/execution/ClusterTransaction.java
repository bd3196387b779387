package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.result.ConcatenatedResults;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A session's open transaction (BEGIN ... COMMIT): one PostgreSQL transaction on each node it
 * touches (its participants), kept open across statements.
 *
 * <p><b>Where statements run.</b> Every statement on a bucket runs on the bucket's <em>home</em>
 * for this transaction: the first replica in the bucket's preference list that accepts a connection
 * (a participant counts as accepting), the node every other session writes the bucket through too.
 * So row locks (UPDATE, SELECT ... FOR UPDATE) serialize concurrent transactions as on one
 * PostgreSQL, and the transaction reads its own writes. Each write is stamped with a fresh version
 * and its row images are kept.
 *
 * <p><b>Commit.</b> The kept images are applied on the buckets' other replicas, inside their
 * participants' transactions (W replicas per bucket, the home counting as one; an unreachable
 * replica is skipped, and its images wait as hints in the home's transaction, handed off once it is
 * back, as for a single statement). Then a transaction that wrote on one node commits there; one
 * that wrote on several commits with two-phase commit: the decision row goes into the first
 * writer's transaction (the decision node), every other writer prepares, the decision node commits
 * (the commit point), and the prepared ones commit. A coordinator dying after the first PREPARE
 * leaves the rest to {@link TwoPhaseRecovery}.
 *
 * <p><b>Savepoints</b> are set on every participant, and replayed on each node that joins later;
 * rolling back to one also forgets the images kept since.
 */
final class ClusterTransaction<B> implements KeyAccess, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ClusterTransaction.class.getName());

  private final Cluster cluster;
  private final RowImages<B> images;
  private final Runnable recoverSoon;

  /** {@code SET TRANSACTION} characteristics for every participant, e.g. "ISOLATION LEVEL ...". */
  private String characteristics;

  private final Map<NodeId, Participant> participants = new LinkedHashMap<>();
  private final Map<List<NodeId>, NodeId> homes = new HashMap<>();
  private final List<Written<B>> written = new ArrayList<>();
  private final List<Mark> savepoints = new ArrayList<>();

  /** SAVEPOINT and SET LOCAL statements so far, in order: replayed on each node that joins. */
  private final List<String> replay = new ArrayList<>();

  private boolean failed;

  /** Whether a statement ran on every node ({@link #onEveryNode}): it changed tables there. */
  private boolean changedEverywhere;

  /** Buckets whose rows the transaction read or wrote: it may hold locks on their rows. */
  private final Set<BucketId> touched = new HashSet<>();

  ClusterTransaction(
      Cluster cluster, RowImages<B> images, String characteristics, Runnable recoverSoon) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.images = requireNonNull(images, "images");
    this.characteristics = requireNonNull(characteristics, "characteristics");
    this.recoverSoon = requireNonNull(recoverSoon, "recoverSoon");
  }

  /** A node taking part: its connection holds this transaction open. */
  private static final class Participant {
    final NodeId node;
    final Connection connection;

    /** Whether the transaction changed anything on the node (it then takes part in the commit). */
    boolean wrote;

    Participant(NodeId node, Connection connection) {
      this.node = node;
      this.connection = connection;
    }
  }

  /** A write that ran: its home, its bucket's replicas and the row images it produced. */
  private record Written<B>(KeyWriter.Piece piece, NodeId home, B batch) {}

  /** A savepoint, how many writes preceded it and its place in {@link #replay}. */
  private record Mark(String name, int written, int replayed) {}

  boolean failed() {
    return failed;
  }

  /** After an error: only ROLLBACK (or ROLLBACK TO a savepoint) is accepted until then. */
  void fail() {
    failed = true;
  }

  /** Whether any node has been asked anything yet (SET TRANSACTION must come before). */
  boolean started() {
    return !participants.isEmpty();
  }

  /** Whether the transaction wrote anything. */
  boolean wrote() {
    return !written.isEmpty() || changedEverywhere;
  }

  /**
   * Whether a write by key into {@code bucket} may first bring the bucket's replicas up to date
   * ({@link KeyReader#freshen}: digests and read repair on connections of their own, outside this
   * transaction), as a write outside a transaction does. Only while nothing of the transaction can
   * make those wait for it, or hide their result from it: it has not read or written the bucket's
   * rows yet (no row lock of its own in the way), ran nothing on every node (a TRUNCATE's table
   * lock), and its statements take a new snapshot each (READ COMMITTED) or none has run yet.
   */
  boolean mayFreshen(BucketId bucket) {
    String isolation = characteristics.toUpperCase(java.util.Locale.ROOT);
    boolean newSnapshots = !isolation.contains("REPEATABLE") && !isolation.contains("SERIALIZABLE");
    return !changedEverywhere
        && !touched.contains(bucket)
        && (newSnapshots || participants.isEmpty());
  }

  void characteristics(String characteristics) {
    this.characteristics = requireNonNull(characteristics, "characteristics");
  }

  @Override
  public Outcome write(List<KeyWriter.Piece> pieces, boolean generatedKeys, int writeQuorum)
      throws SQLException {
    List<Outcome> outcomes = new ArrayList<>(pieces.size());
    try {
      for (KeyWriter.Piece piece : pieces) {
        outcomes.add(write(piece, generatedKeys));
      }
    } catch (SQLException | RuntimeException e) {
      outcomes.forEach(o -> CloseAll.closeAfter(e, () -> Outcomes.close(o)));
      throw e;
    }
    return Outcomes.combine(outcomes);
  }

  private Outcome write(KeyWriter.Piece given, boolean generatedKeys) throws SQLException {
    KeyWriter.Piece piece =
        new KeyWriter.Piece(
            given.bucket(), canonical(given), given.sql(), given.parameters(), given.extras());
    Participant home = home(piece.replicas(), piece.bucket(), "write");
    touched.add(piece.bucket());
    List<B> batch = new ArrayList<>(1);
    Outcome outcome;
    try {
      images.stamp(
          home.connection, piece.bucket(), cluster.clock().now(), home.node, piece.replicated());
      home.wrote = true;
      outcome =
          NodeStatements.run(
              home.connection,
              piece.sql(),
              piece.parameters(),
              generatedKeys,
              () -> batch.add(images.drain(home.connection)),
              () -> {});
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(home.node, e);
    }
    written.add(new Written<>(piece, home.node, batch.get(0)));
    return outcome;
  }

  /**
   * A cluster-wide read reads committed rows outside this transaction: exact only while the
   * transaction has written nothing.
   */
  @Override
  public void checkCoverage() throws SQLException {
    if (wrote()) {
      throw ZynamoErrors.notSupportedYet(
          "a cluster-wide query (no single shard key) inside a transaction after it wrote: it"
              + " would not see the transaction's own writes; run it before the first write or"
              + " after COMMIT");
    }
  }

  @Override
  public Outcome read(
      RoutePlan.SingleBucket route, String sql, List<@Nullable Object> parameters, int readQuorum)
      throws SQLException {
    Participant home =
        home(cluster.ring().placement().replicas(route.bucket()), route.bucket(), "read");
    touched.add(route.bucket());
    return runOn(home, sql, parameters);
  }

  @Override
  public Outcome read(RoutePlan.MultiBucket plan, KeyReader.Cutter cutter, int readQuorum)
      throws SQLException {
    Map<NodeId, List<Integer>> byHome = new LinkedHashMap<>();
    for (RoutePlan.Part part : plan.parts()) {
      Participant home =
          home(cluster.ring().placement().replicas(part.bucket()), part.bucket(), "read");
      touched.add(part.bucket());
      byHome.computeIfAbsent(home.node, n -> new ArrayList<>()).addAll(part.items());
    }
    List<ResultSet> results = new ArrayList<>();
    try {
      for (Map.Entry<NodeId, List<Integer>> group : byHome.entrySet()) {
        List<Integer> items = new ArrayList<>(group.getValue());
        Collections.sort(items);
        SqlFrontend.Piece piece = cutter.cut(items);
        Outcome o = runOn(participants.get(group.getKey()), piece.sql(), piece.parameters());
        if (!(o instanceof Outcome.Rows rows)) {
          throw new IllegalStateException("a query piece gave no rows: " + o);
        }
        results.add(rows.rows());
      }
    } catch (SQLException | RuntimeException e) {
      CloseAll.closeAfter(e, results.toArray(new AutoCloseable[0]));
      throw e;
    }
    return new Outcome.Rows(ConcatenatedResults.of(results));
  }

  private static Outcome runOn(Participant p, String sql, List<@Nullable Object> parameters)
      throws SQLException {
    try {
      return NodeStatements.run(p.connection, sql, parameters, false, () -> {});
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(p.node, e);
    }
  }

  /**
   * A piece's replicas in the bucket's preference order when they are the bucket's replicas (a
   * statement over every bucket lists its coverage node first; inside a transaction the bucket's
   * home decides), else as given (a reference table's nodes).
   */
  private List<NodeId> canonical(KeyWriter.Piece piece) {
    List<NodeId> replicas = cluster.ring().placement().replicas(piece.bucket());
    return new HashSet<>(replicas).equals(new HashSet<>(piece.replicas()))
        ? replicas
        : piece.replicas();
  }

  /** The home of a preference list in this transaction, joining it on first use. */
  private Participant home(List<NodeId> replicas, BucketId bucket, String operation)
      throws SQLException {
    NodeId known = homes.get(replicas);
    if (known != null) {
      return participants.get(known);
    }
    List<SQLException> failures = new ArrayList<>();
    for (NodeId node : replicas) {
      try {
        Participant p = join(node);
        homes.put(replicas, node);
        return p;
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        failures.add(e);
      }
    }
    throw ZynamoErrors.quorumNotMet(
        bucket, operation, replicas, List.of(), 1, Map.of(), failures.get(0));
  }

  /**
   * The node's participant, opening its transaction on first use: the transaction's characteristics
   * and every savepoint set so far come first, so that ROLLBACK TO a savepoint set before the node
   * joined undoes all the node did.
   */
  private Participant join(NodeId node) throws SQLException {
    Participant existing = participants.get(node);
    if (existing != null) {
      return existing;
    }
    Connection c = cluster.pools().connection(node);
    try {
      c.setAutoCommit(false);
      StringBuilder first = new StringBuilder();
      if (!characteristics.isEmpty()) {
        first.append("SET TRANSACTION ").append(characteristics).append(';');
      }
      for (String statement : replay) {
        first.append(statement).append(';');
      }
      if (first.length() > 0) {
        try (Statement s = c.createStatement()) {
          s.execute(first.toString());
        }
      }
    } catch (SQLException | RuntimeException e) {
      CloseAll.closeAfter(e, c);
      throw e;
    }
    Participant p = new Participant(node, c);
    participants.put(node, p);
    return p;
  }

  /**
   * A statement every node must run inside this transaction (TRUNCATE): every node of the ring
   * joins, so every node takes part in the commit; an unreachable node fails it.
   */
  void onEveryNode(String sql) throws SQLException {
    for (NodeId node : cluster.ring().nodes()) {
      Participant p;
      try {
        p = join(node);
      } catch (SQLException e) {
        throw ZynamoErrors.fromNode(node, e);
      }
      try (Statement s = p.connection.createStatement()) {
        // TRUNCATE may wait for a lock: a cancel stops it, as in PostgreSQL
        StatementCancel.execute(s, sql);
      } catch (SQLException e) {
        throw ZynamoErrors.fromNode(node, e);
      }
      p.wrote = true;
      changedEverywhere = true;
    }
  }

  /** SAVEPOINT name, on every participant. {@code name} is a quoted or plain SQL identifier. */
  void savepoint(String name) throws SQLException {
    onEveryParticipant("SAVEPOINT " + name);
    savepoints.add(new Mark(name, written.size(), replay.size()));
    replay.add("SAVEPOINT " + name);
  }

  /**
   * {@code SET LOCAL name = value} (e.g. lock_timeout, statement_timeout): on every participant,
   * and on each node that joins later; it ends with the transaction.
   */
  void setLocal(String sql) throws SQLException {
    onEveryParticipant(sql);
    replay.add(sql);
  }

  /**
   * ROLLBACK TO SAVEPOINT name: undone on every participant, with the images kept since; the
   * savepoint stays, and the transaction is usable again.
   */
  void rollbackTo(String name) throws SQLException {
    int at = find(name);
    onEveryParticipant("ROLLBACK TO SAVEPOINT " + name);
    Mark mark = savepoints.get(at);
    savepoints.subList(at + 1, savepoints.size()).clear();
    written.subList(mark.written(), written.size()).clear();
    replay.subList(mark.replayed() + 1, replay.size()).clear();
    failed = false;
  }

  /** RELEASE SAVEPOINT name: it and every later savepoint are gone. */
  void release(String name) throws SQLException {
    int at = find(name);
    onEveryParticipant("RELEASE SAVEPOINT " + name);
    savepoints.subList(at, savepoints.size()).clear();
  }

  private int find(String name) throws SQLException {
    for (int i = savepoints.size() - 1; i >= 0; i--) {
      if (savepoints.get(i).name().equals(name)) {
        return i;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.INVALID_SAVEPOINT_SPECIFICATION,
        "savepoint \"" + unquoted(name) + "\" does not exist");
  }

  private static String unquoted(String name) {
    return name.startsWith("\"")
        ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
        : name;
  }

  private void onEveryParticipant(String sql) throws SQLException {
    for (Participant p : participants.values()) {
      execute(p, sql);
    }
  }

  /**
   * Commits: replicates the kept images, then commits on one node or with two-phase commit. Any
   * failure before the commit point rolls back everywhere and is thrown; after it, the transaction
   * has committed and what is left (COMMIT PREPARED on a node that broke) is recovery's.
   */
  void commit(int writeQuorum) throws SQLException {
    try {
      replicate(writeQuorum);
      List<Participant> writers = new ArrayList<>();
      List<Participant> readers = new ArrayList<>();
      for (Participant p : participants.values()) {
        (p.wrote ? writers : readers).add(p);
      }
      if (writers.size() == 1) {
        commitPlainly(writers.get(0));
      } else if (writers.size() > 1) {
        twoPhase(writers);
      }
      // Read-only nodes last: their locks (FOR UPDATE) hold until the writes are committed.
      for (Participant p : readers) {
        try {
          p.connection.commit();
        } catch (SQLException e) {
          LOG.log(System.Logger.Level.DEBUG, "ending the read-only part on {0}: {1}", p.node, e);
        }
      }
    } finally {
      close();
    }
  }

  private static void commitPlainly(Participant p) throws SQLException {
    try {
      p.connection.commit();
    } catch (SQLException e) {
      if (NodeFailures.isUnreachable(e)) {
        throw TwoPhaseRecovery.unknownOutcome(p.node, e);
      }
      throw ZynamoErrors.fromNode(p.node, e);
    }
  }

  /**
   * Applies the kept images on every other replica of their buckets, one batch per node, inside the
   * participants' transactions; fails unless each write reaches W replicas.
   */
  private void replicate(int writeQuorum) throws SQLException {
    // Nodes in one global order: applies take stripe locks, and two committing transactions must
    // not each wait for the other on a different node.
    Map<NodeId, List<Written<B>>> byTarget = new java.util.TreeMap<>();
    for (Written<B> w : written) {
      if (images.isEmpty(w.batch())) {
        continue;
      }
      for (NodeId replica : w.piece().replicas()) {
        if (!replica.equals(w.home())) {
          byTarget.computeIfAbsent(replica, r -> new ArrayList<>()).add(w);
        }
      }
      for (NodeId extra : w.piece().extras()) {
        if (!extra.equals(w.home())) {
          byTarget.computeIfAbsent(extra, r -> new ArrayList<>()).add(w);
        }
      }
    }
    java.util.IdentityHashMap<Written<B>, Integer> acknowledged = new java.util.IdentityHashMap<>();
    Map<NodeId, SQLException> failures = new LinkedHashMap<>();
    for (Map.Entry<NodeId, List<Written<B>>> target : byTarget.entrySet()) {
      NodeId node = target.getKey();
      boolean joined = participants.containsKey(node);
      try {
        Participant p = join(node);
        images.apply(
            p.connection, images.concat(target.getValue().stream().map(Written::batch).toList()));
        p.wrote = true;
        // A moving bucket's new replica takes the images but does not count towards W.
        target.getValue().stream()
            .filter(w -> w.piece().replicas().contains(node))
            .forEach(w -> acknowledged.merge(w, 1, Integer::sum));
      } catch (SQLException e) {
        if (joined || !NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        Participant broken = participants.remove(node);
        if (broken != null) {
          CloseAll.closeAfter(e, broken.connection);
        }
        failures.put(node, e);
        // The images wait as hints in the home's transaction: they commit with the writes.
        for (Written<B> w : target.getValue()) {
          Participant home = participants.get(w.home());
          if (home != null) {
            images.hint(home.connection, node, w.batch());
          }
        }
      }
    }
    for (Written<B> w : written) {
      int needed = Math.min(writeQuorum, w.piece().replicas().size()) - 1;
      if (!images.isEmpty(w.batch()) && acknowledged.getOrDefault(w, 0) < needed) {
        throw ZynamoErrors.quorumNotMet(
            w.piece().bucket(),
            "write",
            w.piece().replicas(),
            List.of(),
            writeQuorum,
            Map.of(),
            failures.values().stream().findFirst().orElse(null));
      }
    }
  }

  /**
   * Two-phase commit over the writers (see the class comment). The decision row is written before
   * any PREPARE, so a prepared participant always has a decision to wait for.
   */
  private void twoPhase(List<Participant> writers) throws SQLException {
    UUID txid = UUID.randomUUID();
    Participant decision = writers.get(0);
    String gid = TwoPhaseRecovery.gid(txid, decision.node);
    List<Participant> prepared = new ArrayList<>();
    try {
      execute(
          decision,
          "INSERT INTO zynamo.decisions (txid, outcome) VALUES ('" + txid + "', 'commit')");
      for (Participant p : writers.subList(1, writers.size())) {
        execute(p, "PREPARE TRANSACTION " + TwoPhaseRecovery.literal(gid));
        prepared.add(p);
        p.connection.setAutoCommit(true); // no longer in a transaction; COMMIT PREPARED is not
      }
    } catch (SQLException | RuntimeException e) {
      rollbackPrepared(prepared, gid, e);
      throw e;
    }
    try {
      decision.connection.commit();
    } catch (SQLException e) {
      if (NodeFailures.isUnreachable(e)) {
        recoverSoon.run();
        throw TwoPhaseRecovery.unknownOutcome(decision.node, e);
      }
      rollbackPrepared(prepared, gid, e); // the decision did not commit: nothing did
      throw ZynamoErrors.fromNode(decision.node, e);
    }
    for (Participant p : prepared) {
      try (Statement s = p.connection.createStatement()) {
        s.execute("COMMIT PREPARED " + TwoPhaseRecovery.literal(gid));
      } catch (SQLException e) {
        if (!"42704".equals(e.getSQLState())) {
          // Committed (the decision is); recovery commits this participant when it can.
          LOG.log(
              System.Logger.Level.WARNING,
              "COMMIT PREPARED {0} on {1} failed; left to recovery: {2}",
              gid,
              p.node,
              e.getMessage());
          recoverSoon.run();
        }
      }
    }
  }

  private static void execute(Participant p, String sql) throws SQLException {
    try (Statement s = p.connection.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(p.node, e);
    }
  }

  /** Rolls back the participants already prepared; a failure there is recovery's (no decision). */
  private void rollbackPrepared(List<Participant> prepared, String gid, Exception failure) {
    for (Participant p : prepared) {
      try (Statement s = p.connection.createStatement()) {
        s.execute("ROLLBACK PREPARED " + TwoPhaseRecovery.literal(gid));
      } catch (SQLException e) {
        failure.addSuppressed(e);
        recoverSoon.run();
      }
    }
  }

  /** Rolls back on every participant and returns their connections. */
  void rollback() throws SQLException {
    close();
  }

  /**
   * Returns every participant's connection, rolling back first whatever is still open (after a
   * commit, nothing is). Closing twice does nothing.
   */
  @Override
  public void close() throws SQLException {
    List<AutoCloseable> steps = new ArrayList<>();
    for (Participant p : participants.values()) {
      steps.add(
          () -> {
            if (!p.connection.getAutoCommit()) {
              p.connection.rollback();
            }
          });
      steps.add(p.connection);
    }
    participants.clear();
    homes.clear();
    written.clear();
    savepoints.clear();
    replay.clear();
    CloseAll.close(steps.toArray(new AutoCloseable[0]));
  }
}
