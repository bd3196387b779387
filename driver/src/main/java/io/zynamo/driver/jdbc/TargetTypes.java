package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Calendar;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PGobject;

/**
 * The Java value a parameter reaches the engine as when {@code setObject} names a target JDBC type,
 * converted as pgjdbc's {@code PgPreparedStatement.setObject(int, Object, int, int)} converts: a
 * number, string or boolean becomes the Java type of the target ({@code INTEGER} -> Integer, {@code
 * TINYINT}/{@code SMALLINT} -> Short, {@code DECIMAL} -> BigDecimal at the given scale, rounded
 * half up, {@code VARCHAR} -> its text...); a UUID and types without a conversion here ({@code
 * OTHER}, {@code ARRAY}, {@code JAVA_OBJECT}...) pass unchanged. A value that cannot be converted
 * fails with {@code 22023} (pgjdbc: {@code 07006}, "Cannot convert an instance of ...").
 *
 * <p>Also the values of the {@code Calendar} variants of {@code setDate/Time/Timestamp}.
 */
@SuppressWarnings("JavaUtilDate") // JDBC's own date types are java.util.Date subclasses
final class TargetTypes {

  private static final Set<String> TRUE = Set.of("1", "t", "true", "y", "yes", "on");
  private static final Set<String> FALSE = Set.of("0", "f", "false", "n", "no", "off");

  private TargetTypes() {}

  /** pgjdbc's "no scale given". */
  static final int NO_SCALE = -1;

  static Object convert(int index, Object x, int targetSqlType, int scaleOrLength)
      throws SQLException {
    if (x instanceof UUID) {
      return x;
    }
    return switch (targetSqlType) {
      case Types.INTEGER -> number(index, x, targetSqlType, Number::intValue, Integer::valueOf);
      case Types.TINYINT, Types.SMALLINT ->
          number(index, x, targetSqlType, Number::shortValue, Short::valueOf);
      case Types.BIGINT -> number(index, x, targetSqlType, Number::longValue, Long::valueOf);
      case Types.REAL -> number(index, x, targetSqlType, Number::floatValue, Float::valueOf);
      case Types.FLOAT, Types.DOUBLE ->
          number(index, x, targetSqlType, Number::doubleValue, Double::valueOf);
      case Types.DECIMAL, Types.NUMERIC -> decimal(index, x, scaleOrLength);
      case Types.BIT, Types.BOOLEAN -> toBoolean(index, x);
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR ->
          toText(index, x);
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> toBytes(index, x);
      case Types.DATE -> toDate(index, x);
      case Types.TIME -> toTime(index, x);
      case Types.TIMESTAMP -> toTimestamp(index, x);
      case Types.TIMESTAMP_WITH_TIMEZONE -> x instanceof String s ? parsed(index, s, "") : x;
      case Types.SQLXML -> xml(x instanceof SQLXML xml ? xml.getString() : x.toString());
      default -> x;
    };
  }

  /**
   * pgjdbc binds an SQLXML as text of type xml; so does this pgjdbc object on the engine's side.
   */
  static PGobject xml(String document) throws SQLException {
    PGobject xml = new PGobject();
    xml.setType("xml");
    xml.setValue(document);
    return xml;
  }

  /** A number, numeric text or boolean (1 or 0) as the target's Java type, as pgjdbc. */
  private static <T> T number(
      int index, Object x, int type, Function<Number, T> fromNumber, Function<String, T> parse)
      throws SQLException {
    try {
      if (x instanceof Number n) {
        return fromNumber.apply(n);
      }
      if (x instanceof String s) {
        return parse.apply(s.trim());
      }
      if (x instanceof Boolean b) {
        return fromNumber.apply(b ? 1 : 0);
      }
    } catch (NumberFormatException e) {
      throw cannotConvert(index, x, type, e);
    }
    throw cannotConvert(index, x, type, null);
  }

  private static BigDecimal decimal(int index, Object x, int scale) throws SQLException {
    BigDecimal value = number(index, x, Types.NUMERIC, TargetTypes::decimal, BigDecimal::new);
    return scale >= 0 ? value.setScale(scale, RoundingMode.HALF_UP) : value;
  }

