package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.Placement;
import io.zynamo.ring.RingState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Zynamo's admin views, {@code zynamo.nodes} (each node of the ring: address, health state, buckets
 * held and coordinated, this instance's request counts) and {@code zynamo.buckets} (each bucket's
 * replicas and coordinator), queryable with any SQL next to {@code zynamo.tables}, the system
 * catalog and reference tables.
 */
final class AdminViews {

  private final Cluster cluster;

  AdminViews(Cluster cluster) {
    this.cluster = requireNonNull(cluster, "cluster");
  }

  /**
   * A query over the admin views: on {@code c}'s node, in a transaction holding temporary tables
   * filled from this instance's ring and node health, with {@code zynamo.nodes} and {@code
   * zynamo.buckets} pointed at them; {@code zynamo.tables} is the node's own (the same on every
   * node).
   */
  Outcome query(SqlFrontend text, Connection c, String sql, List<@Nullable Object> parameters)
      throws SQLException {
    RingState ring = cluster.ring();
    Placement placement = ring.placement();
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
    List<String> movingTo = new ArrayList<>();
    Placement other = ring.moving();
    for (int b = 0; b < placement.bucketCount(); b++) {
      buckets.add(b);
      replicas.add(
          String.join(
              ",", placement.replicas(new BucketId(b)).stream().map(NodeId::value).toList()));
      List<NodeId> next = other == null ? List.of() : other.replicas(new BucketId(b));
      movingTo.add(
          next.isEmpty() || Set.copyOf(next).equals(Set.copyOf(placement.replicas(new BucketId(b))))
              ? null
              : String.join(",", next.stream().map(NodeId::value).toList()));
    }
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
                  + " string_to_array(r, ',') AS replicas, split_part(r, ',', 1) AS coordinator,"
                  + " string_to_array(m, ',') AS moving_to"
                  + " FROM unnest(?::int[], ?::text[], ?::text[]) AS x(b, r, m)")) {
        s.setObject(1, buckets.toArray(new Integer[0]));
        s.setObject(2, replicas.toArray(new String[0]));
        s.setObject(3, movingTo.toArray(new String[0]));
        s.execute();
      }
      createRepairs(c, placement);
      createMoves(c);
      if (sql.toLowerCase(Locale.ROOT).contains("hints")) {
        createHints(c); // asks every node: only when the query may read it
      }
      String query =
          text.replaceTables(
              sql,
              Map.of(
                  new ObjectName("zynamo", "nodes"), "pg_temp.zynamo_nodes",
                  new ObjectName("zynamo", "buckets"), "pg_temp.zynamo_buckets",
                  new ObjectName("zynamo", "repairs"), "pg_temp.zynamo_repairs",
                  new ObjectName("zynamo", "moves"), "pg_temp.zynamo_moves",
                  new ObjectName("zynamo", "hints"), "pg_temp.zynamo_hints"));
      return NodeStatements.run(c, query, parameters, false, () -> CloseAll.close(c::rollback, c));
    } catch (SQLException | RuntimeException e) {
      CloseAll.closeAfter(e, c::rollback, c);
      throw e;
    }
  }

  /**
   * {@code zynamo.hints}: the hints each reachable node keeps for each replica that missed writes
   * (holder, owner, hints), asked of the nodes now: the hinted handoff backlog.
   */
  private void createHints(Connection c) throws SQLException {
    List<HintedHandoff.Backlog> backlog = cluster.hintBacklog();
    try (PreparedStatement s =
        c.prepareStatement(
            "CREATE TEMPORARY TABLE zynamo_hints ON COMMIT DROP AS SELECT * FROM unnest("
                + "?::text[], ?::text[], ?::bigint[]) AS h(holder, owner, hints)")) {
      s.setObject(1, backlog.stream().map(b -> b.holder().value()).toArray(String[]::new));
      s.setObject(2, backlog.stream().map(HintedHandoff.Backlog::owner).toArray(String[]::new));
      s.setObject(3, backlog.stream().map(HintedHandoff.Backlog::hints).toArray(Long[]::new));
      s.execute();
    }
  }

  /**
   * {@code zynamo.moves}: this instance's move under way or its last one (no row before the first),
   * with the ring epoch in force.
   */
  private void createMoves(Connection c) throws SQLException {
    MoveProgress p = cluster.moveProgress().orElse(null);
    try (PreparedStatement s =
        c.prepareStatement(
            "CREATE TEMPORARY TABLE zynamo_moves ON COMMIT DROP AS SELECT ?::text AS change,"
                + " ?::text AS phase, ?::int AS buckets, ?::int AS buckets_copied,"
                + " ?::bigint AS rows_copied, ?::int AS copies, ?::int AS minimum_copies,"
                + " ?::boolean AS paused, ?::text AS waiting, ?::text AS error,"
                + " ?::timestamptz AS started, ?::timestamptz AS finished, ?::bigint AS epoch"
                + " WHERE ?")) {
      s.setString(1, p == null ? null : p.change());
      s.setString(2, p == null ? null : p.phase());
      s.setInt(3, p == null ? 0 : p.buckets());
      s.setInt(4, p == null ? 0 : p.bucketsCopied());
      s.setLong(5, p == null ? 0 : p.rowsCopied());
      s.setInt(6, p == null ? 0 : p.copies());
      s.setInt(7, p == null ? 0 : p.minimum());
      s.setBoolean(8, p != null && p.paused());
      s.setString(9, p == null ? null : p.waiting());
      s.setString(10, p == null ? null : p.error());
      s.setString(11, p == null ? null : p.started().toString());
      s.setString(12, p == null || p.finished() == null ? null : p.finished().toString());
      s.setLong(13, cluster.ring().epoch());
      s.setBoolean(14, p != null);
      s.execute();
    }
  }

  /**
   * {@code zynamo.repairs}: per node of the ring, its part in this instance's running or last
   * anti-entropy pass (buckets compared, rows repaired onto it, tombstones removed from it; no rows
   * before the first pass); {@code finished} is null while it runs.
   */
  private void createRepairs(Connection c, Placement placement) throws SQLException {
    RepairReport report = cluster.lastRepair().orElse(null);
    List<String> nodes = new ArrayList<>();
    List<Integer> buckets = new ArrayList<>();
    List<Long> rows = new ArrayList<>();
    List<Long> tombstones = new ArrayList<>();
    List<Boolean> unreachable = new ArrayList<>();
    if (report != null) {
      for (NodeId node : placement.nodes()) {
        RepairReport.NodeRepair r = report.nodes().getOrDefault(node, RepairReport.NodeRepair.NONE);
        nodes.add(node.value());
        buckets.add(r.buckets());
        rows.add(r.rowsRepaired());
        tombstones.add(r.tombstonesRemoved());
        unreachable.add(r.unreachable());
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "CREATE TEMPORARY TABLE zynamo_repairs ON COMMIT DROP AS SELECT n.node,"
                + " ?::timestamptz AS started, ?::timestamptz AS finished, n.buckets,"
                + " n.rows_repaired, n.tombstones_removed, n.unreachable"
                + " FROM unnest(?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::boolean[])"
                + " AS n(node, buckets, rows_repaired, tombstones_removed, unreachable)")) {
      s.setObject(1, report == null ? null : report.started().toString());
      s.setObject(
          2, report == null || report.finished() == null ? null : report.finished().toString());
      s.setObject(3, nodes.toArray(new String[0]));
      s.setObject(4, buckets.toArray(new Integer[0]));
      s.setObject(5, rows.toArray(new Long[0]));
      s.setObject(6, tombstones.toArray(new Long[0]));
      s.setObject(7, unreachable.toArray(new Boolean[0]));
      s.execute();
    }
  }
}
