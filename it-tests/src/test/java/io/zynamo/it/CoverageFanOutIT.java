package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.execution.Cluster;
import io.zynamo.driver.execution.ClusterSession;
import io.zynamo.driver.execution.NodeSchemaReplication;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fan-out of cluster-wide queries: with M = 6 nodes and N = 3, a query without a shard key
 * contacts ceil(M/N) = 2 nodes (counted by the driver's per-node connection attempts); with one of
 * them stopped it still gives exactly the answer of one PostgreSQL holding all rows (node 0).
 */
@ZynamoCluster(nodes = 7)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoverageFanOutIT {

  private static final List<String> QUERIES =
      List.of(
          "SELECT count(*), sum(v), min(name), max(name) FROM things",
          "SELECT v % 5, count(*) FROM things GROUP BY 1 ORDER BY 1",
          "SELECT id, name FROM things ORDER BY v DESC, id LIMIT 5",
          "SELECT id FROM things WHERE v BETWEEN 100 AND 110 ORDER BY id",
          // More rows than one fetch: the merge streams through a cursor.
          "SELECT id, name, v FROM things ORDER BY id");

  private final PostgresCluster nodes;
  private Connection plain;
  private Cluster cluster;
  private ClusterSession<List<ChangeRecord>> session;

  CoverageFanOutIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void load() throws SQLException {
    plain = DriverManager.getConnection(nodes.node(0).jdbcUrl(), "postgres", "");
    String seeds = NodeSql.seeds(nodes.nodes().subList(1, 7));
    NodeSchema schema = NodeSchema.bundled();
    cluster =
        Cluster.open(
            ZynamoUrl.parse(
                "jdbc:zynamo://" + seeds + "/postgres?user=postgres&replicas=3&connectTimeout=1"),
            schema::install,
            Clock.systemUTC());
    NodeSchemaReplication replication = new NodeSchemaReplication(schema);
    session = new ClusterSession<>(cluster, replication, replication, 2, 3);
    String create = "CREATE TABLE things (id bigint PRIMARY KEY, name text, v int)";
    String insert =
        "INSERT INTO things SELECT i, 'thing ' || i, (i * 37) % 1000 FROM generate_series(1, 2000) i";
    try (Statement s = plain.createStatement()) {
      s.execute(create);
      s.execute(insert);
    }
    run(create);
    // INSERT ... SELECT is not routed by key: load by multi-row INSERTs instead.
    for (int from = 1; from <= 2000; from += 250) {
      StringBuilder values = new StringBuilder();
      for (int i = from; i < from + 250; i++) {
        values
            .append(i > from ? ", " : "")
            .append("(" + i + ", 'thing " + i + "', " + (i * 37) % 1000 + ")");
      }
      run("INSERT INTO things VALUES " + values);
    }
  }

  @AfterAll
  void close() throws SQLException {
    session.close();
    cluster.close();
    plain.close();
  }

  @Test
  void aCoverageQueryContactsCeilMOverNNodesAndSurvivesOneOfThemStopping() throws SQLException {
    answer("SELECT 1 FROM things WHERE id = 1"); // the session's catalog is loaded
    Set<NodeId> contacted = new TreeSet<>();
    for (String query : QUERIES) {
      Map<NodeId, Long> before = attempts();
      assertEquals(expected(query), answer(query), query);
      Set<NodeId> now = contactedSince(before);
      assertEquals(2, now.size(), query + " contacted " + now);
      contacted.addAll(now);
    }
    assertEquals(2, contacted.size(), "the same plan each time: " + contacted);

    PostgresNode stopped = nodeOf(contacted.iterator().next());
    stopped.stop();
    try {
      for (String query : QUERIES) {
        assertEquals(expected(query), answer(query), query + " with " + stopped.name() + " down");
      }
    } finally {
      stopped.start();
    }
  }

  @Test
  void explainShowsTheRouteAndTheMergeNodesPlan() throws SQLException {
    List<String> scan =
        answer("EXPLAIN SELECT v % 5, count(*) FROM things WHERE v > 10 GROUP BY 1");
    assertTrue(
        scan.get(0).startsWith("Zynamo cluster-wide query: 2 of 6 nodes, merged on "), scan.get(0));
    assertTrue(scan.stream().anyMatch(l -> l.contains("AND (v > 10)")), String.join("\n", scan));
    assertTrue(scan.stream().anyMatch(l -> l.contains("Aggregate")), String.join("\n", scan));
    List<String> analyzed = answer("EXPLAIN ANALYZE SELECT count(*) FROM things");
    assertTrue(
        analyzed.stream().anyMatch(l -> l.contains("actual time")), String.join("\n", analyzed));
    List<String> key = answer("EXPLAIN SELECT name FROM things WHERE id = 42");
    assertTrue(key.get(0).startsWith("Zynamo single bucket: "), key.get(0));
    assertTrue(key.stream().anyMatch(l -> l.contains("Scan")), String.join("\n", key));
    SQLException write =
        assertThrows(
            SQLException.class, () -> answer("EXPLAIN ANALYZE DELETE FROM things WHERE id = 1"));
    assertEquals("0A000", write.getSQLState());
  }

  @Test
  void theAdminViewsAnswerOrdinarySql() throws SQLException {
    assertEquals(List.of("6|768"), answer("SELECT count(*), sum(buckets) FROM zynamo.nodes"));
    // A node stopped by another test may come back meanwhile: its state as before or after.
    List<String> before = states();
    List<String> shown = answer("SELECT node, state FROM zynamo.nodes ORDER BY node COLLATE \"C\"");
    List<String> after = states();
    assertTrue(shown.equals(before) || shown.equals(after), shown + " vs " + before + "/" + after);
    assertEquals(
        List.of("256"),
        answer("SELECT count(*) FROM zynamo.buckets WHERE cardinality(replicas) = 3"));
    assertEquals(
        List.of("256|6"),
        answer(
            "SELECT sum(n), count(*) FROM (SELECT n.node, count(*) AS n FROM zynamo.buckets b"
                + " JOIN zynamo.nodes n ON n.node = b.coordinator GROUP BY n.node) per_node"));
    assertEquals(
        List.of("public.things|sharded|id"),
        answer("SELECT name, kind, shard_column FROM zynamo.tables WHERE name LIKE '%things'"));
    SQLException mixed =
        assertThrows(
            SQLException.class, () -> answer("SELECT * FROM zynamo.nodes JOIN things ON true"));
    assertEquals("0A000", mixed.getSQLState());
  }

  private List<String> states() {
    List<String> states = new ArrayList<>();
    for (NodeId node : cluster.ring().placement().nodes()) {
      states.add(
          node.value()
              + "|"
              + cluster.health().state(node).name().toLowerCase(java.util.Locale.ROOT));
    }
    states.sort(null);
    return states;
  }

  private Map<NodeId, Long> attempts() {
    Map<NodeId, Long> attempts = new HashMap<>();
    for (NodeId node : cluster.ring().placement().nodes()) {
      attempts.put(node, cluster.health().counts(node).attempts());
    }
    return attempts;
  }

  private Set<NodeId> contactedSince(Map<NodeId, Long> before) {
    Set<NodeId> contacted = new TreeSet<>();
    attempts()
        .forEach(
            (node, n) -> {
              if (n > before.get(node)) {
                contacted.add(node);
              }
            });
    return contacted;
  }

  private PostgresNode nodeOf(NodeId id) {
    return nodes.nodes().stream()
        .filter(n -> NodeId.of(n.host(), n.port(), n.database()).equals(id))
        .findFirst()
        .orElseThrow();
  }

  private List<String> expected(String query) throws SQLException {
    try (Statement s = plain.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      return NodeSql.rows(rs);
    }
  }

  private List<String> answer(String query) throws SQLException {
    Outcome o = session.execute(query, List.of(), false);
    try (ResultSet rs = ((Outcome.Rows) o).rows()) {
      return NodeSql.rows(rs);
    }
  }

  private void run(String sql) throws SQLException {
    Outcome o = session.execute(sql, List.of(), false);
    if (o instanceof Outcome.Rows r) {
      r.rows().close();
    }
  }
}
