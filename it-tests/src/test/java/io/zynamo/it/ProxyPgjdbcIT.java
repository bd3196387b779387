package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** pgjdbc, unmodified, through the proxy in front of 3 real nodes (extended protocol). */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyPgjdbcIT {

  private final PostgresCluster nodes;
  private ProxyServer proxy;
  private Connection connection;

  ProxyPgjdbcIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start() throws Exception {
    proxy = ProxyServer.start(ProxyFixture.config(nodes));
    connection = connect("");
    try (Statement s = connection.createStatement()) {
      s.execute(
          "CREATE TABLE accounts (id uuid PRIMARY KEY, owner text NOT NULL, balance numeric(12,2),"
              + " active boolean, opened date, updated timestamptz, seen timestamp, photo bytea,"
              + " prefs jsonb, visits bigint, score double precision, tags text[])");
      s.execute("CREATE TABLE counters (id int PRIMARY KEY, n int)");
    }
  }

  private Connection connect(String options) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres" + options);
  }

  @AfterAll
  void stop() throws SQLException {
    connection.close();
    proxy.close();
  }

  /**
   * A bigserial key through the proxy: pgjdbc's getGeneratedKeys (RETURNING added by pgjdbc), a
   * batch, bound parameters as {@code $n}, prepared on the server after a few executions; every key
   * distinct and found again by key, and currval as in PostgreSQL.
   */
  @Test
  void serialKeysThroughTheProxy() throws SQLException {
    try (Connection c = connect("&prepareThreshold=2");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tickets (id bigserial PRIMARY KEY, title text NOT NULL)");
      List<Long> keys = new ArrayList<>();
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO tickets (title) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
        for (int i = 0; i < 6; i++) {
          insert.setString(1, "t" + i);
          assertEquals(1, insert.executeUpdate());
          try (ResultSet generated = insert.getGeneratedKeys()) {
            assertTrue(generated.next());
            keys.add(generated.getLong("id"));
          }
        }
        for (int i = 6; i < 10; i++) {
          insert.setString(1, "t" + i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), keys);
      try (ResultSet rs = s.executeQuery("SELECT currval('tickets_id_seq')")) {
        assertTrue(rs.next());
        assertEquals(10L, rs.getLong(1));
      }
      try (PreparedStatement byKey = c.prepareStatement("SELECT title FROM tickets WHERE id = ?")) {
        for (long id = 1; id <= 10; id++) {
          byKey.setLong(1, id);
          try (ResultSet rs = byKey.executeQuery()) {
            assertTrue(rs.next(), "ticket " + id);
            assertEquals("t" + (id - 1), rs.getString(1));
          }
        }
      }
    }
  }

  /**
   * pgjdbc's own transactions through the proxy: autocommit off, a failed statement, a savepoint,
   * and a cursor fetch (fetch size, so Execute with a row limit) that spans several Syncs inside
   * the transaction.
   */
  @Test
  void pgjdbcTransactionsSavepointsAndCursorFetches() throws SQLException {
    try (Connection c = connect("")) {
      c.setAutoCommit(false);
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO counters VALUES (?, ?)")) {
        for (int id = 5000; id < 5040; id++) {
          insert.setInt(1, id);
          insert.setInt(2, id % 7);
          insert.executeUpdate();
        }
      }
      java.sql.Savepoint sp = c.setSavepoint();
      try (Statement s = c.createStatement()) {
        s.executeUpdate("UPDATE counters SET n = -1 WHERE id = 5000");
        assertThrows(
            SQLException.class, () -> s.executeUpdate("INSERT INTO counters VALUES (5001, 0)"));
        c.rollback(sp);
        try (PreparedStatement read =
            c.prepareStatement("SELECT id, n FROM counters WHERE id IN (5000, 5001, 5002)")) {
          read.setFetchSize(1);
          int rows = 0;
          try (ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
              rows++;
              assertEquals(rs.getInt(1) % 7, rs.getInt(2));
            }
          }
          assertEquals(3, rows);
        }
      }
      c.commit();
      try (Connection other = connect("");
          Statement s = other.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), sum(n) FROM counters WHERE id BETWEEN 5000 AND 5039")) {
        assertTrue(rs.next());
        assertEquals(40, rs.getInt(1));
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM counters WHERE id = 5000");
        c.rollback();
      }
      c.setAutoCommit(true);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = 5000")) {
        assertTrue(rs.next(), "the rolled back DELETE left the row");
      }
    }
  }

  @Test
  void preparedStatementsRoundTripCommonTypes() throws SQLException {
    UUID id = UUID.randomUUID();
    OffsetDateTime at = OffsetDateTime.of(2026, 11, 23, 10, 0, 0, 123456000, ZoneOffset.UTC);
    LocalDateTime seen = LocalDateTime.of(1999, 12, 31, 23, 59, 59, 500000000);
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO accounts (id, owner, balance, active, opened, updated, seen, photo, prefs,"
                + " visits, score, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)")) {
      insert.setObject(1, id);
      insert.setString(2, "ada");
      insert.setBigDecimal(3, new BigDecimal("-12345.50"));
      insert.setBoolean(4, true);
      insert.setObject(5, LocalDate.of(2026, 1, 2));
      insert.setObject(6, at);
      insert.setObject(7, seen);
      insert.setBytes(8, new byte[] {1, 2, 3, (byte) 0xff});
      insert.setString(9, "{\"theme\": \"dark\"}");
      insert.setLong(10, 1L << 40);
      insert.setDouble(11, 0.1);
      insert.setArray(12, connection.createArrayOf("text", new String[] {"a", "b c"}));
      assertEquals(1, insert.executeUpdate());
    }
    // prepareThreshold=1: pgjdbc uses a named statement and binary results at once.
    for (String options : List.of("", "&prepareThreshold=1", "&prepareThreshold=-1")) {
      try (Connection c = connect(options);
          PreparedStatement select = c.prepareStatement("SELECT * FROM accounts WHERE id = ?")) {
        for (int round = 0; round < 3; round++) {
          select.setObject(1, id);
          try (ResultSet rs = select.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            assertEquals(12, meta.getColumnCount());
            assertEquals("uuid", meta.getColumnTypeName(1));
            assertEquals("numeric", meta.getColumnTypeName(3));
            assertTrue(rs.next());
            assertEquals(id, rs.getObject("id", UUID.class));
            assertEquals("ada", rs.getString("owner"));
            assertEquals(new BigDecimal("-12345.50"), rs.getBigDecimal("balance"));
            assertTrue(rs.getBoolean("active"));
            assertEquals(LocalDate.of(2026, 1, 2), rs.getObject("opened", LocalDate.class));
            assertEquals(at.toInstant(), rs.getObject("updated", OffsetDateTime.class).toInstant());
            assertEquals(seen, rs.getObject("seen", LocalDateTime.class));
            assertArrayEquals(new byte[] {1, 2, 3, (byte) 0xff}, rs.getBytes("photo"));
            assertEquals("{\"theme\": \"dark\"}", rs.getString("prefs"));
            assertEquals(1L << 40, rs.getLong("visits"));
            assertEquals(0.1, rs.getDouble("score"));
            assertArrayEquals(new String[] {"a", "b c"}, (String[]) rs.getArray("tags").getArray());
            assertFalse(rs.next());
          }
        }
      }
    }
  }

  @Test
  void updatesDeletesAndCountsByKey() throws SQLException {
    try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO counters (id, n) VALUES (?, ?)");
        PreparedStatement update =
            connection.prepareStatement("UPDATE counters SET n = n + ? WHERE id = ?");
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM counters WHERE id = ?")) {
      for (int i = 1; i <= 6; i++) {
        insert.setInt(1, i);
        insert.setInt(2, i * 10);
        assertEquals(1, insert.executeUpdate());
      }
      update.setInt(1, 5);
      update.setInt(2, 3);
      assertEquals(1, update.executeUpdate());
      delete.setInt(1, 4);
      assertEquals(1, delete.executeUpdate());
      delete.setInt(1, 4);
      assertEquals(0, delete.executeUpdate());
    }
    try (PreparedStatement select =
        connection.prepareStatement("SELECT n FROM counters WHERE id = ?")) {
      select.setInt(1, 3);
      try (ResultSet rs = select.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(35, rs.getInt(1));
      }
      select.setInt(1, 4);
      try (ResultSet rs = select.executeQuery()) {
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void returningRowsAndUntypedParameters() throws SQLException {
    try (Connection c = connect("&stringtype=unspecified");
        PreparedStatement insert =
            c.prepareStatement("INSERT INTO counters (id, n) VALUES (?, ?) RETURNING id, n * 2")) {
      insert.setString(1, "100"); // untyped text for an int key: the node infers int
      insert.setString(2, "21");
      try (ResultSet rs = insert.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(100, rs.getInt(1));
        assertEquals(42, rs.getInt(2));
      }
      try (PreparedStatement select = c.prepareStatement("SELECT n FROM counters WHERE id = ?")) {
        select.setString(1, "100");
        try (ResultSet rs = select.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(21, rs.getInt(1));
        }
      }
    }
  }

  @Test
  void nullsAndMetadataBeforeExecution() throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO counters (id, n) VALUES (?, ?)")) {
      insert.setInt(1, 200);
      insert.setNull(2, java.sql.Types.INTEGER);
      insert.executeUpdate();
    }
    try (PreparedStatement select =
        connection.prepareStatement("SELECT id, n FROM counters WHERE id = ?")) {
      ResultSetMetaData meta = select.getMetaData(); // Describe of the statement, before Bind
      assertEquals(2, meta.getColumnCount());
      assertEquals("int4", meta.getColumnTypeName(2));
      assertEquals("int4", select.getParameterMetaData().getParameterTypeName(1));
      select.setInt(1, 200);
      try (ResultSet rs = select.executeQuery()) {
        assertTrue(rs.next());
        assertNull(rs.getObject(2));
      }
    }
  }

  @Test
  void keyedQueriesReturningManyRows() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("INSERT INTO counters (id, n) VALUES (300, 1)");
    }
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT generate_series(1, 10) AS x FROM counters WHERE id = ?")) {
      p.setInt(1, 300);
      p.setFetchSize(3);
      List<Integer> got = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          got.add(rs.getInt(1));
        }
      }
      assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), got);
    }
  }

  @Test
  void batchesPipelineManyStatementsBeforeOneSync() throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO counters (id, n) VALUES (?, ?)")) {
      for (int i = 1000; i < 1200; i++) {
        insert.setInt(1, i);
        insert.setInt(2, i);
        insert.addBatch();
      }
      int[] counts = insert.executeBatch();
      assertEquals(200, counts.length);
      for (int count : counts) {
        assertEquals(1, count);
      }
    }
    try (PreparedStatement select =
        connection.prepareStatement("SELECT n FROM counters WHERE id = ?")) {
      select.setInt(1, 1199);
      try (ResultSet rs = select.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(1199, rs.getInt(1));
      }
    }
  }

  @Test
  void errorsCarryTheNodesSqlStateAndTheSessionGoesOn() throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO counters (id, n) VALUES (?, ?)")) {
      insert.setInt(1, 500);
      insert.setInt(2, 1);
      insert.executeUpdate();
      SQLException duplicate = assertThrows(SQLException.class, insert::executeUpdate);
      assertEquals("23505", duplicate.getSQLState());
    }
    try (Statement s = connection.createStatement()) {
      SQLException missing =
          assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM nope WHERE id = 1"));
      assertEquals("42P01", missing.getSQLState());
      SQLException scan =
          assertThrows(
              SQLException.class, () -> s.executeQuery("SELECT * FROM counters FOR UPDATE"));
      assertEquals("0A000", scan.getSQLState());
      SQLException column =
          assertThrows(
              SQLException.class, () -> s.executeQuery("SELECT nx FROM counters WHERE id = 1"));
      assertEquals("42703", column.getSQLState());
      try (ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = 500")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
    }
  }

  /**
   * pgjdbc's DatabaseMetaData (its own pg_catalog queries, run on one node through the proxy) lists
   * the user's tables, columns and indexes only: no zynamo schema, no zynamo_* columns, no index on
   * them.
   */
  @Test
  void pgjdbcMetadataShowsOnlyTheUsersObjects() throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = meta.getColumns(null, "public", "counters", null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
      }
    }
    assertEquals(List.of("id", "n"), columns);
    List<String> indexes = new ArrayList<>();
    try (ResultSet rs = meta.getIndexInfo(null, "public", "counters", false, false)) {
      while (rs.next()) {
        indexes.add(rs.getString("INDEX_NAME"));
      }
    }
    assertEquals(List.of("counters_pkey"), indexes);
    List<String> schemas = new ArrayList<>();
    try (ResultSet rs = meta.getSchemas()) {
      while (rs.next()) {
        schemas.add(rs.getString("TABLE_SCHEM"));
      }
    }
    assertTrue(schemas.contains("public") && !schemas.contains("zynamo"), schemas.toString());
    try (ResultSet rs = meta.getTables(null, "zynamo", "%", null)) {
      assertFalse(rs.next(), "zynamo's tables are listed");
    }
    try (ResultSet rs = meta.getFunctions(null, "zynamo", "%")) {
      assertFalse(rs.next(), "zynamo's functions are listed");
    }
  }
}
