package io.zynamo.driver.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor.TypedNull;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Date;
import java.sql.JDBCType;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.postgresql.util.PGobject;

class ZynamoPreparedStatementTest {

  private final FakeExecutor engine = new FakeExecutor();
  private final ZynamoConnection connection;

  ZynamoPreparedStatementTest() throws SQLException {
    connection = new ZynamoConnection(engine, ZynamoUrl.parse("jdbc:zynamo://h1:5432/app"));
  }

  private static void assertState(String state, Executable call) {
    assertEquals(state, assertThrows(SQLException.class, call).getSQLState());
  }

  private static String placeholders(int n) {
    return "SELECT " + String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  @Test
  void parametersReachTheEngineInOrderAsJavaValues() throws SQLException {
    PreparedStatement ps = connection.prepareStatement(placeholders(12));
    UUID uuid = UUID.randomUUID();
    Date date = Date.valueOf("2024-02-29");
    Timestamp timestamp = Timestamp.valueOf("2024-02-29 10:11:12.123456789");
    ps.setInt(1, 7);
    ps.setLong(2, 8L);
    ps.setString(3, "ada");
    ps.setBigDecimal(4, new BigDecimal("1.50"));
    ps.setBoolean(5, true);
    ps.setShort(6, (short) 3);
    ps.setByte(7, (byte) 4);
    ps.setDouble(8, 2.5);
    ps.setFloat(9, 1.5f);
    ps.setObject(10, uuid);
    ps.setDate(11, date);
    ps.setTimestamp(12, timestamp);

    ps.execute();

    assertEquals(
        List.of(
            7,
            8L,
            "ada",
            new BigDecimal("1.50"),
            true,
            (short) 3,
            (byte) 4,
            2.5,
            1.5f,
            uuid,
            date,
            timestamp),
        engine.lastCall().parameters());
    assertEquals(placeholders(12), engine.lastCall().sql());
  }

  @Test
  void nullsAreTypedNulls() throws SQLException {
    PreparedStatement ps = connection.prepareStatement(placeholders(5));
    ps.setNull(1, Types.INTEGER);
    ps.setNull(2, Types.VARCHAR, "text");
    ps.setString(3, null);
    ps.setObject(4, null);
    ps.setBytes(5, null);

    ps.execute();

    assertEquals(
        List.of(
            new TypedNull(Types.INTEGER),
            new TypedNull(Types.VARCHAR),
            new TypedNull(Types.VARCHAR),
            new TypedNull(Types.OTHER),
            new TypedNull(Types.VARBINARY)),
        engine.lastCall().parameters());
  }

  @Test
  void anUnsetParameterFailsAsPgjdbcBeforeRunning() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("UPDATE t SET a = ?, b = ? WHERE c = ?");
    ps.setInt(1, 1);
    ps.setInt(3, 3);

    SQLException e = assertThrows(SQLException.class, ps::executeUpdate);

    assertEquals("22023", e.getSQLState());
    assertEquals("No value specified for parameter 2.", e.getMessage());
    ps.clearParameters();
    assertEquals(
        "No value specified for parameter 1.",
        assertThrows(SQLException.class, ps::execute).getMessage());
    assertTrue(engine.calls.isEmpty());
  }

  @Test
  void aParameterBeyondTheLastFailsBeforeRunning() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT * FROM t WHERE a = ? AND b = '?'");
    ps.setInt(1, 1);
    ps.setInt(2, 2);

    SQLException e = assertThrows(SQLException.class, ps::executeQuery);

