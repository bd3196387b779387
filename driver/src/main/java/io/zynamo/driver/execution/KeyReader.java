package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.result.ConcatenatedResults;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Executes a read routed to one bucket with read quorum R (Dynamo section 4.5 with read repair).
 *
 * <p>R = 1: the user's query runs on the first replica that accepts a connection. R >= 2: R
 * replicas report digests of the key's rows; if they agree, the query runs on the first of them.
 * Otherwise the stale replicas receive the newest images first (read repair), and the query runs on
 * a replica that holds the newest state of every row.
 */
final class KeyReader<B> {

  private final Cluster cluster;
  private final RowImages<B> images;
  private final StaleReplicas<B> stale;

  KeyReader(Cluster cluster, RowImages<B> images) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.images = requireNonNull(images, "images");
    this.stale = new StaleReplicas<>(cluster, images);
  }

  /**
   * The digests come first, then the query runs on the freshest replica. (Running the query on the
   * first replica while the digests are taken would save a round trip, but each read would then
   * hold two connections to that replica at once, and enough concurrent reads would exhaust its
   * pool while waiting for their own digests.)
   */
  Outcome read(
      RoutePlan.SingleBucket route, String sql, List<@Nullable Object> parameters, int readQuorum)
      throws SQLException {
    return runOnFirst(route.bucket(), candidates(route, readQuorum), sql, parameters);
  }

  /**
   * Brings the first {@code quorum} reachable replicas of the route's keys up to date (digests,
   * then read repair), before a write runs on the first of them: with W acknowledgements per write,
   * any N - W + 1 replicas include one that holds every acknowledged write, so the write's
   * coordinator then sees the newest rows (an UPDATE or DELETE on a replica that missed a write
   * would change nothing, and an INSERT would not see the row it conflicts with).
   *
   * @return the replicas brought up to date, the freshest first: the write's coordinator must be
   *     one of them (a replica that failed the digest round but answers the write a moment later
   *     missed writes); with {@code quorum} below 2, the preference list
   */
  List<NodeId> freshen(RoutePlan.SingleBucket route, int quorum) throws SQLException {
    if (quorum < 2) {
      return cluster.ring().placement().replicas(route.bucket());
    }
    return candidates(route, quorum);
  }

  /** Cuts a statement down to some of its key values (indexes ascending). */
  @FunctionalInterface
  interface Cutter {
    SqlFrontend.Piece cut(List<Integer> items) throws SQLException;
  }

  /**
   * Reads a query whose keys fall in several buckets: each bucket's replicas are chosen as for one
   * bucket (with read repair for R >= 2); then buckets read from the same node share one query, cut
   * down to their keys, so the statement holds at most one connection per node. A node found
   * unreachable hands its buckets to their next candidates. The rows follow each other.
   */
  Outcome read(RoutePlan.MultiBucket plan, Cutter cutter, int readQuorum) throws SQLException {
    Map<RoutePlan.Part, List<NodeId>> remaining = new LinkedHashMap<>();
    for (RoutePlan.Part part : plan.parts()) {
      remaining.put(part, new ArrayList<>(candidates(plan.route(part), readQuorum)));
    }
    List<ResultSet> results = new ArrayList<>();
    try {
      while (!remaining.isEmpty()) {
        Map<NodeId, List<RoutePlan.Part>> byNode = new LinkedHashMap<>();
        remaining.forEach(
            (part, nodes) ->
                byNode.computeIfAbsent(nodes.get(0), n -> new ArrayList<>()).add(part));
        for (Map.Entry<NodeId, List<RoutePlan.Part>> group : byNode.entrySet()) {
          readGroup(group.getKey(), group.getValue(), cutter, remaining, results);
        }
      }
    } catch (SQLException | RuntimeException e) {
      CloseAll.close(results.toArray(new AutoCloseable[0]));
      throw e;
    }
    return new Outcome.Rows(ConcatenatedResults.of(results));
  }

  private void readGroup(
      NodeId node,
      List<RoutePlan.Part> parts,
      Cutter cutter,
      Map<RoutePlan.Part, List<NodeId>> remaining,
      List<ResultSet> results)
      throws SQLException {
    List<Integer> items = new ArrayList<>();
    parts.forEach(p -> items.addAll(p.items()));
    Collections.sort(items);
    SqlFrontend.Piece piece = cutter.cut(items);
    Outcome outcome;
    try {
      outcome = runOn(node, piece.sql(), piece.parameters());
    } catch (SQLException e) {
      if (!NodeFailures.isUnreachable(e)) {
        throw e;
      }
      for (RoutePlan.Part part : parts) {
        List<NodeId> candidates = remaining.get(part);
        candidates.remove(node);
        if (candidates.isEmpty()) {
          List<NodeId> replicas = cluster.ring().placement().replicas(part.bucket());
          throw ZynamoErrors.quorumNotMet(
              part.bucket(), "read", replicas, List.of(), 1, Map.of(), e);
        }
      }
      return;
    }
    if (!(outcome instanceof Outcome.Rows rows)) {
      throw new IllegalStateException("a query piece gave no rows: " + outcome);
    }
    results.add(rows.rows());
    parts.forEach(remaining::remove);
  }

  /**
   * The replicas to run the query on, best first: with R = 1 the preference list; with R >= 2 the
   * replicas that answered the digest round, after read repair, the freshest first.
   */
  private List<NodeId> candidates(RoutePlan.SingleBucket route, int readQuorum)
      throws SQLException {
    List<NodeId> replicas = cluster.ring().placement().replicas(route.bucket());
    if (readQuorum <= 1) {
      return replicas;
    }
    List<Reply<Digest>> replies =
        cluster
            .calls()
            .read(
                route.bucket(),
                replicas,
                readQuorum,
                node -> {
                  try (Connection c = cluster.pools().connection(node)) {
                    return images.digest(c, route.table(), route.keys());
                  }
                });
    List<NodeId> asked = new ArrayList<>();
    Map<NodeId, Digest> digests = new HashMap<>();
    for (NodeId node : replicas) {
      replies.stream()
          .filter(r -> r.node().equals(node))
          .findFirst()
          .ifPresent(
              r -> {
                asked.add(node);
                digests.put(node, r.value());
              });
    }
    addTombstones(route, asked, digests);
    ReadRepair repair = ReadRepair.of(asked, digests);
    if (!repair.consistent()) {
      stale.repair(route.table(), repair);
    }
    // After the repair every asked replica holds the newest state; the fresh one goes first.
    List<NodeId> order = new ArrayList<>(asked);
    repair
        .freshReplica(asked)
        .ifPresent(
            fresh -> {
              order.remove(fresh);
              order.add(0, fresh);
            });
    return order;
  }

  /**
   * Completes the digests of the replicas that lack a row another one holds with their tombstones
   * of it, so that a deletion is told from a missed insert. When every replica holds the same rows
   * (the common case) nothing more is asked.
   */
  private void addTombstones(
      RoutePlan.SingleBucket route, List<NodeId> asked, Map<NodeId, Digest> digests)
      throws SQLException {
    Set<UUID> seen = new java.util.TreeSet<>();
    digests.values().forEach(d -> seen.addAll(d.rows().keySet()));
    for (NodeId node : asked) {
      Digest digest = digests.get(node);
      Set<UUID> missing = new java.util.TreeSet<>(seen);
      missing.removeAll(digest.rows().keySet());
      if (missing.isEmpty()) {
        continue;
      }
      try (Connection c = cluster.pools().connection(node)) {
        digests.put(node, new Digest(digest.rows(), images.tombstones(c, route.table(), missing)));
      } catch (SQLException e) {
        throw ZynamoErrors.fromNode(node, e);
      }
    }
  }

  private Outcome runOnFirst(
      BucketId bucket, List<NodeId> replicas, String sql, List<@Nullable Object> parameters)
      throws SQLException {
    SQLException first = null;
    for (NodeId node : replicas) {
      try {
        return runOn(node, sql, parameters);
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw e; // the node answered: a SQL error is the user's answer
        }
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.quorumNotMet(bucket, "read", replicas, List.of(), 1, Map.of(), first);
  }

  private Outcome runOn(NodeId node, String sql, List<@Nullable Object> parameters)
      throws SQLException {
    Connection c = cluster.pools().connection(node); // failures keep their class-08 SQLState
    try {
      return NodeStatements.run(c, sql, parameters, false, c);
    } catch (SQLException e) {
      throw ZynamoErrors.fromNode(node, e);
    }
  }
}
