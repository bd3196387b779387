package io.zynamo.proxy.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.execution.StatementExecutor.TypedNull;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGobject;

class ValueCodecTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void binaryResultsFromPostgresText() throws SQLException {
    assertArrayEquals(new byte[] {0, 0, 0, 42}, ValueEncoder.binary(PgType.INT4, "42"));
    assertArrayEquals(new byte[] {1}, ValueEncoder.binary(PgType.BOOL, "t"));
    assertArrayEquals(new byte[] {1, 2, -1}, ValueEncoder.binary(PgType.BYTEA, "\\x0102ff"));
    // 2000-01-02 00:00:01.5 UTC = 1 day + 1.5 s after the PostgreSQL epoch
    long micros = 86_400_000_000L + 1_500_000L;
    assertArrayEquals(
        ByteBuffer.allocate(8).putLong(micros).array(),
        ValueEncoder.binary(PgType.TIMESTAMPTZ, "2000-01-02 02:00:01.5+02"));
    assertArrayEquals(
        ByteBuffer.allocate(8).putLong(micros).array(),
        ValueEncoder.binary(PgType.TIMESTAMP, "2000-01-02 00:00:01.5"));
    assertArrayEquals(
        ByteBuffer.allocate(4).putInt(-1).array(), ValueEncoder.binary(PgType.DATE, "1999-12-31"));
    assertArrayEquals(
        ByteBuffer.allocate(8).putLong(Long.MAX_VALUE).array(),
        ValueEncoder.binary(PgType.TIMESTAMPTZ, "infinity"));
    assertEquals(1, ValueEncoder.binary(PgType.JSONB, "{}")[0]);
  }

  @Test
  void arraysInBinaryFromTheirText() throws SQLException {
    byte[] bytes = ValueEncoder.binary(PgType.TEXT_ARRAY, "{a,\"b \\\"c\",NULL}");
    ByteBuffer in = ByteBuffer.wrap(bytes);
    assertEquals(1, in.getInt()); // dimensions
    assertEquals(1, in.getInt()); // has nulls
    assertEquals(PgType.TEXT.oid(), in.getInt());
    assertEquals(3, in.getInt());
    assertEquals(1, in.getInt());
    assertEquals(1, in.getInt());
    assertEquals('a', in.get());
    assertEquals(4, in.getInt());
    byte[] second = new byte[4];
    in.get(second);
    assertEquals("b \"c", new String(second, StandardCharsets.UTF_8));
    assertEquals(-1, in.getInt());
    assertFalse(in.hasRemaining());
    // and back: the binary parameter becomes the text literal the node parses
    PGobject back = (PGobject) ParameterDecoder.decode(PgType.TEXT_ARRAY.oid(), true, bytes);
    assertEquals("_text", back.getType());
    assertEquals("{\"a\",\"b \\\"c\",NULL}", back.getValue());
    byte[] matrix = ValueEncoder.binary(PgType.INT4_ARRAY, "{{1,2},{3,4}}");
    assertEquals(
        "{{\"1\",\"2\"},{\"3\",\"4\"}}",
        ((PGobject) ParameterDecoder.decode(PgType.INT4_ARRAY.oid(), true, matrix)).getValue());
    assertEquals(0, ByteBuffer.wrap(ValueEncoder.binary(PgType.INT4_ARRAY, "{}")).getInt());
    assertThrows(SQLException.class, () -> ValueEncoder.binary(PgType.INT4_ARRAY, "{1,2"));
  }

  @Test
  void binaryParameters() throws SQLException {
    assertEquals(7, ParameterDecoder.decode(PgType.INT4.oid(), true, new byte[] {0, 0, 0, 7}));
    assertEquals(
        UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        ParameterDecoder.decode(
            PgType.UUID.oid(),
            true,
            ByteBuffer.allocate(16)
                .putLong(0xa0eebc999c0b4ef8L)
                .putLong(0xbb6d6bb9bd380a11L)
                .array()));
    assertEquals(
        LocalDate.of(2000, 1, 3),
        ParameterDecoder.decode(PgType.DATE.oid(), true, new byte[] {0, 0, 0, 2}));
    assertEquals(
        LocalDateTime.of(2000, 1, 1, 0, 0, 1),
        ParameterDecoder.decode(
            PgType.TIMESTAMP.oid(), true, ByteBuffer.allocate(8).putLong(1_000_000).array()));
    assertEquals(
        OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
        ParameterDecoder.decode(PgType.TIMESTAMPTZ.oid(), true, new byte[8]));
    SQLException shortInt =
        assertThrows(
            SQLException.class,
            () -> ParameterDecoder.decode(PgType.INT4.oid(), true, new byte[3]));
    assertEquals("22P03", shortInt.getSQLState());
    SQLException untypedBinary =
        assertThrows(SQLException.class, () -> ParameterDecoder.decode(0, true, new byte[4]));
    assertEquals("0A000", untypedBinary.getSQLState());
  }

  @Test
  void textParameters() throws SQLException {
    PGobject untyped = (PGobject) ParameterDecoder.decode(0, false, utf8("42"));
    assertEquals("unknown", untyped.getType());
    assertEquals("42", untyped.getValue());
    assertEquals(42L, ParameterDecoder.decode(PgType.INT8.oid(), false, utf8(" 42")));
    assertEquals("x", ParameterDecoder.decode(PgType.TEXT.oid(), false, utf8("x")));
    assertArrayEquals(
        new byte[] {'a', 0, '\\'},
        (byte[]) ParameterDecoder.decode(PgType.BYTEA.oid(), false, utf8("a\\000\\\\")));
    PGobject json = (PGobject) ParameterDecoder.decode(PgType.JSONB.oid(), false, utf8("{}"));
    assertEquals("jsonb", json.getType());
    assertEquals(
        new TypedNull(Types.INTEGER), ParameterDecoder.decode(PgType.INT4.oid(), false, null));
    assertNull(ParameterDecoder.decode(0, false, null));
    SQLException bad =
        assertThrows(
            SQLException.class, () -> ParameterDecoder.decode(PgType.INT4.oid(), false, utf8("x")));
    assertEquals("22P02", bad.getSQLState());
    assertInstanceOf(
        PGobject.class, ParameterDecoder.decode(PgType.INTERVAL.oid(), false, utf8("1 day")));
    assertTrue(PgType.byName("serial").isPresent());
    assertEquals(PgType.TEXT, PgType.ofColumn("my_enum"));
  }
}
