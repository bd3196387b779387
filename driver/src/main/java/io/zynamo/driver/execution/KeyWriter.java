package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Executes a write routed by key (ADR 0001): each bucket's piece runs once, on its coordinator (the
 * first replica in the preference list that accepts a connection), in a transaction that also
 * stamps the rows and captures their images; then the images go to the bucket's other replicas, and
 * the write is acknowledged once W replicas (the coordinator counting as one) have it, or, when
 * fewer than W replicas are reachable, W nodes counting stand-ins that keep the images as hints for
 * the missing replicas (sloppy quorum, {@link StandIns}).
 *
 * <p>A statement cut into several buckets' pieces runs every piece before committing any: pieces
 * with the same coordinator share one transaction (so they cannot wait on each other's locks), and
 * an error in any piece rolls back all of them. Only a coordinator failing between the first and
 * the last commit leaves some pieces committed (atomic commit is two-phase, with transactions).
 */
final class KeyWriter<B> {

  private static final System.Logger LOG = System.getLogger(KeyWriter.class.getName());

  private final Cluster cluster;
  private final RowImages<B> images;

  /** Whether stand-ins may make up a write's quorum. */
  private final boolean sloppy;

  KeyWriter(Cluster cluster, RowImages<B> images, boolean sloppy) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.images = requireNonNull(images, "images");
    this.sloppy = sloppy;
  }

  /**
   * One bucket's piece of a write.
   *
   * @param bucket the routed bucket (stamped on the rows; for a reference table, any label)
   * @param replicas the bucket's preference list, or every node for a reference table
   * @param extras nodes the images also go to, not counting towards W: a bucket's new replicas
   *     while it moves ({@link io.zynamo.ring.RingState#extraReplicas}), or the nodes joining the
   *     ring for a reference table
   */
  record Piece(
      BucketId bucket,
      List<NodeId> replicas,
      String sql,
      List<@Nullable Object> parameters,
      List<NodeId> extras) {
    Piece {
      requireNonNull(bucket, "bucket");
      replicas = List.copyOf(replicas);
      requireNonNull(sql, "sql");
      extras = List.copyOf(extras);
    }

    /**
     * Whether the piece's row images go anywhere: to another replica or to a new one. A bucket
     * whose only replica is its coordinator (N = 1, no move under way) needs none captured.
     */
    boolean replicated() {
      return replicas.size() > 1 || !extras.isEmpty();
    }

    /** A piece with no extra nodes (no move under way). */
    Piece(BucketId bucket, List<NodeId> replicas, String sql, List<@Nullable Object> parameters) {
      this(bucket, replicas, sql, parameters, List.of());
    }
  }

  /** Writes one bucket's statement through the first reachable replica. */
  Outcome write(
      BucketId bucket,
      List<NodeId> replicas,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys,
      int writeQuorum)
      throws SQLException {
    return write(List.of(new Piece(bucket, replicas, sql, parameters)), generatedKeys, writeQuorum);
  }

  /** Writes every piece, commits them together, then replicates each to its bucket. */
  Outcome write(List<Piece> pieces, boolean generatedKeys, int writeQuorum) throws SQLException {
    return Outcomes.combine(
        writeEach(pieces, generatedKeys, writeQuorum).stream().map(Executed::outcome).toList());
  }

  /** As {@link #write(List, boolean, int)}, with each piece's own update count. */
  long[] counts(List<Piece> pieces, int writeQuorum) throws SQLException {
    List<Executed<B>> executed = writeEach(pieces, false, writeQuorum);
    long[] counts = new long[executed.size()];
    for (int i = 0; i < counts.length; i++) {
      if (executed.get(i).outcome() instanceof Outcome.Count c) {
        counts[i] = Math.max(0, c.count());
      }
    }
    return counts;
  }

  private List<Executed<B>> writeEach(List<Piece> pieces, boolean generatedKeys, int writeQuorum)
      throws SQLException {
    Map<NodeId, Transaction> transactions = new LinkedHashMap<>();
    List<Executed<B>> executed = new ArrayList<>();
    try {
      // A write of one piece commits with its drain, in one round trip; several pieces commit
      // together once all of them ran.
      boolean alone = pieces.size() == 1;
      for (Piece piece : pieces) {
        Transaction tx = coordinator(piece, transactions, writeQuorum);
        executed.add(run(tx, piece, generatedKeys, alone));
      }
      for (Transaction tx : transactions.values()) {
        if (!tx.committed) {
          tx.commit();
        }
      }
    } catch (SQLException | RuntimeException e) {
      abandon(executed, transactions, writeQuorum, e);
      throw e;
    }
    CloseAll.close(transactions.values().toArray(new AutoCloseable[0]));
    replicateAll(executed, writeQuorum);
    return executed;
  }

  /**
   * Replicates the pieces' images; pieces with the same coordinator and the same other replicas
   * (e.g. a batch's rows in several buckets of the same nodes) go as one batch per replica.
   */
  private void replicateAll(List<Executed<B>> executed, int writeQuorum) throws SQLException {
    Map<Targets, List<Executed<B>>> groups = new LinkedHashMap<>();
    for (Executed<B> x : executed) {
      Targets key =
          new Targets(
              x.coordinator(),
              x.piece().replicas().stream()
                  .filter(n -> !n.equals(x.coordinator()))
                  .sorted()
                  .toList(),
              x.piece().extras().stream().sorted().toList());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(x);
    }
    for (List<Executed<B>> group : groups.values()) {
      Executed<B> first = group.get(0);
      B batch =
          group.size() == 1
              ? first.batch()
              : images.concat(group.stream().map(Executed::batch).toList());
      replicate(first.piece(), first.coordinator(), batch, writeQuorum);
    }
  }

  /**
   * Where a piece's images go: pieces with equal targets share one batch per node (a moving
   * bucket's new replicas are part of it, so buckets moving to different nodes never share).
   */
  private record Targets(NodeId coordinator, List<NodeId> others, List<NodeId> extras) {}

  /**
   * After a failure: closes the outcomes, rolls back what did not commit, and still replicates the
   * pieces that did commit (a coordinator failed between commits), so that no committed row stays
   * on one replica only. Failures on the way are suppressed into {@code failure}.
   */
  private void abandon(
      List<Executed<B>> executed,
      Map<NodeId, Transaction> transactions,
      int writeQuorum,
      Exception failure) {
    List<AutoCloseable> open = new ArrayList<>();
    executed.forEach(x -> open.add(x::close));
    open.addAll(transactions.values());
    CloseAll.closeAfter(failure, open.toArray(new AutoCloseable[0]));
    for (Executed<B> x : executed) {
      if (transactions.get(x.coordinator()).committed) {
        try {
          replicate(x.piece(), x.coordinator(), x.batch(), writeQuorum);
        } catch (SQLException e) {
          failure.addSuppressed(e);
        }
      }
    }
  }

  /**
   * Runs one piece in its coordinator's transaction, committing it with the drain of the images
   * when {@code commit}. Its outcome holds the connection until it is closed (RETURNING rows),
   * alongside the transaction.
   */
  private Executed<B> run(Transaction tx, Piece piece, boolean generatedKeys, boolean commit)
      throws SQLException {
    if (!piece.bucket().equals(tx.stamped)) {
      images.stamp(
          tx.connection, piece.bucket(), cluster.clock().now(), tx.node, piece.replicated());
      tx.stamped = piece.bucket();
    }
    List<B> batch = new ArrayList<>(1);
    tx.retain();
    Outcome outcome;
    try {
      outcome =
          NodeStatements.run(
              tx.connection,
              piece.sql(),
              piece.parameters(),
              generatedKeys,
              () -> {
                if (commit) {
                  batch.add(images.drainAndCommit(tx.connection));
                  tx.committed = true;
                } else {
                  batch.add(images.drain(tx.connection));
                }
              },
              tx::release);
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(tx.node, e);
    }
    return new Executed<>(piece, tx.node, outcome, batch.get(0));
  }

  private void replicate(Piece piece, NodeId coordinator, B batch, int quorum) throws SQLException {
    if (images.isEmpty(batch)) {
      return;
    }
    List<NodeId> others = new ArrayList<>(piece.replicas());
    others.remove(coordinator);
    int required = Math.max(0, quorum - 1);
    Set<NodeId> applied = ConcurrentHashMap.newKeySet();
    AtomicBoolean refused = new AtomicBoolean();
    try {
      replicateTo(piece, others, coordinator, batch, required, applied, refused);
    } finally {
      replicateToExtras(piece, coordinator, batch);
    }
  }

  /**
   * Sends the images to the moving bucket's new replicas (or joining nodes), one after another,
   * before the write is acknowledged; one that cannot take them gets them as a hint on the
   * coordinator (the move checks that none is left before it switches reads over).
   */
  private void replicateToExtras(Piece piece, NodeId coordinator, B batch) {
    for (NodeId extra : piece.extras()) {
      if (extra.equals(coordinator)) {
        continue;
      }
      try (Connection node = cluster.pools().connection(extra)) {
        images.apply(node, batch);
      } catch (SQLException e) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "bucket {0}: joining replica {1}: {2}",
            piece.bucket(),
            extra,
            e);
        hint(coordinator, extra, batch, e);
      }
    }
  }

  private void replicateTo(
      Piece piece,
      List<NodeId> others,
      NodeId coordinator,
      B batch,
      int required,
      Set<NodeId> applied,
      AtomicBoolean refused)
      throws SQLException {
    NodeTask<Long> apply =
        node -> {
          try (Connection replica = cluster.pools().connection(node)) {
            long changed = images.apply(replica, batch);
            applied.add(node);
            return changed;
          } catch (SQLException e) {
            if (NodeFailures.isUnreachable(e)) {
              hint(coordinator, node, batch, e);
            } else {
              refused.set(true);
            }
            throw e;
          }
        };
    ReplicaCalls calls = cluster.calls();
    try {
      // While a move is under way a step may change which replica a read asks first, so the write
      // waits for every replica, not only W: a read with R + W <= N still finds it afterwards.
      var unused =
          cluster.ring().moving() == null
              ? calls.write(piece.bucket(), others, required, apply)
              : calls.writeAndSettle(piece.bucket(), others, required, apply);
    } catch (SQLException e) {
      if (!sloppy
          || refused.get()
          || !ZynamoSqlState.QUORUM_NOT_MET.code().equals(e.getSQLState())) {
        throw e;
      }
      standIn(piece, others, Set.copyOf(applied), required, batch, e);
    }
  }

  /**
   * Sloppy quorum: fewer than W replicas took the write because the others are unreachable (or did
   * not answer in time), so stand-ins make up the difference, each keeping the images as a hint for
   * one of the missing replicas (on top of the coordinator's hint, which does not count: it is on a
   * node that has the write already). Without enough stand-ins the quorum's failure stands.
   */
  private void standIn(
      Piece piece,
      List<NodeId> others,
      Set<NodeId> applied,
      int required,
      B batch,
      SQLException notMet)
      throws SQLException {
    int missing = required - applied.size();
    List<NodeId> owners = others.stream().filter(n -> !applied.contains(n)).toList();
    StandIns standIns = cluster.standIns(piece.bucket(), piece.replicas());
    List<NodeId> holders = new ArrayList<>();
    for (NodeId standIn : standIns.nodes()) {
      if (holders.size() >= missing) {
        break;
      }
      NodeId owner = owners.get(holders.size() % owners.size());
      try (Connection holder = cluster.pools().connection(standIn)) {
        images.hint(holder, owner, batch);
        holders.add(standIn);
      } catch (SQLException e) {
        notMet.addSuppressed(e);
      }
    }
    if (holders.size() < missing) {
      throw notMet;
    }
    LOG.log(
        System.Logger.Level.DEBUG,
        "bucket {0}: {1} of {2} replicas took the write; hints on stand-ins {3} make up W",
        piece.bucket(),
        applied.size() + 1,
        piece.replicas().size(),
        holders);
  }

  /**
   * Leaves the images a replica could not take as hints on the write's coordinator, for {@link
   * HintedHandoff}; a failure to do so is kept with the replica's (repair still catches up).
   */
  private void hint(NodeId coordinator, NodeId replica, B batch, SQLException failure) {
    try (Connection holder = cluster.pools().connection(coordinator)) {
      images.hint(holder, replica, batch);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The piece's coordinator: the first of its replicas that has an open transaction of this write
   * or accepts a connection and the transaction's first round trip (begin and stamp). Until a piece
   * ran nothing was written for it, so an unreachable replica just hands over to the next.
   */
  private Transaction coordinator(Piece piece, Map<NodeId, Transaction> open, int quorum)
      throws SQLException {
    List<SQLException> failures = new ArrayList<>();
    for (NodeId node : piece.replicas()) {
      Transaction existing = open.get(node);
      if (existing != null) {
        return existing;
      }
      Connection c = null;
      try {
        c = cluster.pools().connection(node);
        c.setAutoCommit(false);
        // The first round trip, stamping for this piece, also proves the connection alive.
        images.stamp(c, piece.bucket(), cluster.clock().now(), node, piece.replicated());
        Transaction tx = new Transaction(node, c);
        tx.stamped = piece.bucket();
        open.put(node, tx);
        return tx;
      } catch (SQLException e) {
        if (c != null) {
          CloseAll.close(c);
        }
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        failures.add(e);
      }
      if (piece.replicas().size() - failures.size() + standIns(piece) < quorum) {
        break;
      }
    }
    throw ZynamoErrors.quorumNotMet(
        piece.bucket(),
        "write",
        piece.replicas(),
        List.of(),
        quorum,
        Map.of(),
        failures.isEmpty() ? null : failures.get(0));
  }

  /** How many stand-ins a piece's write could use (0 with a strict quorum). */
  private int standIns(Piece piece) {
    return sloppy ? cluster.standIns(piece.bucket(), piece.replicas()).nodes().size() : 0;
  }

  /** A piece that ran: where, what it produced, and the row images it captured. */
  private record Executed<B>(Piece piece, NodeId coordinator, Outcome outcome, B batch) {

    /** Closes the rows the outcome holds (after a failure, they are never handed out). */
    void close() throws SQLException {
      Outcomes.close(outcome);
    }
  }

  /**
   * A coordinator's transaction and connection. The connection returns to its pool when the write
   * is done with it and every outcome holding rows from it is closed; a transaction that did not
   * commit is rolled back first, explicitly rather than trusting the pool to.
   */
  private static final class Transaction implements AutoCloseable {
    final NodeId node;
    final Connection connection;
    boolean committed;

    /** The bucket the transaction is stamped for now. */
    @Nullable BucketId stamped;

    private boolean closed;
    private int references = 1;

    Transaction(NodeId node, Connection connection) {
      this.node = node;
      this.connection = connection;
    }

    void commit() throws SQLException {
      try {
        connection.commit();
      } catch (SQLException e) {
        throw ZynamoErrors.fromNode(node, e);
      }
      committed = true;
    }

    /** The write is done with the transaction. */
    @Override
    public void close() throws SQLException {
      if (!closed) {
        closed = true;
        release();
      }
    }

    synchronized void retain() {
      references++;
    }

    synchronized void release() throws SQLException {
      if (--references > 0) {
        return;
      }
      if (committed) {
        connection.close();
      } else {
        CloseAll.close(connection::rollback, connection);
      }
    }
  }
}
