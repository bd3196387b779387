package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.KeyHasher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Statements whose keys fall in several buckets (multi-row INSERT, {@code key IN (...)}), compared
 * with one plain PostgreSQL: node 0 is the plain server, nodes 1-4 a Zynamo cluster with N=3, R=2,
 * W=2, node 5 a 1-node Zynamo cluster. Each statement runs on all three, and the answers must be
 * equal.
 */
@ZynamoCluster(nodes = 6)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiBucketIT {

  private static final String TABLE =
      "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL,"
          + " qty int NOT NULL CHECK (qty >= 0), tag text DEFAULT 'none')";

  private final PostgresCluster nodes;
  private Connection plain;
  private Connection zynamo;
  private Connection single;
  private List<Connection> clusters;

  MultiBucketIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    plain = DriverManager.getConnection(nodes.node(0).jdbcUrl(), "postgres", "");
    String seeds = NodeSql.seeds(nodes.nodes().subList(1, 5));
    zynamo =
        DriverManager.getConnection(
            "jdbc:zynamo://"
                + seeds
                + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=2");
    PostgresNode alone = nodes.node(5);
    single =
        DriverManager.getConnection(
            "jdbc:zynamo://" + alone.host() + ":" + alone.port() + "/postgres?user=postgres");
    clusters = List.of(zynamo, single);
    both(TABLE);
  }

  @AfterAll
  void disconnect() throws SQLException {
    zynamo.close();
    single.close();
    plain.close();
  }

  @Test
  void multiRowInsertsLandOnEveryRowsOwnBucket() throws SQLException {
    String values =
        LongStream.rangeClosed(1, 60)
            .mapToObj(i -> "(" + i + ", 'n" + i + "', " + i % 7 + ")")
            .collect(Collectors.joining(", "));
    assertEquals(60, bothCount("INSERT INTO items (id, name, qty) VALUES " + values));
    // Without a column list the key is found by position; RETURNING comes from every bucket.
    assertSameRows(
        "INSERT INTO items VALUES (61, 'p', 1, 'x'), (62, 'q', 2, DEFAULT), (63, 'r', 3, 'y')"
            + " RETURNING id, tag");
    assertSameRows("SELECT id, name, qty, tag FROM items WHERE id IN (" + ids(1, 63) + ")");
    KeyHasher hasher = new KeyHasher(8); // the default 256 buckets
    assertTrue(
        LongStream.rangeClosed(1, 63).mapToObj(hasher::bucketOf).distinct().count() > 40,
        "the keys spread over many buckets");
    // Every row has exactly N = 3 copies among the four Zynamo nodes.
    for (long id = 1; id <= 63; id++) {
      int copies = 0;
      for (PostgresNode node : nodes.nodes().subList(1, 5)) {
        copies += direct(node, "SELECT id FROM items WHERE id = " + id).size();
      }
      assertEquals(3, copies, "copies of id " + id);
    }
  }

  @Test
  void placeholdersFollowTheirRowsIntoEachBucketsPiece() throws SQLException {
    String sql = "INSERT INTO items (id, name, qty) VALUES (?, ?, ?), (?, ?, ?), (?, 'lit?', ?)";
    for (Connection c : List.of(plain, zynamo, single)) {
      try (PreparedStatement s = c.prepareStatement(sql)) {
        Object[] values = {101L, "a", 1, 102L, "b", 2, 103L, 3};
        for (int i = 0; i < values.length; i++) {
          s.setObject(i + 1, values[i]);
        }
        assertEquals(3, s.executeUpdate());
      }
    }
    String select = "SELECT id, name, qty FROM items WHERE id IN (?, ?, ?, ?)";
    for (Connection c : clusters) {
      assertEquals(
          rowsOf(plain, select, 101L, 102L, 103L, 999L), rowsOf(c, select, 101L, 102L, 103L, 999L));
    }
    assertEquals(3, rowsOf(zynamo, select, 101L, 102L, 103L, 999L).size());
  }

  @Test
  void updatesAndDeletesByKeyListCountLogicalRows() throws SQLException {
    both(
        "INSERT INTO items (id, name, qty) VALUES "
            + LongStream.rangeClosed(201, 240)
                .mapToObj(i -> "(" + i + ", 'm', 1)")
                .collect(Collectors.joining(", ")));
    assertEquals(
        20, bothCount("UPDATE items SET qty = qty + 5 WHERE id IN (" + ids(201, 220) + ", 999)"));
    assertSameRows("UPDATE items SET tag = 'r' WHERE id IN (221, 222, 223) RETURNING id, qty, tag");
    assertEquals(10, bothCount("DELETE FROM items WHERE id IN (" + ids(231, 240) + ")"));
    assertSameRows("SELECT id, qty, tag FROM items WHERE id IN (" + ids(201, 240) + ")");
  }

  @Test
  void anErrorInOneBucketsPieceRollsBackEveryPiece() throws SQLException {
    String sql =
        "INSERT INTO items (id, name, qty) VALUES "
            + LongStream.rangeClosed(301, 330)
                .mapToObj(i -> "(" + i + ", 'e', " + (i == 329 ? -1 : 1) + ")")
                .collect(Collectors.joining(", "));
    SQLException onPlain = assertThrows(SQLException.class, () -> count(plain, sql));
    for (Connection c : clusters) {
      SQLException onZynamo = assertThrows(SQLException.class, () -> count(c, sql));
      assertEquals(onPlain.getSQLState(), onZynamo.getSQLState());
    }
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(
          List.of(),
          direct(node, "SELECT id FROM items WHERE id BETWEEN 301 AND 330"),
          node.name());
    }
  }

  @Test
  void queriesThatNeedAMergeAreFinishedAsOnePostgreSQLWould() throws SQLException {
    both("INSERT INTO items (id, name, qty) VALUES (401, 'a', 1), (402, 'b', 2), (403, 'c', 2)");
    for (String query :
        List.of(
            "SELECT count(*) FROM items WHERE id IN (401, 402, 403)",
            "SELECT DISTINCT qty FROM items WHERE id IN (401, 402, 403)",
            "SELECT max(qty), string_agg(name, ',' ORDER BY name) FROM items WHERE id IN (401, 403)",
            "SELECT id, sum(qty) OVER () FROM items WHERE id IN (401, 402, 403)")) {
      assertSameRows(query);
    }
    for (String ordered :
        List.of(
            "SELECT id FROM items WHERE id IN (401, 402, 403) ORDER BY id DESC",
            "SELECT id FROM items WHERE id IN (401, 402, 403) ORDER BY id LIMIT 2")) {
      List<String> expected = unsortedRowsOf(plain, ordered);
      for (Connection c : clusters) {
        assertEquals(expected, unsortedRowsOf(c, ordered), ordered);
      }
    }
    // Scalar functions are no aggregates: the rows concatenate.
    assertSameRows(
        "SELECT id, upper(name), qty IS DISTINCT FROM 2 FROM items WHERE id IN (401, 402, 403)");
  }

  @Test
  void updatesAndDeletesWithoutAShardKeyChangeEveryRowOnce() throws SQLException {
    both(
        "INSERT INTO items (id, name, qty) VALUES "
            + LongStream.rangeClosed(701, 760)
                .mapToObj(i -> "(" + i + ", 'k" + i % 4 + "', " + i % 3 + ")")
                .collect(Collectors.joining(", ")));
    assertEquals(20, bothCount("UPDATE items SET tag = 'zero' WHERE qty = 0 AND id > 700"));
    assertSameRows("UPDATE items SET qty = qty + 10 WHERE name = 'k1' RETURNING id, qty");
    assertEquals(15, bothCount("DELETE FROM items WHERE name = 'k2'"));
    assertSameRows("SELECT id, name, qty, tag FROM items WHERE id > 700");
    // Every remaining row: 3 identical copies on the 4-node cluster.
    for (long id = 701; id <= 760; id++) {
      List<String> copies = new ArrayList<>();
      for (PostgresNode node : nodes.nodes().subList(1, 5)) {
        copies.addAll(
            direct(
                node,
                "SELECT concat_ws(' ', qty, tag, zynamo_version) FROM items WHERE id = " + id));
      }
      assertEquals(id % 4 == 2 ? 0 : 3, copies.size(), "copies of " + id);
      assertEquals(copies.isEmpty() ? 0 : 1, new HashSet<>(copies).size(), "copies of " + id);
    }
  }

  @Test
  void aUniqueIndexWithoutTheShardKeyIsRefusedLaterToo() throws SQLException {
    for (Connection c : clusters) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE uniq (id bigint PRIMARY KEY, email text, v int)");
        s.execute("INSERT INTO uniq VALUES (1, 'a', 1), (2, 'b', 2)");
        for (String ddl :
            List.of(
                "ALTER TABLE uniq ADD CONSTRAINT one_email UNIQUE (email)",
                "CREATE UNIQUE INDEX uniq_email ON uniq (email)",
                "ALTER TABLE uniq DROP COLUMN id CASCADE")) {
          SQLException e = assertThrows(SQLException.class, () -> s.execute(ddl), ddl);
          assertTrue(
              List.of("ZY005", "42703").contains(e.getSQLState()), ddl + ": " + e.getMessage());
        }
        s.execute("CREATE UNIQUE INDEX uniq_id_email ON uniq (id, email)");
        s.execute("ALTER TABLE uniq ADD COLUMN w int DEFAULT 7");
        assertEquals(1, s.executeUpdate("UPDATE uniq SET v = 5 WHERE id = 2"));
      }
      assertEquals(List.of("1|a|1|7", "2|b|5|7"), rowsOf(c, "SELECT * FROM uniq"));
    }
  }

  @Test
  void generatedKeysOfAMultiRowInsertComeFromEveryBucket() throws SQLException {
    Set<Long> keys = new HashSet<>();
    try (PreparedStatement s =
        zynamo.prepareStatement(
            "INSERT INTO items (id, name, qty) VALUES (501, 'g', 1), (502, 'g', 1), (503, 'g', 1)",
            Statement.RETURN_GENERATED_KEYS)) {
      assertEquals(3, s.executeUpdate());
      try (ResultSet rs = s.getGeneratedKeys()) {
        while (rs.next()) {
          keys.add(rs.getLong("id"));
        }
      }
    }
    assertEquals(Set.of(501L, 502L, 503L), keys);
  }

  @Test
  void distributeAndReferenceChooseHowATableIsPlaced() throws SQLException {
    both("CREATE TABLE events (id bigint, user_id bigint NOT NULL, what text)");
    for (Connection c : clusters) {
      assertEquals(List.of(""), rowsOf(c, "SELECT zynamo.distribute('events', 'user_id')"));
    }
    both("INSERT INTO events VALUES (1, 7, 'a'), (2, 7, 'b'), (3, 8, 'c')");
    assertSameRows("SELECT id, what FROM events WHERE user_id = 7");
    assertSameRows("SELECT id, what FROM events WHERE id = 1");
    for (PostgresNode node : nodes.nodes().subList(1, 6)) {
      assertEquals(
          List.of("user_id"),
          direct(node, "SELECT shard_column FROM zynamo.tables WHERE name = 'public.events'"),
          node.name());
    }
    SQLException loaded =
        assertThrows(SQLException.class, () -> rowsOf(zynamo, "SELECT zynamo.reference('events')"));
    assertEquals("55000", loaded.getSQLState(), loaded.getMessage());

    both("CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL)");
    for (Connection c : clusters) {
      assertEquals(List.of(""), rowsOf(c, "SELECT zynamo.reference('public.Countries')"));
    }
    both("INSERT INTO countries VALUES ('FR', 'France'), ('JP', 'Japan')");
    assertSameRows("SELECT code, name FROM countries");
    for (PostgresNode node : nodes.nodes().subList(1, 5)) {
      assertEquals(List.of("FR", "JP"), direct(node, "SELECT code FROM countries"), node.name());
    }
    both("ALTER TABLE countries ADD UNIQUE (name)");
    for (Connection c : List.of(plain, zynamo, single)) {
      SQLException duplicate =
          assertThrows(
              SQLException.class, () -> count(c, "INSERT INTO countries VALUES ('XX', 'Japan')"));
      assertEquals("23505", duplicate.getSQLState(), duplicate.getMessage());
    }
    SQLException unique =
        assertThrows(
            SQLException.class,
            () -> rowsOf(zynamo, "SELECT zynamo.distribute('countries', 'name')"));
    assertEquals("ZY005", unique.getSQLState(), unique.getMessage());
    SQLException arity =
        assertThrows(
            SQLException.class, () -> rowsOf(zynamo, "SELECT zynamo.distribute('countries')"));
    assertEquals("42601", arity.getSQLState(), arity.getMessage());
  }

  @Test
  void aBatchOfKeyWritesAppliesWhollyOrNotAtAll() throws SQLException {
    for (Connection c : List.of(plain, zynamo, single)) {
      try (PreparedStatement insert =
              c.prepareStatement("INSERT INTO items (id, name, qty) VALUES (?, ?, ?)");
          PreparedStatement update = c.prepareStatement("UPDATE items SET qty = ? WHERE id = ?")) {
        for (long id = 601; id <= 640; id++) {
          insert.setLong(1, id);
          insert.setString(2, "b" + id);
          insert.setInt(3, 1);
          insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        assertEquals(40, java.util.Arrays.stream(counts).filter(n -> n == 1).count(), c.toString());
        for (long id = 601; id <= 645; id++) {
          update.setInt(1, (int) id % 5);
          update.setLong(2, id);
          update.addBatch();
        }
        assertEquals(40, java.util.Arrays.stream(update.executeBatch()).sum(), c.toString());
        // Entry 20 violates the CHECK: pgjdbc's implicit batch transaction keeps none of them.
        for (long id = 651; id <= 680; id++) {
          insert.setLong(1, id);
          insert.setString(2, "f");
          insert.setInt(3, id == 670 ? -1 : 1);
          insert.addBatch();
        }
        SQLException failed = assertThrows(SQLException.class, insert::executeBatch);
        assertEquals("23514", failed.getSQLState(), failed.getMessage());
      }
    }
    assertSameRows("SELECT id, name, qty FROM items WHERE id IN (" + ids(601, 680) + ")");
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(
          List.of(),
          direct(node, "SELECT id FROM items WHERE id BETWEEN 651 AND 680"),
          node.name());
    }
  }

  private static String ids(long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(Long::toString)
        .collect(Collectors.joining(", "));
  }

  private void both(String sql) throws SQLException {
    for (Connection c : List.of(plain, zynamo, single)) {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }
  }

  private long bothCount(String sql) throws SQLException {
    long expected = count(plain, sql);
    for (Connection c : clusters) {
      assertEquals(expected, count(c, sql), sql);
    }
    return expected;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeLargeUpdate(sql);
    }
  }

  private void assertSameRows(String sql) throws SQLException {
    List<String> expected = rowsOf(plain, sql);
    for (Connection c : clusters) {
      assertEquals(expected, rowsOf(c, sql), sql);
    }
  }

  /** The rows as text, sorted: the order of rows from several buckets is not defined. */
  private static List<String> rowsOf(Connection c, String sql, Object... parameters)
      throws SQLException {
    List<String> rows = unsortedRowsOf(c, sql, parameters);
    rows.sort(null);
    return rows;
  }

  /** The rows as text, in the order the query gave them. */
  private static List<String> unsortedRowsOf(Connection c, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      if (!s.execute()) {
        return new ArrayList<>();
      }
      try (ResultSet rs = s.getResultSet()) {
        return NodeSql.rows(rs);
      }
    }
  }

  private static List<String> direct(PostgresNode node, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(node.jdbcUrl(), "postgres", "")) {
      return rowsOf(c, sql);
    }
  }
}
