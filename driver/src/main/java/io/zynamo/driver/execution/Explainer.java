package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.driver.sql.Trait;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** EXPLAIN through Zynamo: the route first, then PostgreSQL's plan of what a node runs. */
final class Explainer {

  /** Routes a statement as the session does. */
  @FunctionalInterface
  interface Routing {
    RoutePlan route(ParsedStatement statement, List<@Nullable Object> parameters)
        throws SQLException;
  }

  /** A connection to any reachable node. */
  @FunctionalInterface
  interface AnyNode {
    Connection connect() throws SQLException;
  }

  private final Cluster cluster;
  private final CoverageReader coverage;
  private final Routing router;
  private final AnyNode anyNode;

  Explainer(Cluster cluster, CoverageReader coverage, Routing router, AnyNode anyNode) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.coverage = requireNonNull(coverage, "coverage");
    this.router = requireNonNull(router, "router");
    this.anyNode = requireNonNull(anyNode, "anyNode");
  }

  /**
   * EXPLAIN through Zynamo: how the statement is routed (buckets, replicas, nodes, what is merged),
   * then PostgreSQL's plan of what a node runs. EXPLAIN ANALYZE really runs the statement, so only
   * queries may be analyzed.
   */
  Outcome explain(
      SqlFrontend text,
      ParsedStatement parsed,
      String sql,
      List<@Nullable Object> parameters,
      int readQuorum,
      int writeQuorum)
      throws SQLException {
    ParsedStatement inner = requireNonNull(parsed.explained());
    boolean analyze = parsed.has(Trait.EXPLAIN_ANALYZE);
    if (analyze && inner.kind() != StatementKind.SELECT) {
      throw ZynamoErrors.notSupportedYet(
          "EXPLAIN ANALYZE of " + inner.kind() + " (it would write on one node only)");
    }
    RoutePlan plan = router.route(inner, parameters);
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
    Connection c = anyNode.connect();
    return NodeStatements.run(
        c,
        "SELECT line AS \"QUERY PLAN\" FROM unnest(?::text[]) WITH ORDINALITY AS l(line, n)"
            + " ORDER BY n",
        List.of((Object) lines.toArray(new String[0])),
        false,
        c);
  }
}
