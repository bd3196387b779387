package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The driver as an application sees it: plain JDBC on a jdbc:zynamo URL over 3 real nodes. */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriverIT {

  private final PostgresCluster nodes;
  private Connection connection;

  DriverIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    String seeds = NodeSql.seeds(nodes.nodes());
    connection =
        DriverManager.getConnection(
            "jdbc:zynamo://" + seeds + "/postgres?replicas=3&readQuorum=2&writeQuorum=2",
            "postgres",
            "");
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TABLE accounts (id uuid PRIMARY KEY, owner text NOT NULL, balance numeric(12,2),"
              + " active boolean, opened date, updated timestamptz DEFAULT now(), photo bytea,"
              + " prefs jsonb)");
    }
  }

  @AfterAll
  void disconnect() throws SQLException {
    connection.close();
  }

  /**
   * A write of one statement commits in the round trip that collects its row images: an error
   * raised only at COMMIT (a deferred constraint trigger) still fails the statement, with the
   * trigger's SQLState, and leaves the row on no node; a write that commits is on every replica.
   */
  @Test
  void anErrorAtCommitFailsTheWriteOnEveryNode() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE deferred_check (id bigint PRIMARY KEY, v int)");
      s.execute(
          "CREATE FUNCTION deferred_check_v() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
              + " IF NEW.v < 0 THEN RAISE EXCEPTION 'v is negative' USING ERRCODE = '23514';"
              + " END IF; RETURN NEW; END $$");
      s.execute(
          "CREATE CONSTRAINT TRIGGER deferred_check_v AFTER INSERT OR UPDATE ON deferred_check"
              + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION deferred_check_v()");
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("INSERT INTO deferred_check VALUES (1, -1)"));
      assertEquals("23514", e.getSQLState(), e.getMessage());
      assertEquals(1, s.executeUpdate("INSERT INTO deferred_check VALUES (2, 5)"));
      assertEquals(
          "23514",
          assertThrows(
                  SQLException.class,
                  () -> s.executeUpdate("UPDATE deferred_check SET v = -5 WHERE id = 2"))
              .getSQLState());
    }
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(
          List.of("2|5"),
          NodeSql.strings(node, "SELECT id || '|' || v FROM deferred_check ORDER BY id"),
          node.toString());
      assertEquals(
          "0", NodeSql.string(node, "SELECT count(*) FROM zynamo.changes"), "nothing left over");
    }
    try (Statement s = connection.createStatement()) {
      s.execute("DROP TABLE deferred_check");
      s.execute("DROP FUNCTION deferred_check_v()");
    }
  }

  @Test
  void preparedStatementsRoundTripCommonTypes() throws SQLException {
    UUID id = UUID.randomUUID();
    OffsetDateTime at = OffsetDateTime.of(2026, 11, 23, 10, 0, 0, 0, ZoneOffset.UTC);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO accounts (id, owner, balance, active, opened, updated, photo, prefs)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      insert.setObject(1, id);
      insert.setString(2, "ada");
      insert.setBigDecimal(3, new BigDecimal("12.50"));
      insert.setBoolean(4, true);
      insert.setObject(5, LocalDate.of(2026, 1, 2));
      insert.setObject(6, at);
      insert.setBytes(7, new byte[] {1, 2, 3});
      insert.setString(8, "{\"theme\": \"dark\"}");
      assertEquals(1, insert.executeUpdate());
    }
    try (PreparedStatement select =
        connection.prepareStatement("SELECT * FROM accounts WHERE id = ?")) {
      select.setObject(1, id);
      try (ResultSet rs = select.executeQuery()) {
        assertEquals(8, rs.getMetaData().getColumnCount());
        assertTrue(rs.next());
        assertEquals("ada", rs.getString("owner"));
        assertEquals(new BigDecimal("12.50"), rs.getBigDecimal("balance"));
        assertTrue(rs.getBoolean("active"));
        assertEquals(LocalDate.of(2026, 1, 2), rs.getObject("opened", LocalDate.class));
        assertEquals(at.toInstant(), rs.getObject("updated", OffsetDateTime.class).toInstant());
        assertArrayEquals(new byte[] {1, 2, 3}, rs.getBytes("photo"));
        assertEquals("{\"theme\": \"dark\"}", rs.getString("prefs"));
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void generatedKeysAndBatchesWork() throws SQLException {
    UUID first = UUID.randomUUID();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO accounts (id, owner) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      insert.setObject(1, first);
      insert.setString(2, "grace");
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        assertTrue(keys.next());
        assertEquals(first, keys.getObject("id", UUID.class));
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO accounts (id, owner) VALUES (?, ?)")) {
      for (int i = 0; i < 5; i++) {
        insert.setObject(1, UUID.randomUUID());
        insert.setString(2, "batch " + i);
        insert.addBatch();
      }
      assertArrayEquals(new int[] {1, 1, 1, 1, 1}, insert.executeBatch());
    }
  }

  @Test
  void updatesAndDeletesByKey() throws SQLException {
    UUID id = UUID.randomUUID();
    try (Statement s = connection.createStatement()) {
      s.executeUpdate("INSERT INTO accounts (id, owner) VALUES ('" + id + "', 'linus')");
      assertEquals(1, s.executeUpdate("UPDATE accounts SET owner = 'li' WHERE id = '" + id + "'"));
      try (ResultSet rs = s.executeQuery("SELECT owner FROM accounts WHERE id = '" + id + "'")) {
        assertTrue(rs.next());
        assertEquals("li", rs.getString(1));
      }
      assertEquals(1, s.executeUpdate("DELETE FROM accounts WHERE id = '" + id + "'"));
      try (ResultSet rs = s.executeQuery("SELECT owner FROM accounts WHERE id = '" + id + "'")) {
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void metadataListsTheUsersTablesAndColumnsOnly() throws SQLException {
    java.sql.DatabaseMetaData meta = connection.getMetaData();
    java.util.List<String> tables = new java.util.ArrayList<>();
    try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME"));
      }
    }
    assertEquals(java.util.List.of("public.accounts"), tables);
    java.util.List<String> columns = new java.util.ArrayList<>();
    try (ResultSet rs = meta.getColumns(null, "public", "accounts", "%")) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
      }
    }
    assertEquals(
        java.util.List.of(
            "id", "owner", "balance", "active", "opened", "updated", "photo", "prefs"),
        columns);
    try (ResultSet rs = meta.getSchemas()) {
      while (rs.next()) {
        assertFalse("zynamo".equals(rs.getString("TABLE_SCHEM")));
      }
    }
  }

  @Test
  void whatIsNotSupportedYetFailsClearly() throws SQLException {
    try (Statement s = connection.createStatement()) {
      SQLException copy =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("INSERT INTO accounts SELECT * FROM accounts"));
      assertEquals("23505", copy.getSQLState(), "the same keys again, as PostgreSQL answers");
      SQLException from =
          assertThrows(
              SQLException.class,
              () ->
                  s.executeUpdate(
                      "UPDATE accounts SET owner = a.owner FROM accounts a WHERE a.id = accounts.id"));
      assertEquals("0A000", from.getSQLState());
      // Nothing that would outlive the statement reaches a pooled node connection.
      assertEquals(
          "0A000",
          assertThrows(SQLException.class, () -> s.execute("SET search_path = nowhere"))
              .getSQLState());
      assertEquals(
          "25P01", assertThrows(SQLException.class, () -> s.execute("SAVEPOINT a")).getSQLState());
      s.execute("COMMIT");
      s.execute("ROLLBACK");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM accounts")) {
        assertTrue(rs.next(), "the session still works on every node connection");
      }
    }
  }

  /**
   * A column added after the table was distributed comes after Zynamo's internal columns on the
   * nodes; a positional INSERT still fills the user's columns in the order the user sees them.
   */
  @Test
  void positionalInsertsFillColumnsAddedLater() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("CREATE TABLE widened (id int PRIMARY KEY, a text)");
      s.execute("ALTER TABLE widened ADD COLUMN b int DEFAULT 5");
      s.execute("ALTER TABLE widened ADD COLUMN c text");
      assertEquals(1, s.executeUpdate("INSERT INTO widened VALUES (1, 'x', 7, 'seven')"));
      assertEquals(2, s.executeUpdate("INSERT INTO widened VALUES (2, 'y', 8), (3, 'z', 9)"));
      assertEquals(1, s.executeUpdate("INSERT INTO widened AS w VALUES (4)"));
      try (PreparedStatement p =
          connection.prepareStatement("INSERT INTO widened VALUES (?, ?, ?, ?)")) {
        p.setInt(1, 5);
        p.setString(2, "p");
        p.setInt(3, 10);
        p.setString(4, "ten");
        assertEquals(1, p.executeUpdate());
      }
      SQLException tooMany =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("INSERT INTO widened VALUES (6, 'q', 1, 'r', 99)"));
      assertEquals("42601", tooMany.getSQLState(), tooMany.toString());
      s.execute("CREATE TABLE widened_ref (id int PRIMARY KEY, a text)");
      s.execute("SELECT zynamo.reference('widened_ref')");
      s.execute("ALTER TABLE widened_ref ADD COLUMN b int");
      assertEquals(
          1, s.executeUpdate("INSERT INTO widened_ref SELECT 1, 'r', 11")); // reference: any node
    }
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(
          List.of("1|r|11"),
          NodeSql.strings(node, "SELECT id || '|' || a || '|' || b FROM widened_ref"),
          node.name());
    }
    List<String> expected =
        List.of("1|x|7|seven", "2|y|8|null", "3|z|9|null", "4|null|5|null", "5|p|10|ten");
    String query =
        "SELECT id || '|' || coalesce(a, 'null') || '|' || b || '|' || coalesce(c, 'null') FROM widened ORDER BY id";
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(expected, NodeSql.strings(node, query), node.name());
    }
  }
}
