package io.zynamo.it;

import static io.zynamo.it.NodeSql.execute;
import static io.zynamo.it.NodeSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.KeyHasher;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tombstone garbage collection by {@code SELECT zynamo.repair()} on 3 real nodes (N = 3, so every
 * node holds every bucket). Two connections share one cluster: {@code keeping} with the default
 * hour of {@code tombstoneGrace} and W = 3 (a write returns once every replica has it), {@code
 * collecting} with {@code tombstoneGrace=0} and W = 2 (writes go on with one node down and leave
 * hints). Hints move only when a test asks ({@code recoveryInterval=0}).
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TombstoneGcIT {

  private static final int BUCKET_BITS = 4;

  private final PostgresCluster nodes;
  private final KeyHasher hasher = new KeyHasher(BUCKET_BITS);
  private Connection collecting;
  private Connection keeping;

  TombstoneGcIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    String url =
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes())
            + "/postgres?user=postgres&replicas=3&readQuorum=1&connectTimeout=1"
            + "&recoveryInterval=0&bucketBits="
            + BUCKET_BITS;
    keeping = DriverManager.getConnection(url + "&writeQuorum=3");
    collecting = DriverManager.getConnection(url + "&writeQuorum=2&tombstoneGrace=0");
  }

  @AfterEach
  void restart() throws SQLException {
    boolean restarted = false;
    for (PostgresNode node : nodes.nodes()) {
      if (!node.isRunning()) {
        node.start();
        restarted = true;
      }
    }
    if (restarted) {
      NodeSql.awaitEveryNodeUp(keeping, nodes.nodes().size());
    }
  }

  @AfterAll
  void close() throws SQLException {
    collecting.close();
    keeping.close();
  }

  @Test
  void aPassWithoutGraceRemovesTheTombstonesFromEveryReplicaAndTheRowsStayDeleted()
      throws SQLException {
    createFilled("gone", 100);
    update(keeping, "DELETE FROM gone WHERE id <= 30");
    assertTombstones("gone", 30);

    Map<String, Object> kept = repair(keeping, "'gone'");
    assertEquals(0L, kept.get("tombstones_removed"), "younger than the hour of grace");
    assertTombstones("gone", 30);

    Map<String, Object> r = repair(collecting, "'gone'");
    assertEquals(0L, r.get("ranges_differing"));
    assertEquals(0L, r.get("rows_repaired"));
    assertEquals(30L * 3, r.get("tombstones_removed"));
    assertTombstones("gone", 0);
    assertDeletedEverywhere("gone", "id <= 30");
    assertReplicasIdentical("gone");

    Map<String, Object> again = repair(collecting, "'gone'");
    assertEquals(0L, again.get("ranges_differing"));
    assertEquals(0L, again.get("tombstones_removed"));
    assertEquals(70L, count(collecting, "SELECT count(*) FROM gone"));
    try (Statement s = keeping.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT sum(tombstones_removed), count(*) FROM zynamo.repairs")) {
      assertTrue(rs.next());
      assertEquals(0L, rs.getLong(1), "the last pass removed none");
      assertEquals(3, rs.getInt(2));
    }
  }

  @Test
  void aPassWithANodeDownRemovesNone() throws SQLException {
    createFilled("downed", 60);
    update(keeping, "DELETE FROM downed WHERE id <= 12");
    PostgresNode down = nodes.node(2);
    down.stop();
    Map<String, Object> r = repair(collecting, "'downed'");
    assertEquals(nodeId(down), r.get("unreachable"));
    assertEquals(0L, r.get("tombstones_removed"));
    for (PostgresNode node : nodes.nodes().subList(0, 2)) {
      assertEquals(12L, tombstones(node, "downed"), node.name());
    }
    down.start();
    NodeSql.awaitEveryNodeUp(keeping, nodes.nodes().size());

    Map<String, Object> back = repair(collecting, "'downed'");
    assertEquals("", back.get("unreachable"));
    assertEquals(12L * 3, back.get("tombstones_removed"));
    assertDeletedEverywhere("downed", "id <= 12");
    assertReplicasIdentical("downed");
  }

  @Test
  void pendingHintsBlockCollectionAndTheReplicaThatMissedTheDeleteStillGetsIt()
      throws SQLException {
    createFilled("hinted", 50);
    PostgresNode missed = nodes.node(1);
    missed.stop();
    update(collecting, "DELETE FROM hinted WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)");
    missed.start();
    NodeSql.awaitEveryNodeUp(keeping, nodes.nodes().size());
    assertEquals(10L, count(missed, "SELECT count(*) FROM hinted WHERE id <= 10"), "missed them");
    assertTrue(count(collecting, "SELECT coalesce(sum(hints), 0) FROM zynamo.hints") > 0);

    Map<String, Object> r = repair(collecting, "'hinted'");
    assertEquals(10L, r.get("rows_repaired"), "the deletions reach the replica that missed them");
    assertEquals(0L, r.get("tombstones_removed"), "hints for the table are pending");
    assertTombstones("hinted", 10);
    assertDeletedEverywhere("hinted", "id <= 10");
    assertEquals(0L, repair(collecting, "'hinted'").get("tombstones_removed"));

    update(collecting, "SELECT zynamo.handoff()");
    assertEquals(0L, count(collecting, "SELECT coalesce(sum(hints), 0) FROM zynamo.hints"));
    assertEquals(10L * 3, repair(collecting, "'hinted'").get("tombstones_removed"));
    assertTombstones("hinted", 0);
    assertDeletedEverywhere("hinted", "id <= 10");
    assertReplicasIdentical("hinted");
  }

  @Test
  void aStaleReplicaHoldingTheDeletedRowGetsTheDeletionBeforeAnyCollection() throws SQLException {
    createFilled("stale", 20);
    PostgresNode stale = nodes.node(0);
    String old = rowValues(stale, "stale", 5);
    update(keeping, "DELETE FROM stale WHERE id = 5");
    missTheDeletion(stale, old);

    Map<String, Object> graceRuns = repair(keeping, "'stale'");
    assertEquals(1L, graceRuns.get("rows_repaired"));
    assertEquals(0L, graceRuns.get("tombstones_removed"));
    assertDeletedEverywhere("stale", "id = 5");
    assertTombstones("stale", 1);

    missTheDeletion(stale, old);
    Map<String, Object> noGrace = repair(collecting, "'stale'");
    assertEquals(1L, noGrace.get("rows_repaired"), "the deletion wins, also without grace");
    assertEquals(0L, noGrace.get("tombstones_removed"), "the bucket differed: nothing collected");
    assertDeletedEverywhere("stale", "id = 5");
    assertTombstones("stale", 1);

    assertEquals(3L, repair(collecting, "'stale'").get("tombstones_removed"));
    assertDeletedEverywhere("stale", "id = 5");
    assertReplicasIdentical("stale");
  }

  @Test
  void aCollectionDoneOnOneReplicaOnlyIsSettledByTheNextPassesWithoutBringingRowsBack()
      throws SQLException {
    createFilled("halfway", 40);
    update(keeping, "DELETE FROM halfway WHERE id <= 10");
    PostgresNode collected = nodes.node(0);
    direct(collected, "DELETE FROM zynamo.tombstones WHERE table_name = 'public.halfway'");

    Map<String, Object> first = repair(collecting, "'halfway'");
    assertEquals(10L, first.get("rows_repaired"), "the tombstones are copied back, not the rows");
    assertEquals(0L, first.get("tombstones_removed"));
    assertDeletedEverywhere("halfway", "id <= 10");

    Map<String, Object> second = repair(collecting, "'halfway'");
    assertEquals(0L, second.get("rows_repaired"));
    assertEquals(10L * 3, second.get("tombstones_removed"));
    assertTombstones("halfway", 0);
    assertDeletedEverywhere("halfway", "id <= 10");
    assertReplicasIdentical("halfway");
    assertEquals(0L, repair(keeping, "'halfway'").get("ranges_differing"));
  }

  @Test
  void aRemovalFailingOnOneReplicaEndsNeitherThePassNorTheDeletions() throws SQLException {
    createFilled("failing", 30);
    update(keeping, "DELETE FROM failing WHERE id <= 6");
    PostgresNode broken = nodes.node(2);
    String function = "zynamo.collect_tombstones(regclass, smallint[], uuid[], uuid[], bigint)";
    execute(broken, "ALTER FUNCTION " + function + " RENAME TO collect_tombstones_gone");
    try {
      Map<String, Object> r = repair(collecting, "'failing'");
      assertEquals("", r.get("unreachable"));
      assertEquals(6L * 2, r.get("tombstones_removed"), "removed where the function ran");
      assertEquals(6L, tombstones(broken, "failing"));
    } finally {
      execute(
          broken,
          "ALTER FUNCTION zynamo.collect_tombstones_gone(regclass, smallint[], uuid[], uuid[],"
              + " bigint) RENAME TO collect_tombstones");
    }
    assertDeletedEverywhere("failing", "id <= 6");
    Map<String, Object> settle = repair(collecting, "'failing'");
    assertEquals(6L * 2, settle.get("rows_repaired"), "tombstones copied back, never rows");
    assertEquals(6L * 3, repair(collecting, "'failing'").get("tombstones_removed"));
    assertTombstones("failing", 0);
    assertDeletedEverywhere("failing", "id <= 6");
    assertReplicasIdentical("failing");
  }

  @Test
  void inABucketLargerThanALeafTheEqualRangesAreCollectedAndTheDifferingOneLater()
      throws SQLException {
    createFilled("large", 16 * 700);
    update(keeping, "DELETE FROM large WHERE id % 10 = 0");
    long key = 4243;
    int bucket = hasher.bucketOf(key).value();
    PostgresNode first = nodes.node(0);
    String digit =
        NodeSql.string(first, "SELECT left(zynamo_rowid::text, 1) FROM large WHERE id = " + key);
    String sibling =
        NodeSql.string(
            first,
            "SELECT min(id) FROM large WHERE zynamo_bucket = "
                + bucket
                + " AND left(zynamo_rowid::text, 1) = '"
                + digit
                + "' AND id <> "
                + key);
    update(keeping, "DELETE FROM large WHERE id = " + sibling);
    String inDifferingRange = "bucket = " + bucket + " AND left(rowid::text, 1) = '" + digit + "'";
    long total = tombstones(first, "large");
    long differing = tombstones(first, "large", inDifferingRange);
    assertTrue(differing >= 1 && differing < total, differing + " of " + total);
    assertTrue(
        count(first, "SELECT count(*) FROM large WHERE zynamo_bucket = " + bucket) > 512,
        "more than a leaf");
    direct(
        nodes.node(1),
        "UPDATE large SET v = 'old', zynamo_version = zynamo_version - 1 WHERE id = " + key);

    Map<String, Object> r = repair(collecting, "'large'");
    assertEquals(1L, r.get("ranges_differing"));
    assertEquals(1L, r.get("rows_repaired"));
    assertEquals(3 * (total - differing), r.get("tombstones_removed"));
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(differing, tombstones(node, "large"), node.name());
      assertEquals(differing, tombstones(node, "large", inDifferingRange), node.name());
    }

    assertEquals(3 * differing, repair(collecting, "'large'").get("tombstones_removed"));
    assertTombstones("large", 0);
    assertDeletedEverywhere("large", "id % 10 = 0 OR id = " + sibling);
    assertReplicasIdentical("large");
  }

  @Test
  void aReferenceTablesTombstonesAreCollectedOnEveryNode() throws SQLException {
    update(keeping, "CREATE TABLE codes (code int PRIMARY KEY, label text)");
    update(keeping, "SELECT zynamo.reference('codes')");
    update(keeping, "INSERT INTO codes SELECT g, 'c' || g FROM generate_series(1, 30) g");
    update(keeping, "DELETE FROM codes WHERE code IN (3, 4)");
    assertTombstones("codes", 2);
    Map<String, Object> r = repair(collecting, "'codes'");
    assertEquals(2L * 3, r.get("tombstones_removed"));
    assertTombstones("codes", 0);
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(28L, count(node, "SELECT count(*) FROM codes"), node.name());
    }
    assertReplicasIdentical("codes");
  }

  // ---------------------------------------------------------------------------------------------

  /** A table sharded by id with rows 1..last, v = 'v' || id, written through Zynamo. */
  private void createFilled(String table, int last) throws SQLException {
    update(keeping, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, v text)");
    update(
        keeping,
        "INSERT INTO " + table + " SELECT g, 'v' || g FROM generate_series(1, " + last + ") g");
  }

  /** Makes {@code stale} a replica that missed the deletion of the row {@code old} holds. */
  private static void missTheDeletion(PostgresNode stale, String old) throws SQLException {
    direct(
        stale,
        "DELETE FROM zynamo.tombstones WHERE table_name = 'public.stale'",
        "INSERT INTO stale (id, v, zynamo_bucket, zynamo_rowid, zynamo_version, zynamo_clock)"
            + " VALUES "
            + old);
  }

  private static Map<String, Object> repair(Connection c, String arguments) throws SQLException {
    return NodeSql.repair(c, arguments);
  }

  private static void update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  private static long count(PostgresNode node, String sql) throws SQLException {
    return Long.parseLong(NodeSql.string(node, sql));
  }

  private static long tombstones(PostgresNode node, String table) throws SQLException {
    return tombstones(node, table, "true");
  }

  private static long tombstones(PostgresNode node, String table, String where)
      throws SQLException {
    return count(
        node,
        "SELECT count(*) FROM zynamo.tombstones WHERE table_name = 'public."
            + table
            + "' AND "
            + where);
  }

  /** Every node (each holds every bucket) keeps {@code expected} tombstones of the table. */
  private void assertTombstones(String table, long expected) throws SQLException {
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(expected, tombstones(node, table), table + " on " + node.name());
    }
  }

  /** The deleted rows ({@code where}) are on no node, and a query through Zynamo finds none. */
  private void assertDeletedEverywhere(String table, String where) throws SQLException {
    String query = "SELECT count(*) FROM " + table + " WHERE " + where;
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(0L, count(node, query), table + " on " + node.name());
    }
    assertEquals(0L, count(collecting, query));
  }

  /**
   * Every node holds the same rows (internal columns included), the same tombstones and the same
   * hash of every bucket ({@code zynamo.range_hashes}, what anti-entropy compares).
   */
  private void assertReplicasIdentical(String table) throws SQLException {
    String hashes =
        "SELECT bucket || ' ' || rows || ' ' || hash FROM zynamo.range_hashes('"
            + table
            + "'::regclass, (SELECT array_agg(b::int2) FROM generate_series(0, 15) b),"
            + " NULL, NULL, -1) ORDER BY bucket";
    String deletions =
        "SELECT rowid || ' ' || version FROM zynamo.tombstones WHERE table_name = 'public."
            + table
            + "' ORDER BY rowid";
    PostgresNode first = nodes.node(0);
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(NodeSql.snapshot(first, table), NodeSql.snapshot(node, table), node.name());
      assertEquals(strings(first, deletions), strings(node, deletions), node.name());
      assertEquals(strings(first, hashes), strings(node, hashes), node.name());
    }
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

  /** Writes to a node directly, around Zynamo's triggers, as a lost or stale replica would be. */
  private static void direct(PostgresNode node, String... statements) throws SQLException {
    String[] all = new String[statements.length + 1];
    all[0] = "SET zynamo.applying = 'on'";
    System.arraycopy(statements, 0, all, 1, statements.length);
    execute(node, all);
  }

  private static String nodeId(PostgresNode node) {
    return NodeId.of(node.host(), node.port(), node.database()).value();
  }
}