  /** Exact: a double by its shortest decimal form, as {@code BigDecimal.valueOf} (NaN fails). */
  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Double || n instanceof Float) {
      return BigDecimal.valueOf(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }

  /** pgjdbc's {@code BooleanTypeUtil}: words, their first letters, 1 and 0. */
  private static Boolean toBoolean(int index, Object x) throws SQLException {
    if (x instanceof Boolean b) {
      return b;
    }
    if (x instanceof Number n && (n.doubleValue() == 1.0d || n.doubleValue() == 0.0d)) {
      return n.doubleValue() == 1.0d;
    }
    if (x instanceof String || x instanceof Character) {
      String text = x.toString().trim().toLowerCase(Locale.ROOT);
      if (TRUE.contains(text)) {
        return true;
      }
      if (FALSE.contains(text)) {
        return false;
      }
    }
    throw cannotConvert(index, x, Types.BOOLEAN, null);
  }

  private static String toText(int index, Object x) throws SQLException {
    if (x instanceof Reader reader) {
      return ParameterStreams.chars(index, reader, ParameterStreams.TO_END);
    }
    if (x instanceof InputStream in) {
      byte[] bytes = ParameterStreams.bytes(index, in, ParameterStreams.TO_END);
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (x instanceof byte[]) {
      throw cannotConvert(index, x, Types.VARCHAR, null);
    }
    return x.toString();
  }

  private static byte[] toBytes(int index, Object x) throws SQLException {
    if (x instanceof byte[] bytes) {
      return bytes.clone();
    }
    if (x instanceof InputStream in) {
      return ParameterStreams.bytes(index, in, ParameterStreams.TO_END);
    }
    throw cannotConvert(index, x, Types.VARBINARY, null);
  }

  private static Object toDate(int index, Object x) throws SQLException {
    if (x instanceof String s) {
      return parsed(index, s, "date");
    }
    if (x instanceof java.util.Date d && !(x instanceof Date)) {
      return new Date(d.getTime());
    }
    return x;
  }

  private static Object toTime(int index, Object x) throws SQLException {
    if (x instanceof String s) {
      return parsed(index, s, "time");
    }
    if (x instanceof java.util.Date d && !(x instanceof Time)) {
      return new Time(d.getTime());
    }
    return x;
  }

  private static Object toTimestamp(int index, Object x) throws SQLException {
    if (x instanceof String s) {
      return parsed(index, s, "timestamp");
    }
    if (x instanceof java.util.Date d && !(x instanceof Timestamp)) {
      return new Timestamp(d.getTime());
    }
    return x;
  }

  /** ISO-8601 text (a blank instead of {@code T} accepted) as the matching java.time value. */
  private static Object parsed(int index, String text, String type) throws SQLException {
    String iso = text.trim().replace(' ', 'T');
    try {
      return switch (type) {
        case "date" -> LocalDate.parse(iso);
        case "time" -> LocalTime.parse(iso);
        case "timestamp" -> LocalDateTime.parse(iso);
        default -> OffsetDateTime.parse(iso);
      };
    } catch (DateTimeParseException e) {
      throw ZynamoErrors.invalidValue(
          "parameter " + index,
          "'" + text + "'",
          "an ISO-8601 " + (type.isEmpty() ? "timestamp with offset" : type));
    }
  }

  private static SQLException cannotConvert(
      int index, Object x, int type, @Nullable Exception cause) {
    return ZynamoErrors.create(
        ZynamoSqlState.INVALID_PARAMETER_VALUE,
        "parameter "
            + index
            + ": a "
            + x.getClass().getName()
            + " (expected: a value convertible to JDBC type "
            + type
            + ")",
        cause);
  }

  /** The calendar date of {@code date} in the calendar's time zone, as pgjdbc sends it. */
  static LocalDate inZone(Date date, Calendar cal) {
    return Instant.ofEpochMilli(date.getTime()).atZone(zone(cal)).toLocalDate();
  }

  /** The time of day of {@code time} in the calendar's time zone, as pgjdbc sends it. */
  static LocalTime inZone(Time time, Calendar cal) {
    return Instant.ofEpochMilli(time.getTime()).atZone(zone(cal)).toLocalTime();
  }

  /** The wall-clock time of {@code timestamp} in the calendar's time zone, nanoseconds kept. */
  static LocalDateTime inZone(Timestamp timestamp, Calendar cal) {
    return timestamp.toInstant().atZone(zone(cal)).toLocalDateTime();
  }

  private static ZoneId zone(Calendar cal) {
    return cal.getTimeZone().toZoneId();
  }
}
