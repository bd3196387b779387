package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Finishes two-phase commits whose coordinator died between PREPARE and COMMIT PREPARED (see {@code
 * 003-decisions.sql} and {@link ClusterTransaction}). Any driver or proxy instance may run it at
 * any time, concurrently with others and with live commits: the decision node's unique key
 * arbitrates.
 *
 * <p>For each prepared transaction named {@code zynamo:<txid>:<decision node>} on a reachable node,
 * the decision node is asked by inserting an {@code abort} row for the txid: the insert waits (at
 * most {@link #LOCK_WAIT}) while the coordinator's decision is still open, conflicts with a
 * committed {@code commit} row, and otherwise settles the transaction as aborted. A prepared
 * transaction whose decision node is unreachable stays in doubt until a later pass.
 */
final class TwoPhaseRecovery {

  private static final System.Logger LOG = System.getLogger(TwoPhaseRecovery.class.getName());

  /** Prefix of the global transaction ids Zynamo prepares under. */
  static final String PREFIX = "zynamo:";

  /** How long one pass waits for a decision a live coordinator is still making. */
  static final String LOCK_WAIT = "2s";

  /** Decisions older than this, with no prepared transaction left anywhere, are deleted. */
  static final String DECISION_RETENTION = "10 minutes";

  private final Cluster cluster;

  TwoPhaseRecovery(Cluster cluster) {
    this.cluster = requireNonNull(cluster, "cluster");
  }

  /** What one pass did. */
  record Result(int committed, int rolledBack, int inDoubt) {}

  /**
   * The global id of a transaction's prepared participants: the txid, and a short digest of the
   * decision node's id (PostgreSQL caps ids at 200 bytes; node ids may be 255 characters).
   */
  static String gid(UUID txid, NodeId decisionNode) {
    return PREFIX + txid + ":" + shortId(decisionNode);
  }

  static String shortId(NodeId node) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(node.value().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A parsed global id; empty when it is not one of Zynamo's. */
  record Prepared(String gid, UUID txid, String decisionNode) {
    static Optional<Prepared> parse(String gid) {
      if (!gid.startsWith(PREFIX)) {
        return Optional.empty();
      }
      String[] parts = gid.substring(PREFIX.length()).split(":", 2);
      if (parts.length != 2) {
        return Optional.empty();
      }
      try {
        return Optional.of(new Prepared(gid, UUID.fromString(parts[0]), parts[1]));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }

  /** One pass, for a schedule: a failure is logged and never ends the schedule. */
  void runQuietly() {
    try {
      run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "two-phase commit recovery pass failed", e);
    }
  }

  /** One pass over every node of the ring. */
  Result run() {
    List<NodeId> nodes = cluster.ring().nodes();
    Map<String, NodeId> byShortId = new HashMap<>();
    nodes.forEach(n -> byShortId.put(shortId(n), n));
    Map<NodeId, List<Prepared>> found = new LinkedHashMap<>();
    boolean everyNodeAnswered = true;
    for (NodeId node : nodes) {
      try {
        found.put(node, prepared(node));
      } catch (SQLException e) {
        everyNodeAnswered = false;
        LOG.log(System.Logger.Level.DEBUG, "recovery: node {0} not listed: {1}", node, e);
      }
    }
    Map<UUID, Optional<String>> decisions = new HashMap<>();
    int committed = 0;
    int rolledBack = 0;
    int inDoubt = 0;
    Set<UUID> undecided = new TreeSet<>();
    for (Map.Entry<NodeId, List<Prepared>> entry : found.entrySet()) {
      for (Prepared p : entry.getValue()) {
        NodeId decisionNode = byShortId.get(p.decisionNode());
        Optional<String> outcome =
            decisions.computeIfAbsent(
                p.txid(), t -> decisionNode == null ? Optional.empty() : decide(decisionNode, t));
        if (outcome.isEmpty() || !finish(entry.getKey(), p.gid(), outcome.get())) {
          inDoubt++;
          undecided.add(p.txid());
        } else if (outcome.get().equals("commit")) {
          committed++;
        } else {
          rolledBack++;
        }
      }
    }
    if (everyNodeAnswered) {
      Set<UUID> pending = new TreeSet<>(undecided);
      found.values().forEach(list -> list.forEach(p -> pending.add(p.txid())));
      nodes.forEach(n -> forgetOldDecisions(n, pending));
    }
    Result result = new Result(committed, rolledBack, inDoubt);
    if (committed + rolledBack + inDoubt > 0) {
      LOG.log(System.Logger.Level.INFO, "two-phase commit recovery: {0}", result);
    }
    return result;
  }

  /** Zynamo's prepared transactions on a node, in this database. */
  private List<Prepared> prepared(NodeId node) throws SQLException {
    List<Prepared> list = new ArrayList<>();
    try (Connection c = cluster.pools().connection(node);
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT gid FROM pg_catalog.pg_prepared_xacts"
                    + " WHERE database = current_database() AND gid LIKE 'zynamo:%'"
                    + " ORDER BY prepared")) {
      while (rows.next()) {
        Prepared.parse(rows.getString(1)).ifPresent(list::add);
      }
    }
    return list;
  }

  /**
   * The transaction's outcome, settled on its decision node: {@code commit} when the coordinator
   * committed its decision, else {@code abort} (recorded, so that it never commits later). Empty
   * while the decision node is unreachable or its coordinator still decides.
   */
  private Optional<String> decide(NodeId decisionNode, UUID txid) {
    try (Connection c = cluster.pools().connection(decisionNode)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO zynamo.decisions (txid, outcome) VALUES (?, 'abort')"
                      + " ON CONFLICT (txid) DO NOTHING");
          PreparedStatement select =
              c.prepareStatement("SELECT outcome FROM zynamo.decisions WHERE txid = ?")) {
        s.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
        insert.setObject(1, txid);
        insert.executeUpdate();
        select.setObject(1, txid);
        String outcome;
        try (ResultSet row = select.executeQuery()) {
          outcome = row.next() ? row.getString(1) : null;
        }
        c.commit();
        return Optional.ofNullable(outcome);
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "recovery: no decision for {0} from {1} yet: {2}",
          txid,
          decisionNode,
          e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Commits or rolls back one prepared transaction; true when it is gone (also when another
   * instance finished it first).
   */
  private boolean finish(NodeId node, String gid, String outcome) {
    try (Connection c = cluster.pools().connection(node);
        Statement s = c.createStatement()) {
      s.execute(
          (outcome.equals("commit") ? "COMMIT PREPARED " : "ROLLBACK PREPARED ") + literal(gid));
      return true;
    } catch (SQLException e) {
      if ("42704".equals(e.getSQLState())) {
        return true; // finished meanwhile by its coordinator or another recovery
      }
      LOG.log(System.Logger.Level.WARNING, "recovery: {0} {1} on {2}: {3}", outcome, gid, node, e);
      return false;
    }
  }

  /**
   * Deletes decisions no prepared transaction can still ask for: older than the retention and not
   * pending anywhere (every node answered this pass, and a transaction prepares all its
   * participants before its decision commits).
   */
  private void forgetOldDecisions(NodeId node, Set<UUID> pending) {
    try (Connection c = cluster.pools().connection(node);
        PreparedStatement s =
            c.prepareStatement(
                "DELETE FROM zynamo.decisions WHERE decided < now() - interval '"
                    + DECISION_RETENTION
                    + "' AND NOT (txid = ANY (?))")) {
      s.setArray(1, c.createArrayOf("uuid", pending.toArray()));
      s.executeUpdate();
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.DEBUG, "recovery: decisions on {0} kept: {1}", node, e);
    }
  }

  /** A global id as a SQL string literal (ids are Zynamo's: no quote inside, but be exact). */
  static String literal(String gid) {
    return "'" + gid.replace("'", "''") + "'";
  }

  /** For error messages: a prepared transaction recovery will finish. */
  static SQLException unknownOutcome(NodeId node, SQLException cause) {
    return ZynamoErrors.create(
        io.zynamo.driver.error.ZynamoSqlState.TRANSACTION_RESOLUTION_UNKNOWN,
        "the connection to node "
            + node
            + " failed while the transaction committed; two-phase commit recovery decides whether"
            + " it committed",
        cause);
  }
}
