package io.zynamo.driver.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.KeyHasher;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyTypesTest {

  private static long hash(String type, Object value) throws SQLException {
    return KeyHasher.hash(KeyTypes.coerce(type, value));
  }

  @Test
  void textBoundToAnIntegerKeyHashesAsTheInteger() throws SQLException {
    assertEquals(KeyHasher.hash(5L), hash("integer", "5"));
    assertEquals(KeyHasher.hash(5L), hash("bigint", 5));
    assertEquals(KeyHasher.hash(5L), hash("smallint", new BigDecimal("5.0")));
    // PostgreSQL rounds numerics assigned to integers: 4.5 -> 5, -4.5 -> -5.
    assertEquals(KeyHasher.hash(5L), hash("integer", new BigDecimal("4.5")));
    assertEquals(KeyHasher.hash(-5L), hash("integer", "-4.5"));
    // ...but floats round half to even, as rint() does: 4.5::float8::int = 4.
    assertEquals(KeyHasher.hash(4L), hash("integer", 4.5d));
  }

  @Test
  void declaredTypeAliasesAreUnderstood() throws SQLException {
    for (String alias : new String[] {"int", "serial", "bigserial", "int8", "smallserial"}) {
      assertEquals(KeyHasher.hash(5L), hash(alias, "5"), alias);
    }
    assertEquals(KeyHasher.hash(2.5d), hash("float", "2.5"));
    assertEquals(KeyHasher.hash(new BigDecimal("2.5")), hash("decimal(4,1)", "2.5"));
  }

  @Test
  void numbersBoundToATextKeyHashAsText() throws SQLException {
    assertEquals(KeyHasher.hash("5"), hash("text", 5));
    assertEquals(KeyHasher.hash("abc"), hash("character varying(20)", "abc"));
    assertEquals(KeyHasher.hash("ab"), hash("character(5)", "ab   "));
  }

  @Test
  void typedValuesParseFromText() throws SQLException {
    UUID u = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertEquals(KeyHasher.hash(u), hash("uuid", u.toString()));
    assertEquals(KeyHasher.hash(LocalDate.of(2026, 1, 2)), hash("date", "2026-01-02"));
    assertEquals(
        KeyHasher.hash(OffsetDateTime.parse("2026-01-02T10:00:00+01:00")),
        hash("timestamp with time zone", "2026-01-02 09:00:00+00:00"));
    assertEquals(KeyHasher.hash(new BigDecimal("1.5")), hash("numeric(10,2)", "1.50"));
    assertEquals(KeyHasher.hash(true), hash("boolean", "yes"));
  }

  @Test
  void valuesThatCannotBeConvertedFailWithTheType() {
    SQLException bad = assertThrows(SQLException.class, () -> KeyTypes.coerce("integer", "five"));
    assertEquals("22P02", bad.getSQLState()); // as PostgreSQL's input function
    assertEquals("invalid input syntax for type integer: \"five\"", bad.getMessage());
    SQLException unknown =
        assertThrows(SQLException.class, () -> KeyTypes.coerce("interval", "1 day"));
    assertEquals("ZY002", unknown.getSQLState());
    assertTrue(unknown.getMessage().contains("interval"), unknown.getMessage());
  }
}