    assertEquals("parameter 2: set (expected: 1..1, the statement's parameters)", e.getMessage());
    assertState("22023", () -> ps.setInt(0, 1));
    assertTrue(engine.calls.isEmpty());
  }

  @Test
  void generatedKeysAreAskedForWhenPrepared() throws SQLException {
    engine.then(new Outcome.Count(1, Rows.of(new String[] {"id", "v"}, new Object[] {9, "x"})));
    PreparedStatement all =
        connection.prepareStatement(
            "INSERT INTO t (v) VALUES (?)", Statement.RETURN_GENERATED_KEYS);
    all.setString(1, "x");

    assertEquals(1, all.executeUpdate());

    assertTrue(engine.lastCall().generatedKeys());
    assertTrue(all.getGeneratedKeys().next());
    connection.prepareStatement("INSERT INTO t (v) VALUES (1)", new String[] {"id"}).execute();
    assertTrue(engine.lastCall().generatedKeys());
    connection.prepareStatement("INSERT INTO t (v) VALUES (1)", new int[] {1}).execute();
    assertTrue(engine.lastCall().generatedKeys());
    connection.prepareStatement("INSERT INTO t (v) VALUES (1)", new String[0]).execute();
    assertFalse(engine.lastCall().generatedKeys());
    connection.prepareStatement("INSERT INTO t (v) VALUES (1)").execute();
    assertFalse(engine.lastCall().generatedKeys());
  }

  @Test
  void methodsTakingSqlTextFailAsPgjdbc() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT 1");
    List<Executable> calls =
        List.of(
            () -> ps.execute("SELECT 2"),
            () -> ps.executeQuery("SELECT 2"),
            () -> ps.executeUpdate("DELETE FROM t"),
            () -> ps.executeLargeUpdate("DELETE FROM t", Statement.RETURN_GENERATED_KEYS),
            () -> ps.execute("INSERT", new String[] {"id"}),
            () -> ps.addBatch("DELETE FROM t"));

    for (Executable call : calls) {
      SQLException e = assertThrows(SQLException.class, call);
      assertEquals("42809", e.getSQLState());
      assertEquals(
          "Can't use query methods that take a query string on a PreparedStatement.",
          e.getMessage());
    }
    assertTrue(engine.calls.isEmpty());
  }

  @Test
  void batchEntriesKeepTheValuesOfTheirAddBatch() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("INSERT INTO t VALUES (?, ?)");
    ps.setInt(1, 1);
    ps.setString(2, "a");
    ps.addBatch();
    ps.setInt(1, 2);
    ps.addBatch();
    ps.clearParameters();
    ps.setInt(1, 3);
    assertState("22023", ps::addBatch);

    assertArrayEquals(new int[] {1, 1}, ps.executeBatch());

    assertEquals(List.of(1, "a"), engine.calls.get(0).parameters());
    assertEquals(List.of(2, "a"), engine.calls.get(1).parameters());
    assertFalse(engine.calls.get(0).generatedKeys());
  }

  @Test
  void aFailingBatchEntryReportsTheEarlierCounts() throws SQLException {
    engine.then(new Outcome.Count(1, null)).then(new SQLException("boom", "23505"));
    PreparedStatement ps = connection.prepareStatement("INSERT INTO t VALUES (?)");
    for (int i = 1; i <= 3; i++) {
      ps.setInt(1, i);
      ps.addBatch();
    }

    BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);

    assertArrayEquals(new int[] {1}, e.getUpdateCounts());
    assertEquals("23505", e.getSQLState());
    assertEquals(2, engine.calls.size());
  }

  @Test
  void keysOfABatchCannotBeReadYet() throws SQLException {
    PreparedStatement ps =
        connection.prepareStatement("INSERT INTO t VALUES (?)", Statement.RETURN_GENERATED_KEYS);
    ps.setInt(1, 1);
    ps.addBatch();

    ps.executeBatch();

    assertFalse(engine.lastCall().generatedKeys());
    assertState("0A000", ps::getGeneratedKeys);
  }

  @Test
  void bytesAreCopiedWhenSet() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT ?, ?");
    byte[] bytes = {1, 2, 3};
    ps.setBytes(1, bytes);
    ps.setObject(2, bytes);
    bytes[0] = 9;

    ps.execute();

    for (Object bound : engine.lastCall().parameters()) {
      assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) bound);
      assertNotSame(bytes, bound);
    }
  }

  @Test
  void aCalendarGivesTheWallClockInItsZone() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT ?, ?, ?");
    Calendar tokyo = Calendar.getInstance(TimeZone.getTimeZone("Asia/Tokyo"));
    Timestamp instant = Timestamp.from(java.time.Instant.parse("2024-03-01T23:30:00.000000123Z"));
    ps.setTimestamp(1, instant, tokyo);
    ps.setDate(2, new Date(instant.getTime()), tokyo);
    ps.setTime(3, new Time(instant.getTime()), tokyo);

    ps.execute();

    assertEquals(
        List.of(
            LocalDateTime.parse("2024-03-02T08:30:00.000000123"),
            LocalDate.parse("2024-03-02"),
            LocalTime.parse("08:30")),
        engine.lastCall().parameters());
  }

  @Test
  void setObjectWithATargetTypeConvertsAsPgjdbc() throws SQLException {
    PreparedStatement ps = connection.prepareStatement(placeholders(10));
    ps.setObject(1, "42", Types.INTEGER);
    ps.setObject(2, 7L, Types.SMALLINT);
    ps.setObject(3, "1.005", Types.NUMERIC, 2);
    ps.setObject(4, 12, Types.VARCHAR);
    ps.setObject(5, "yes", Types.BOOLEAN);
    ps.setObject(6, 0, JDBCType.BIT);
    ps.setObject(7, "2024-02-29", Types.DATE);
    ps.setObject(8, "2024-02-29 10:00:00", Types.TIMESTAMP);
    ps.setObject(9, null, Types.BIGINT);
    ps.setObject(10, "{\"a\": 1}", Types.OTHER);

    ps.execute();

    assertEquals(
        Arrays.asList(
            42,
            (short) 7,
            new BigDecimal("1.01"),
            "12",
            true,
            false,
            LocalDate.parse("2024-02-29"),
            LocalDateTime.parse("2024-02-29T10:00"),
            new TypedNull(Types.BIGINT),
            "{\"a\": 1}"),
        engine.lastCall().parameters());
    assertState("22023", () -> ps.setObject(1, "forty", Types.INTEGER));
    assertState("22023", () -> ps.setObject(1, "maybe", Types.BOOLEAN));
    assertState("22023", () -> ps.setObject(1, "29.02.2024", Types.DATE));
  }

  @Test
  void streamsAndReadersAreReadIntoValues() throws SQLException {
    PreparedStatement ps = connection.prepareStatement(placeholders(4));
    byte[] bytes = "héllo".getBytes(StandardCharsets.UTF_8);
    ps.setBinaryStream(1, new ByteArrayInputStream(bytes));
    ps.setCharacterStream(2, new StringReader("abcdef"), 3);
    ps.setAsciiStream(3, new ByteArrayInputStream("plain".getBytes(StandardCharsets.US_ASCII)));
    ps.setObject(4, new StringReader("read"));

    ps.execute();

    List<Object> bound = engine.lastCall().parameters();
    assertArrayEquals(bytes, (byte[]) bound.get(0));
    assertEquals(List.of("abc", "plain", "read"), bound.subList(1, 4));
  }

  @Test
  void aShortOrFailingStreamIsRefused() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT ?");
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk gone");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("disk gone");
          }
        };

    SQLException shortStream =
        assertThrows(
            SQLException.class,
            () -> ps.setBinaryStream(1, new ByteArrayInputStream(new byte[2]), 5));
    SQLException broken = assertThrows(SQLException.class, () -> ps.setBinaryStream(1, failing));

    assertEquals(
        "parameter 1 stream: ended after 2 bytes (expected: 5 bytes, the length given)",
        shortStream.getMessage());
    assertEquals("58030", broken.getSQLState());
    assertInstanceOf(IOException.class, broken.getCause());
    assertState("22023", () -> ps.setCharacterStream(1, new StringReader("x"), -2));
  }

  @Test
  void largeObjectsAndOtherUnsupportedTypesFailButTheirNullsBind() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT ?");

    assertState("0A000", () -> ps.setBlob(1, new ByteArrayInputStream(new byte[1])));
    assertState("0A000", () -> ps.setClob(1, new StringReader("x")));
    assertState("0A000", () -> ps.setURL(1, new java.net.URL("http://example.com")));
    ps.setBlob(1, (InputStream) null);
    ps.execute();

    assertEquals(List.of(new TypedNull(Types.BLOB)), engine.lastCall().parameters());
  }

  @Test
  void xmlAndArraysPassAsPgjdbcValues() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT ?, ?");
    java.sql.Array ids = connection.createArrayOf("int4", new Object[] {1, 2, null});
    ps.setObject(1, "<a/>", Types.SQLXML);
    ps.setArray(2, ids);

    ps.execute();

    PGobject xml = (PGobject) engine.lastCall().parameters().get(0);
    assertEquals("xml", xml.getType());
    assertEquals("<a/>", xml.getValue());
    assertEquals(ids, engine.lastCall().parameters().get(1));
  }

  @Test
  void parameterMetadataCountsThePlaceholders() throws SQLException {
    PreparedStatement ps =
        connection.prepareStatement("SELECT '?' FROM t /* ? */ WHERE a = ? AND b ?? 'k' AND c = ?");

    ParameterMetaData meta = ps.getParameterMetaData();

    assertEquals(2, meta.getParameterCount());
    assertEquals(Types.OTHER, meta.getParameterType(1));
    assertEquals("unknown", meta.getParameterTypeName(2));
    assertEquals(ParameterMetaData.parameterModeIn, meta.getParameterMode(1));
    assertState("22023", () -> meta.getParameterType(3));
    assertNull(ps.getMetaData());
    assertTrue(ps.isPoolable());
  }

  @Test
  void aClosedPreparedStatementFailsWith08003() throws SQLException {
    PreparedStatement ps = connection.prepareStatement("SELECT ?");
    connection.close();

    assertTrue(ps.isClosed());
    assertState("08003", () -> ps.setInt(1, 1));
    assertState("08003", ps::execute);
    assertState("08003", ps::getParameterMetaData);
  }
}
