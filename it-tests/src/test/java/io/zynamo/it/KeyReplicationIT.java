package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import io.zynamo.ring.BucketId;
import io.zynamo.ring.KeyHasher;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The engine on 4 real nodes with N=3, R=2, W=2: key writes land on exactly their bucket's replicas
 * as identical row images, reads hide internal columns, survive a stopped node and repair a wiped
 * replica.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyReplicationIT {

  private final PostgresCluster nodes;
  private Cluster cluster;
  private ClusterSession<List<ChangeRecord>> session;

  KeyReplicationIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    String seeds = NodeSql.seeds(nodes.nodes());
    ZynamoUrl url =
        ZynamoUrl.parse(
            "jdbc:zynamo://" + seeds + "/postgres?user=postgres&replicas=3&connectTimeout=1");
    NodeSchema schema = NodeSchema.bundled();
    cluster = Cluster.open(url, schema::install, Clock.systemUTC());
    NodeSchemaReplication replication = new NodeSchemaReplication(schema);
    session = new ClusterSession<>(cluster, replication, replication, 2, 2);
    run(
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL,"
            + " created timestamptz NOT NULL DEFAULT now(), lucky float8 DEFAULT random())");
  }

  @AfterAll
  void disconnect() throws SQLException {
    session.close();
    cluster.close();
  }

  @Test
  void rowsLandOnExactlyTheirBucketsReplicasWithIdenticalImages() throws SQLException {
    for (long id = 1; id <= 20; id++) {
      Outcome o =
          session.execute(
              "INSERT INTO users (id, name) VALUES (?, ?)", params(id, "u" + id), false);
      assertEquals(1, assertInstanceOf(Outcome.Count.class, o).count());
    }
    KeyHasher hasher = new KeyHasher(cluster.ring().bucketBits());
    for (long id = 1; id <= 20; id++) {
      BucketId bucket = hasher.bucketOf(id);
      Set<NodeId> replicas = Set.copyOf(cluster.ring().placement().replicas(bucket));
      assertEquals(3, replicas.size());
      Set<String> images = new HashSet<>();
      for (PostgresNode node : nodes.nodes()) {
        List<String> found =
            direct(
                node,
                "SELECT row(id, name, created, lucky, zynamo_version)::text FROM users WHERE id = "
                    + id);
        boolean replica = replicas.contains(nodeId(node));
        assertEquals(replica ? 1 : 0, found.size(), "id " + id + " on " + node.name());
        images.addAll(found);
      }
      assertEquals(1, images.size(), "replicas of id " + id + " differ: " + images);
    }
  }

  @Test
  void keyReadsReturnExactlyTheUsersColumns() throws SQLException {
    run("INSERT INTO users (id, name) VALUES (100, 'ada')");
    try (ResultSet rs = rows("SELECT * FROM users WHERE id = ?", 100L)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        labels.add(meta.getColumnLabel(i));
      }
      assertEquals(List.of("id", "name", "created", "lucky"), labels);
      assertTrue(rs.next());
      assertEquals("ada", rs.getString("name"));
      assertFalse(rs.next());
    }
  }

  @Test
  void returningAndConflictsWork() throws SQLException {
    Outcome o =
        session.execute(
            "INSERT INTO users (id, name) VALUES (200, 'a') ON CONFLICT (id) DO UPDATE SET name ="
                + " excluded.name RETURNING id, name",
            List.of(),
            false);
    try (ResultSet rs = assertInstanceOf(Outcome.Rows.class, o).rows()) {
      assertTrue(rs.next());
      assertEquals("a", rs.getString(2));
    }
    run(
        "INSERT INTO users (id, name) VALUES (200, 'b') ON CONFLICT (id) DO UPDATE SET name = excluded.name");
    try (ResultSet rs = rows("SELECT name FROM users WHERE id = 200")) {
      assertTrue(rs.next());
      assertEquals("b", rs.getString(1));
    }
  }

  @Test
  void changingTheShardKeyOrWritingToANodeDirectlyIsRefused() throws SQLException {
    run("INSERT INTO users (id, name) VALUES (300, 'x')");
    SQLException update =
        assertThrows(SQLException.class, () -> run("UPDATE users SET id = 301 WHERE id = 300"));
    assertEquals("ZY004", update.getSQLState());
    SQLException direct =
        assertThrows(
            SQLException.class,
            () ->
                direct(
                    nodes.node(0), "INSERT INTO users (id, name) VALUES (302, 'x') RETURNING id"));
    assertEquals("ZY006", direct.getSQLState());
  }

  @Test
  void aStoppedNodeCostsNoAcknowledgedWriteAndReadsStillSucceed() throws SQLException {
    PostgresNode stopped = nodes.node(1);
    stopped.stop();
    try {
      for (long id = 400; id < 405; id++) {
        run("INSERT INTO users (id, name) VALUES (" + id + ", 'while down')");
        try (ResultSet rs = rows("SELECT name FROM users WHERE id = ?", id)) {
          assertTrue(rs.next(), "id " + id);
          assertEquals("while down", rs.getString(1));
        }
      }
    } finally {
      stopped.start();
    }
    for (long id = 400; id < 405; id++) {
      try (ResultSet rs = rows("SELECT name FROM users WHERE id = ?", id)) {
        assertTrue(rs.next(), "after restart: id " + id);
      }
    }
  }

  @Test
  void aRowWipedOnOneReplicaIsRepairedByARead() throws SQLException {
    run("INSERT INTO users (id, name) VALUES (500, 'survivor')");
    BucketId bucket = new KeyHasher(cluster.ring().bucketBits()).bucketOf(500L);
    NodeId wiped = cluster.ring().placement().replicas(bucket).get(0);
    PostgresNode node = nodeOf(wiped);
    directUpdate(node, "SET zynamo.applying = 'on'", "DELETE FROM users WHERE id = 500");
    assertEquals(List.of(), direct(node, "SELECT name FROM users WHERE id = 500"));

    run("SET zynamo.read_quorum = 3");
    try (ResultSet rs = rows("SELECT name FROM users WHERE id = 500")) {
      assertTrue(rs.next());
      assertEquals("survivor", rs.getString(1));
    } finally {
      run("SET zynamo.read_quorum = 2");
    }
    assertEquals(List.of("survivor"), direct(node, "SELECT name FROM users WHERE id = 500"));
  }

  @Test
  void aReplicaThatMissedADeleteIsRepairedByARead() throws SQLException {
    run("INSERT INTO users (id, name) VALUES (600, 'gone')");
    BucketId bucket = new KeyHasher(cluster.ring().bucketBits()).bucketOf(600L);
    PostgresNode stale = nodeOf(cluster.ring().placement().replicas(bucket).get(0));
    String image =
        direct(
                stale,
                "SELECT format('(%s, %L, %L, %L, %s, %s, %L::jsonb)', id, name, created, zynamo_rowid,"
                    + " zynamo_bucket, zynamo_version, zynamo_clock) FROM users WHERE id = 600")
            .get(0);
    run("DELETE FROM users WHERE id = 600");
    // The first replica never saw the delete: its old row is back, as if the delete missed it.
    directUpdate(
        stale,
        "SET zynamo.applying = 'on'",
        "INSERT INTO users (id, name, created, zynamo_rowid, zynamo_bucket, zynamo_version,"
            + " zynamo_clock) VALUES "
            + image);
    assertEquals(List.of("gone"), direct(stale, "SELECT name FROM users WHERE id = 600"));

    run("SET zynamo.read_quorum = 3");
    try (ResultSet rs = rows("SELECT name FROM users WHERE id = 600")) {
      assertFalse(rs.next(), "the deletion is newer than the stale row");
    } finally {
      run("SET zynamo.read_quorum = 2");
    }
    assertEquals(List.of(), direct(stale, "SELECT name FROM users WHERE id = 600"));
  }

  @Test
  void jsonNullStaysJsonNullOnEveryReplicaAndThroughReadRepair() throws SQLException {
    run("CREATE TABLE json_docs (id bigint PRIMARY KEY, doc jsonb, raw json)");
    run("INSERT INTO json_docs VALUES (1, 'null', 'null'), (2, NULL, NULL), (3, NULL, 'null')");
    run("UPDATE json_docs SET doc = NULL WHERE id = 1");
    run("BEGIN");
    run("UPDATE json_docs SET doc = 'null' WHERE id = 2");
    run("UPDATE json_docs SET doc = 'null', raw = NULL WHERE id = 3");
    run("INSERT INTO json_docs VALUES (4, 'null', NULL)");
    run("COMMIT");
    List<String> expected = List.of("t f null", "f null t", "f null t", "f null t");
    for (long id = 1; id <= 4; id++) {
      assertOnEveryReplica(id, expected.get((int) id - 1));
    }

    BucketId bucket = new KeyHasher(cluster.ring().bucketBits()).bucketOf(4L);
    PostgresNode wiped = nodeOf(cluster.ring().placement().replicas(bucket).get(0));
    directUpdate(wiped, "SET zynamo.applying = 'on'", "DELETE FROM json_docs WHERE id = 4");
    run("SET zynamo.read_quorum = 3");
    try (ResultSet rs = rows("SELECT doc IS NULL, doc FROM json_docs WHERE id = 4")) {
      assertTrue(rs.next());
      assertFalse(rs.getBoolean(1));
      assertEquals("null", rs.getString(2));
    } finally {
      run("SET zynamo.read_quorum = 2");
    }
    assertOnEveryReplica(4, "f null t");
  }

  @Test
  void jsonColumnsAddedByAlterTableAreCapturedExactly() throws SQLException {
    run("CREATE TABLE later_docs (id bigint PRIMARY KEY, v text)");
    run("CREATE TABLE later_refs (code text PRIMARY KEY)");
    run("SELECT zynamo.reference('later_refs')");
    run("ALTER TABLE later_docs ADD COLUMN doc jsonb");
    run("ALTER TABLE later_refs ADD COLUMN doc jsonb");
    run("INSERT INTO later_docs (id, v, doc) VALUES (1, 'a', 'null')");
    run("INSERT INTO later_refs (code, doc) VALUES ('x', 'null')");

    BucketId bucket = new KeyHasher(cluster.ring().bucketBits()).bucketOf(1L);
    for (NodeId replica : cluster.ring().placement().replicas(bucket)) {
      PostgresNode node = nodeOf(replica);
      assertEquals(
          List.of("f null"),
          direct(node, "SELECT concat_ws(' ', doc IS NULL, doc) FROM later_docs"),
          node.name());
    }
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(
          List.of("f null"),
          direct(node, "SELECT concat_ws(' ', doc IS NULL, doc) FROM later_refs"),
          node.name());
    }
  }

  /** Each replica of the key's bucket, read directly, holds the row as expected; no other node. */
  private void assertOnEveryReplica(long id, String expected) throws SQLException {
    BucketId bucket = new KeyHasher(cluster.ring().bucketBits()).bucketOf(id);
    Set<NodeId> replicas = Set.copyOf(cluster.ring().placement().replicas(bucket));
    for (PostgresNode node : nodes.nodes()) {
      List<String> found =
          direct(
              node,
              "SELECT concat_ws(' ', doc IS NULL, doc, raw IS NULL, raw) FROM json_docs WHERE id = "
                  + id);
      List<String> wanted = replicas.contains(nodeId(node)) ? List.of(expected) : List.of();
      assertEquals(wanted, found, "id " + id + " on " + node.name());
    }
  }

  private void run(String sql) throws SQLException {
    Outcome o = session.execute(sql, List.of(), false);
    if (o instanceof Outcome.Rows r) {
      r.rows().close();
    }
  }

  private ResultSet rows(String sql, @Nullable Object... parameters) throws SQLException {
    return assertInstanceOf(Outcome.Rows.class, session.execute(sql, params(parameters), false))
        .rows();
  }

  private static List<@Nullable Object> params(@Nullable Object... values) {
    return Arrays.asList(values);
  }

  private static NodeId nodeId(PostgresNode node) {
    return NodeId.of(node.host(), node.port(), node.database());
  }

  private PostgresNode nodeOf(NodeId id) {
    return nodes.nodes().stream().filter(n -> nodeId(n).equals(id)).findFirst().orElseThrow();
  }

  private static List<String> direct(PostgresNode node, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(node.jdbcUrl(), node.user(), "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }

  private static void directUpdate(PostgresNode node, String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(node.jdbcUrl(), node.user(), "");
        Statement s = c.createStatement()) {
      for (String one : sql) {
        s.execute(one);
      }
    }
  }
}
