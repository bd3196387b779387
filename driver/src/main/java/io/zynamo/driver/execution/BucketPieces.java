package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.ScanText;
import io.zynamo.driver.sql.Span;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.CoveragePlan;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.jspecify.annotations.Nullable;

/**
 * Statements cut into one piece per bucket: those whose keys fall in several buckets, and UPDATE or
 * DELETE without a usable shard key (one piece for every bucket).
 */
final class BucketPieces {

  private final Cluster cluster;
  private final CoverageReader coverage;
  private final Explainer.AnyNode anyNode;

  BucketPieces(Cluster cluster, CoverageReader coverage, Explainer.AnyNode anyNode) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.coverage = requireNonNull(coverage, "coverage");
    this.anyNode = requireNonNull(anyNode, "anyNode");
  }

  /**
   * A statement whose keys fall in several buckets, cut into a piece per bucket: writes commit all
   * pieces together (see {@link KeyWriter}), queries concatenate the pieces' rows, which is exact
   * only when the query neither orders, limits, groups, deduplicates nor aggregates them.
   *
   * @param writeOrder per bucket, the order a write tries its replicas as coordinator (the
   *     freshened ones first); a bucket not in it uses the preference list
   */
  Outcome multiBucket(
      KeyAccess access,
      SqlFrontend text,
      ParsedStatement parsed,
      RoutePlan.MultiBucket multi,
      Map<BucketId, List<NodeId>> writeOrder,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys,
      int readQuorum,
      int writeQuorum)
      throws SQLException {
    List<Span> items = parsed.keySpans(requireNonNull(multi.table().shardColumn()));
    SqlFrontend.Cutter cut = text.cutter(sql, parameters, items);
    KeyReader.Cutter cutter =
        indexes ->
            cut.keep(indexes)
                .orElseThrow(
                    () ->
                        ZynamoErrors.notSupportedYet(
                            "$n parameters in statements on "
                                + multi.table().table()
                                + " whose keys fall in several buckets (use ? placeholders)"));
    if (parsed.kind() == StatementKind.SELECT) {
      if (concatenable(text, sql)) {
        return access.read(multi, cutter, readQuorum);
      }
      access.checkCoverage();
      return coverage.read(
          text, parsed, new RoutePlan.Coverage(List.of(multi.table())), sql, parameters);
    }
    List<KeyWriter.Piece> pieces = new ArrayList<>();
    for (RoutePlan.Part part : multi.parts()) {
      SqlFrontend.Piece piece = cutter.cut(part.items());
      pieces.add(
          new KeyWriter.Piece(
              part.bucket(),
              writeOrder.getOrDefault(
                  part.bucket(), cluster.ring().placement().replicas(part.bucket())),
              piece.sql(),
              piece.parameters(),
              cluster.ring().extraReplicas(part.bucket())));
    }
    return access.write(pieces, generatedKeys, writeQuorum);
  }

  /**
   * An UPDATE or DELETE without a usable shard key: one piece per bucket, narrowed to the bucket's
   * rows ({@code AND zynamo_bucket = b}) and coordinated by the node a coverage plan asks for that
   * bucket, so each row changes exactly once and the count is the number of rows changed. All
   * pieces commit together (see {@link KeyWriter}).
   */
  Outcome everyBucket(
      KeyAccess access,
      ScanText scan,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys,
      int writeQuorum)
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
                parameters,
                cluster.ring().extraReplicas(bucket)));
      }
    }
    return access.write(pieces, generatedKeys, writeQuorum);
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
    try (Connection c = anyNode.connect()) {
      return !FunctionKinds.anyAggregate(c, query.functions());
    }
  }
}
