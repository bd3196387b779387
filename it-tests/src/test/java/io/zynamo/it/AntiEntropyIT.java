package io.zynamo.it;

import static io.zynamo.it.NodeSql.execute;
import static io.zynamo.it.NodeSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.KeyHasher;
import io.zynamo.ring.NodeId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code SELECT zynamo.repair()} on 4 real nodes (N=3, 16 buckets): replicas diverged by writing to
 * the nodes directly end with identical rows, versions and tombstones in every bucket, and the
 * counts it answers say what it did.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AntiEntropyIT {

  private static final int BUCKET_BITS = 4;

  private final PostgresCluster nodes;
  private final KeyHasher hasher = new KeyHasher(BUCKET_BITS);
  private Connection connection;
  private Map<Integer, List<String>> replicas;

  AntiEntropyIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    connection =
        DriverManager.getConnection(
            "jdbc:zynamo://"
                + NodeSql.seeds(nodes.nodes())
                + "/postgres?replicas=3&readQuorum=2&writeQuorum=3&connectTimeout=1&bucketBits="
                + BUCKET_BITS,
            "postgres",
            "");
    replicas = new TreeMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT bucket, replicas FROM zynamo.buckets")) {
      while (rs.next()) {
        Array array = rs.getArray(2);
        replicas.put(rs.getInt(1), Arrays.asList((String[]) array.getArray()));
      }
    }
    assertEquals(16, replicas.size());
  }

  @AfterAll
  void disconnect() throws SQLException {
    connection.close();
  }

  @Test
  void agreeingReplicasAreComparedAndLeftAlone() throws SQLException {
    createFilled("agreeing", 1, 200);
    Map<String, Object> r = repair("'agreeing'");
    assertEquals(1L, r.get("tables"));
    assertEquals(16L, r.get("buckets"));
    assertEquals(0L, r.get("ranges_differing"));
    assertEquals(0L, r.get("rows_compared"));
    assertEquals(0L, r.get("rows_repaired"));
    assertEquals(0L, r.get("tombstones_removed"));
    assertEquals("", r.get("unreachable"));
    assertReplicasIdentical("agreeing");
  }

  @Test
  void missingStaleDeletedAndExtraRowsAreRepairedByVersion() throws SQLException {
    createFilled("diverged", 1, 40);
    // 1: a row missing on one replica.
    PostgresNode missing = replica(1, 0);
    direct(missing, "DELETE FROM diverged WHERE id = 1");
    // 2: an older version of a row on one replica.
    PostgresNode stale = replica(2, 1);
    direct(
        stale, "UPDATE diverged SET v = 'old', zynamo_version = zynamo_version - 1 WHERE id = 2");
    // 3: a deleted row whose tombstone exists on one replica only: another holds the old row, the
    // third neither row nor tombstone (it missed the insert and the delete).
    PostgresNode resurrected = replica(3, 2);
    String old = rowValues(resurrected, "diverged", 3);
    update("DELETE FROM diverged WHERE id = 3");
    direct(replica(3, 1), "DELETE FROM zynamo.tombstones WHERE table_name = 'public.diverged'");
    direct(
        resurrected,
        "DELETE FROM zynamo.tombstones WHERE table_name = 'public.diverged'",
        "INSERT INTO diverged (id, v, zynamo_bucket, zynamo_rowid, zynamo_version, zynamo_clock)"
            + " VALUES "
            + old);
    // 4: a row on one replica only, as if the other two missed its insert.
    long extra = 1000;
    direct(
        replica(extra, 2),
        "INSERT INTO diverged (id, v, zynamo_bucket, zynamo_version) VALUES ("
            + extra
            + ", 'extra', "
            + hasher.bucketOf(extra).value()
            + ", 1)");

    Map<String, Object> r = repair("'diverged'");
    long buckets =
        List.of(1L, 2L, 3L, extra).stream().map(k -> hasher.bucketOf(k).value()).distinct().count();
    assertEquals(buckets, r.get("ranges_differing"));
    assertEquals(1L + 1 + 2 + 2, r.get("rows_repaired"));
    assertEquals(0L, r.get("tombstones_removed"), "younger than the default grace, an hour");
    assertReplicasIdentical("diverged");
    assertEquals(List.of(), strings(resurrected, "SELECT 1 FROM diverged WHERE id = 3"));
    assertEquals(List.of("v2"), strings(stale, "SELECT v FROM diverged WHERE id = 2"));
    assertEquals(List.of("v1"), strings(missing, "SELECT v FROM diverged WHERE id = 1"));
    for (String node : replicas.get(hasher.bucketOf(3L).value())) {
      assertEquals(
          List.of("1"),
          strings(
              node(node),
              "SELECT count(*) FROM zynamo.tombstones WHERE table_name = 'public.diverged'"),
          node);
    }

    Map<String, Object> again = repair("'diverged'");
    assertEquals(0L, again.get("ranges_differing"));
    assertEquals(0L, again.get("rows_repaired"));
  }

  @Test
  void aBucketLargerThanALeafIsSplitAndOnlyTheDifferingRangeIsListed() throws SQLException {
    createFilled("large", 1, 16 * 700);
    long key = 4242;
    int bucket = hasher.bucketOf(key).value();
    long rows = Long.parseLong(count(replica(key, 0), "large", bucket));
    assertTrue(rows > 512, "bucket " + bucket + " holds " + rows + " rows (expected: > a leaf)");
    direct(replica(key, 0), "UPDATE large SET v = 'old', zynamo_version = 1 WHERE id = " + key);

    Map<String, Object> r = repair("'large'");
    assertEquals(1L, r.get("ranges_differing"));
    assertEquals(1L, r.get("rows_repaired"));
    long listed = (Long) r.get("rows_compared");
    assertTrue(listed < rows, "listed " + listed + " row states of a bucket of " + rows);
    assertReplicasIdentical("large");
  }

  @Test
  void aNodeThatCameBackEmptyIsRebuiltFromItsPeers() throws SQLException {
    createFilled("rebuilt", 1, 3000);
    update("DELETE FROM rebuilt WHERE id <= 100");
    PostgresNode wiped = nodes.node(3);
    String id = nodeId(wiped);
    long expected = 0;
    for (Map.Entry<Integer, List<String>> b : replicas.entrySet()) {
      if (b.getValue().contains(id)) {
        PostgresNode peer =
            node(b.getValue().stream().filter(n -> !n.equals(id)).findFirst().get());
        expected += Long.parseLong(count(peer, "rebuilt", b.getKey()));
        expected +=
            Long.parseLong(
                NodeSql.string(
                    peer,
                    "SELECT count(*) FROM zynamo.tombstones WHERE table_name = 'public.rebuilt'"
                        + " AND bucket = "
                        + b.getKey()));
      }
    }
    direct(
        wiped,
        "TRUNCATE rebuilt",
        "DELETE FROM zynamo.tombstones WHERE table_name = 'public.rebuilt'");

    Map<String, Object> r = repair("'rebuilt', '" + wiped.host() + ":" + wiped.port() + "'");
    assertEquals(expected, r.get("rows_repaired"));
    assertEquals(
        replicas.values().stream().filter(n -> n.contains(id)).count(), (long) r.get("buckets"));
    assertReplicasIdentical("rebuilt");
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rows_repaired, unreachable, finished IS NOT NULL FROM zynamo.repairs"
                    + " WHERE node = '"
                    + id
                    + "'")) {
      assertTrue(rs.next());
      assertEquals(expected, rs.getLong(1));
      assertFalse(rs.getBoolean(2));
      assertTrue(rs.getBoolean(3));
    }
  }

  @Test
  void aNodeDownDuringRepairIsSkippedAndReported() throws SQLException {
    createFilled("partial", 1, 300);
    PostgresNode down = nodes.node(1);
    String downId = nodeId(down);
    long key =
        java.util.stream.LongStream.rangeClosed(1, 300)
            .filter(k -> !replicas.get(hasher.bucketOf(k).value()).contains(downId))
            .findFirst()
            .orElseThrow();
    direct(replica(key, 2), "DELETE FROM partial WHERE id = " + key);
    down.stop();
    try {
      Map<String, Object> r = repair("'partial'");
      assertEquals(downId, r.get("unreachable"));
      assertEquals(16L, r.get("buckets"), "every bucket keeps two replicas up");
      assertEquals(0L, r.get("buckets_skipped"));
      assertEquals(1L, r.get("rows_repaired"));
      for (String node : replicas.get(hasher.bucketOf(key).value())) {
        assertEquals(
            List.of("v" + key),
            strings(node(node), "SELECT v FROM partial WHERE id = " + key),
            node);
      }

      nodes.node(2).stop();
      nodes.node(3).stop();
      try {
        SQLException nothing = assertThrows(SQLException.class, () -> repair("'partial'"));
        assertEquals("ZY001", nothing.getSQLState(), nothing.getMessage());
      } finally {
        nodes.node(2).start();
        nodes.node(3).start();
      }
    } finally {
      down.start();
      NodeSql.awaitEveryNodeUp(connection, nodes.nodes().size());
    }
  }

  @Test
  void referenceTablesAreComparedOnEveryNode() throws SQLException {
    update("CREATE TABLE codes (code int PRIMARY KEY, label text)");
    update("SELECT zynamo.reference('codes')");
    update("INSERT INTO codes SELECT g, 'c' || g FROM generate_series(1, 50) g");
    // W = 3 of 4 nodes: the fourth may still be applying the insert, and a direct change made
    // before its apply arrives would be overwritten by it, leaving one divergence, not two.
    awaitOnEveryNode("SELECT count(*) FROM codes", "50");
    direct(nodes.node(2), "DELETE FROM codes WHERE code = 7");
    direct(nodes.node(0), "UPDATE codes SET label = 'old', zynamo_version = 1 WHERE code = 8");
    Map<String, Object> r = repair("'codes'");
    assertEquals(1L, r.get("buckets"));
    assertEquals(2L, r.get("rows_repaired"));
    List<String> first = snapshot(nodes.node(0), "codes");
    assertEquals(50, first.size());
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(first, snapshot(node, "codes"), node.name());
    }
  }

  @Test
  void theProxyAnswersRepairAndRunsBackgroundPasses() throws Exception {
    createFilled("background", 1, 100);
    try (ProxyServer proxy =
            ProxyServer.start(
                ProxyFixture.config(nodes)
                    .withClusterProperties(
                        Map.of(
                            "replicas", "3",
                            "bucketBits", Integer.toString(BUCKET_BITS),
                            "writeQuorum", "3",
                            "repairInterval", "1",
                            "tombstoneGrace", "0")));
        Connection client =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres");
        Statement s = client.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT zynamo.repair('background')")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getLong("rows_repaired"));
        assertEquals(0, rs.getLong("tombstones_removed"));
        assertEquals(16, rs.getInt("buckets"));
      }
      s.execute("DELETE FROM background WHERE id = 6");
      long collected = System.nanoTime() + 20_000_000_000L;
      while (tombstones("background") > 0) {
        assertTrue(System.nanoTime() < collected, "cluster.tombstoneGrace = 0: none removed");
        Thread.sleep(200);
      }
      PostgresNode lagging = replica(5, 1);
      direct(lagging, "DELETE FROM background WHERE id = 5");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (strings(lagging, "SELECT v FROM background WHERE id = 5").isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "no background pass repaired the row in 20 s");
        Thread.sleep(200);
      }
      try (ResultSet rs =
          s.executeQuery("SELECT count(*), bool_or(unreachable) FROM zynamo.repairs")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getInt(1));
        assertFalse(rs.getBoolean(2));
      }
    }
    assertReplicasIdentical("background");
  }

  // ---------------------------------------------------------------------------------------------

  /** The table's tombstones, summed over the nodes. */
  private long tombstones(String table) throws SQLException {
    long sum = 0;
    for (PostgresNode node : nodes.nodes()) {
      sum +=
          Long.parseLong(
              NodeSql.string(
                  node,
                  "SELECT count(*) FROM zynamo.tombstones WHERE table_name = 'public."
                      + table
                      + "'"));
    }
    return sum;
  }

  /** A table sharded by id with rows first..last, v = 'v' || id, written through Zynamo. */
  private void createFilled(String table, int first, int last) throws SQLException {
    update("CREATE TABLE " + table + " (id bigint PRIMARY KEY, v text)");
    for (int from = first; from <= last; from += 1000) {
      int to = Math.min(last, from + 999);
      StringBuilder values = new StringBuilder();
      for (int id = from; id <= to; id++) {
        values.append(id == from ? "" : ", ").append("(").append(id).append(", 'v").append(id);
        values.append("')");
      }
      update("INSERT INTO " + table + " (id, v) VALUES " + values);
    }
  }

  private Map<String, Object> repair(String arguments) throws SQLException {
    return NodeSql.repair(connection, arguments);
  }

  private void update(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * Every bucket's replicas hold the same rows (all columns, internal ones included) and the same
   * tombstones; the other nodes hold nothing of the bucket.
   */
  private void assertReplicasIdentical(String table) throws SQLException {
    Map<String, Map<Integer, List<String>>> held = new HashMap<>();
    for (PostgresNode node : nodes.nodes()) {
      List<String> lines =
          new ArrayList<>(
              strings(
                  node,
                  "SELECT zynamo_bucket || ' ' || r::text FROM "
                      + table
                      + " r ORDER BY zynamo_rowid"));
      lines.addAll(
          strings(
              node,
              "SELECT bucket || ' deleted ' || rowid || ' ' || version || ' ' || clock"
                  + " FROM zynamo.tombstones WHERE table_name = 'public."
                  + table
                  + "' ORDER BY rowid"));
      held.put(
          nodeId(node),
          lines.stream().collect(Collectors.groupingBy(l -> Integer.parseInt(l.split(" ", 2)[0]))));
    }
    for (Map.Entry<Integer, List<String>> bucket : replicas.entrySet()) {
      Set<String> owners = Set.copyOf(bucket.getValue());
      List<String> expected = held.get(bucket.getValue().get(0)).get(bucket.getKey());
      for (Map.Entry<String, Map<Integer, List<String>>> node : held.entrySet()) {
        List<String> found = node.getValue().get(bucket.getKey());
        if (owners.contains(node.getKey())) {
          assertEquals(expected, found, "bucket " + bucket.getKey() + " on " + node.getKey());
        } else {
          assertNull(found, "bucket " + bucket.getKey() + " on " + node.getKey());
        }
      }
    }
    assertNotEquals(0, held.values().stream().mapToInt(Map::size).sum(), table + " is empty");
  }

  /** A row as the VALUES of an INSERT of every column, internal ones included. */
  private static String rowValues(PostgresNode node, String table, long id) throws SQLException {
    return NodeSql.string(
        node,
        "SELECT format('(%s, %L, %s, %L, %s, %L::jsonb)', id, v, zynamo_bucket, zynamo_rowid,"
            + " zynamo_version, zynamo_clock) FROM "
            + table
            + " WHERE id = "
            + id);
  }

  private static String count(PostgresNode node, String table, int bucket) throws SQLException {
    return NodeSql.string(
        node, "SELECT count(*) FROM " + table + " WHERE zynamo_bucket = " + bucket);
  }

  private static List<String> snapshot(PostgresNode node, String table) throws SQLException {
    return NodeSql.snapshot(node, table);
  }

  /** Writes to a node directly, around Zynamo's triggers, as a lost or stale replica would be. */
  private void awaitOnEveryNode(String query, String expected) throws SQLException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (PostgresNode node : nodes.nodes()) {
      while (!strings(node, query).equals(List.of(expected))) {
        assertTrue(System.nanoTime() < deadline, node.name() + ": " + strings(node, query));
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
      }
    }
  }

  private static void direct(PostgresNode node, String... statements) throws SQLException {
    String[] all = new String[statements.length + 1];
    all[0] = "SET zynamo.applying = 'on'";
    System.arraycopy(statements, 0, all, 1, statements.length);
    execute(node, all);
  }

  /** Replica {@code index} (in preference order) of the key's bucket. */
  private PostgresNode replica(long key, int index) {
    return node(replicas.get(hasher.bucketOf(key).value()).get(index));
  }

  private PostgresNode node(String id) {
    return nodes.nodes().stream().filter(n -> nodeId(n).equals(id)).findFirst().orElseThrow();
  }

  private static String nodeId(PostgresNode node) {
    return NodeId.of(node.host(), node.port(), node.database()).value();
  }
}
