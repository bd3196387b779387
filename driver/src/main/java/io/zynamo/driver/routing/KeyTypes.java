package io.zynamo.driver.routing;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Converts a shard key value, as written in SQL or bound as a parameter, to the Java value the
 * column's PostgreSQL type gives it, so that it hashes as the stored row did: {@code '5'} bound to
 * an {@code int} key is the integer 5, not the text "5".
 *
 * <p>A value that PostgreSQL would convert by rules we do not reproduce (DateStyle-dependent dates,
 * money, intervals...) is refused with ZY002 rather than risk a wrong bucket.
 */
public final class KeyTypes {

  private KeyTypes() {}

  /**
   * The value of {@code value} as a key of PostgreSQL type {@code type} (as format_type prints it).
   */
  public static @Nullable Object coerce(String type, @Nullable Object value) throws SQLException {
    if (value == null) {
      return null;
    }
    String t = base(type);
    try {
      return switch (t) {
        case "smallint",
            "integer",
            "bigint",
            "int",
            "int2",
            "int4",
            "int8",
            "smallserial",
            "serial",
            "bigserial",
            "serial2",
            "serial4",
            "serial8" ->
            integer(value);
        case "numeric", "decimal" -> decimal(value);
        case "real", "double precision", "float", "float4", "float8" -> floating(value);
        case "text", "character varying", "varchar", "name", "citext" -> value.toString();
        case "character", "char", "bpchar" -> stripTrailingSpaces(value.toString());
        case "uuid" -> value instanceof UUID u ? u : UUID.fromString(value.toString());
        case "boolean", "bool" -> bool(value);
        case "date" -> date(value);
        case "timestamp without time zone", "timestamp" -> timestamp(value);
        case "timestamp with time zone", "timestamptz" -> timestamptz(value);
        case "bytea" -> bytes(value);
        default -> throw unsupported(type, value);
      };
    } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
      String text =
          value instanceof String s
              ? s
              : value instanceof org.postgresql.util.PGobject p ? p.getValue() : null;
      if (text != null) { // as the node's input function would refuse it
        throw ZynamoErrors.create(
            ZynamoSqlState.INVALID_TEXT_REPRESENTATION,
            "invalid input syntax for type " + type + ": \"" + text + "\"",
            e);
      }
      throw ZynamoErrors.create(
          ZynamoSqlState.INVALID_PARAMETER_VALUE,
          "shard key value " + describe(value) + " is not a valid " + type + ": " + e.getMessage(),
          e);
    }
  }

  /** The type without modifiers: {@code numeric(10,2)} -> {@code numeric}, lower case. */
  static String base(String type) {
    int paren = type.indexOf('(');
    String bare =
        paren < 0 ? type : type.substring(0, paren) + type.substring(type.indexOf(')') + 1);
    return bare.trim().toLowerCase(Locale.ROOT);
  }

  private static Object integer(Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      return value;
    }
    if (value instanceof Double || value instanceof Float) {
      // float8 -> integer uses rint(): halves round to even (4.5 -> 4), unlike numeric.
      return BigDecimal.valueOf(Math.rint(((Number) value).doubleValue())).toBigIntegerExact();
    }
    BigDecimal exact = new BigDecimal(value.toString().trim());
    // PostgreSQL rounds a numeric assigned to an integer column (round half away from zero).
    BigInteger whole = exact.setScale(0, java.math.RoundingMode.HALF_UP).toBigIntegerExact();
    // A long where it fits: it hashes the same, and bound to a node query it is an int8, which
    // an integer column's index serves (a BigInteger would be a numeric: a full scan).
    return whole.bitLength() < Long.SIZE ? (Object) whole.longValueExact() : whole;
  }

  private static Object decimal(Object value) {
    return value instanceof BigDecimal d ? d : new BigDecimal(value.toString().trim());
  }

  private static Object floating(Object value) {
    return value instanceof Number n
        ? n.doubleValue()
        : Double.parseDouble(value.toString().trim());
  }

  private static Object bool(Object value) throws SQLException {
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
      case "t", "true", "y", "yes", "on", "1" -> true;
      case "f", "false", "n", "no", "off", "0" -> false;
      default -> throw unsupported("boolean", value);
    };
  }

  private static Object date(Object value) {
    if (value instanceof LocalDate d) {
      return d;
    }
    if (value instanceof java.sql.Date d) {
      return d.toLocalDate();
    }
    return LocalDate.parse(value.toString().trim()); // ISO only: other DateStyles are refused
  }

  private static Object timestamp(Object value) {
    if (value instanceof LocalDateTime t) {
      return t;
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime();
    }
    return LocalDateTime.parse(value.toString().trim().replace(' ', 'T'));
  }

  private static Object timestamptz(Object value) {
    if (value instanceof OffsetDateTime || value instanceof Instant) {
      return value;
    }
    if (value instanceof java.sql.Timestamp t) {
      return t.toInstant();
    }
    return OffsetDateTime.parse(value.toString().trim().replace(' ', 'T'));
  }

  private static Object bytes(Object value) throws SQLException {
    if (value instanceof byte[] b) {
      return b;
    }
    throw unsupported("bytea", value);
  }

  private static String stripTrailingSpaces(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(0, end); // char(n) compares without trailing spaces
  }

  private static SQLException unsupported(String type, Object value) {
    return ZynamoErrors.create(
        ZynamoSqlState.ROUTE_UNKNOWN,
        "cannot route by a shard key of type "
            + type
            + " given "
            + describe(value)
            + " (supported: integer, numeric, floating point, text, char, uuid, boolean, date,"
            + " timestamp, timestamptz, bytea)");
  }

  private static String describe(Object value) {
    return value.getClass().getSimpleName() + (value instanceof byte[] ? "" : " '" + value + "'");
  }
}
