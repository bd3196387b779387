package io.zynamo.driver.catalog;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.NodeAddress;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.PlacementStrategy;
import io.zynamo.ring.ReplicationFactor;
import io.zynamo.ring.RingState;
import io.zynamo.ring.membership.Member;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Learns the ring from the seeds a connection URL lists, or creates it on an empty cluster.
 *
 * <ol>
 *   <li>Read the ring from every reachable seed and merge what is found (newest wins).
 *   <li>If no seed has one and every seed is reachable, take a transaction-scoped advisory lock on
 *       the first seed (in node id order), check again (another client may have just created it),
 *       install the schema on every seed, store the new ring on the others, then on the first seed
 *       inside the lock transaction, and commit. A client waiting on the lock then finds the ring.
 * </ol>
 *
 * <p>Creating refuses to proceed while a seed is unreachable: a ring made without it would leave it
 * out for good.
 */
public final class ClusterBootstrap {

  /**
   * Arbitrary but fixed: the advisory lock key that serializes ring creation ("zynamo" in ASCII).
   */
  static final long CREATE_LOCK = 0x7a796e616d6fL;

  /** Opens a connection to a node. */
  public interface NodeConnector {
    Connection connect(NodeId node) throws SQLException;
  }

  /** Installs (idempotently) the {@code zynamo} schema on a node. */
  public interface SchemaInstaller {
    void install(Connection node) throws SQLException;
  }

  private final NodeConnector connector;
  private final SchemaInstaller installer;
  private final RingStore store;
  private final PlacementStrategy strategy;
  private final Clock clock;

  public ClusterBootstrap(
      NodeConnector connector,
      SchemaInstaller installer,
      RingStore store,
      PlacementStrategy strategy,
      Clock clock) {
    this.connector = requireNonNull(connector, "connector");
    this.installer = requireNonNull(installer, "installer");
    this.store = requireNonNull(store, "store");
    this.strategy = requireNonNull(strategy, "strategy");
    this.clock = requireNonNull(clock, "clock");
  }

  /** The cluster's ring: found on the seeds, or created over them when none has one. */
  public RingState load(List<NodeId> seeds, ReplicationFactor replication, int bucketBits)
      throws SQLException {
    if (seeds.isEmpty()) {
      throw new SQLException("no seed nodes given (expected: at least one host:port)", "08001");
    }
    SeedScan scan = scan(seeds);
    if (scan.found().isPresent()) {
      return scan.found().get();
    }
    scan.requireAllReachable(seeds);
    return create(seeds.stream().sorted().toList(), replication, bucketBits);
  }

  private SeedScan scan(List<NodeId> seeds) throws SQLException {
    SeedScan scan = new SeedScan();
    for (NodeId seed : seeds) {
      SQLException installing = null;
      try (Connection c = connector.connect(seed)) {
        Optional<RingState> ring = store.read(c);
        if (ring.isPresent()) {
          // A node of an existing cluster gets the schema files released since it was created
          // (one query when it is up to date).
          try {
            installer.install(c);
          } catch (SQLException e) {
            installing = e;
          }
        }
        scan.reached(seed, ring);
      } catch (SQLException e) {
        scan.failed(seed, e);
      }
      if (installing != null && !isUnreachable(installing)) {
        // Not a reachability question: the node answered and refused the schema (a bug, a
        // missing privilege). Said as it is, rather than as "no seed reachable".
        throw ZynamoErrors.create(
            ZynamoSqlState.INTERNAL_ERROR,
            "node " + seed + ": installing Zynamo's node schema failed: " + installing.getMessage(),
            installing);
      }
    }
    return scan;
  }

  private static boolean isUnreachable(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P0"));
  }

  private RingState create(List<NodeId> seeds, ReplicationFactor replication, int bucketBits)
      throws SQLException {
    NodeId first = seeds.get(0);
    try (Connection lock = connector.connect(first)) {
      lock.setAutoCommit(false);
      try (PreparedStatement s = lock.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        s.setLong(1, CREATE_LOCK);
        s.execute();
      }
      Optional<RingState> meanwhile = store.read(lock);
      if (meanwhile.isPresent()) {
        lock.rollback();
        return meanwhile.get();
      }
      RingState state =
          RingState.create(
              members(seeds), replication, bucketBits, first, clock.millis(), strategy);
      for (NodeId seed : seeds.subList(1, seeds.size())) {
        try (Connection c = connector.connect(seed)) {
          installer.install(c);
          store.create(c, state);
        }
      }
      try (Connection c = connector.connect(first)) {
        installer.install(c);
      }
      store.create(lock, state);
      lock.commit();
      return state;
    }
  }

  private static List<Member> members(List<NodeId> seeds) {
    List<Member> members = new ArrayList<>();
    for (NodeId seed : seeds) {
      members.add(Member.up(seed, NodeAddress.of(seed).failureDomain(), 100));
    }
    return members;
  }
}
