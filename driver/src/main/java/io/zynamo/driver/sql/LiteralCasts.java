package io.zynamo.driver.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Applies a cast to a constant when the result is certain under any session settings; otherwise the
 * literal keeps its written value, unconverted, so a router never hashes a guess. Not converted on
 * purpose: DateStyle-dependent dates, timestamps with a time zone but no offset, rounding casts
 * ({@code 1.5::int}), length-limited strings ({@code varchar(3)}) and floats.
 */
final class LiteralCasts {

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern NUMERIC =
      Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern UUID_TEXT =
      Pattern.compile("\\{?[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}}?");
  private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  private static final Pattern ISO_TIMESTAMP =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?");
  private static final Pattern OFFSET = Pattern.compile("(Z|[+-][0-9]{2}(:?[0-9]{2})?)$");

  private LiteralCasts() {}

  /** The literal {@code value} cast to {@code type}. */
  static Operand.Literal cast(@Nullable Object value, String type) {
    if (value == null) {
      return new Operand.Literal(null, type, true);
    }
    Object converted = convert(value, type);
    return converted == null
        ? new Operand.Literal(value, type, false)
        : new Operand.Literal(converted, type, true);
  }

  private static @Nullable Object convert(Object value, String type) {
    return switch (type) {
      case "bigint" -> integer(value, Long.MIN_VALUE, Long.MAX_VALUE);
      case "integer" -> integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case "smallint" -> integer(value, Short.MIN_VALUE, Short.MAX_VALUE);
      case "numeric" -> numeric(value);
      case "text", "character varying" -> value instanceof String ? value : null;
      case "boolean" -> bool(value);
      case "uuid" -> value instanceof String text ? uuid(text.trim()) : null;
      case "date" -> value instanceof String text ? date(text.trim()) : null;
      case "timestamp without time zone" ->
          value instanceof String text ? timestamp(text.trim()) : null;
      case "timestamp with time zone" ->
          value instanceof String text ? offsetTimestamp(text.trim()) : null;
      default -> null;
    };
  }

  private static @Nullable Object integer(Object value, long min, long max) {
    BigDecimal number = null;
    if (value instanceof Long || value instanceof BigInteger) {
      number = new BigDecimal(value.toString());
    } else if (value instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() <= 0) {
      number = decimal;
    } else if (value instanceof String text && INTEGER.matcher(text.trim()).matches()) {
      number = new BigDecimal(text.trim());
    }
    if (number == null
        || number.compareTo(BigDecimal.valueOf(min)) < 0
        || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      return null; // out of range or rounding: PostgreSQL errors or rounds
    }
    return number.longValueExact();
  }

  private static @Nullable Object numeric(Object value) {
    if (value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Long || value instanceof BigInteger) {
      return new BigDecimal(value.toString());
    }
    if (value instanceof String text && NUMERIC.matcher(text.trim()).matches()) {
      return new BigDecimal(text.trim());
    }
    return null;
  }

  private static @Nullable Object bool(Object value) {
    if (value instanceof Boolean) {
      return value;
    }
    if (!(value instanceof String text)) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "t", "true", "y", "yes", "on", "1" -> true;
      case "f", "false", "n", "no", "off", "0" -> false;
      default -> null;
    };
  }

  /** uuid_in: optional braces, 32 hex digits, a hyphen allowed after any group of four. */
  private static @Nullable Object uuid(String text) {
    if (!UUID_TEXT.matcher(text).matches() || (text.startsWith("{") != text.endsWith("}"))) {
      return null;
    }
    String hex = text.replace("{", "").replace("}", "").replace("-", "");
    return new UUID(
        Long.parseUnsignedLong(hex.substring(0, 16), 16),
        Long.parseUnsignedLong(hex.substring(16), 16));
  }

  private static @Nullable Object date(String text) {
    if (!ISO_DATE.matcher(text).matches()) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null; // PostgreSQL rejects it too: "date/time field value out of range"
    }
  }

  private static @Nullable Object timestamp(String text) {
    if (ISO_DATE.matcher(text).matches()) {
      Object date = date(text);
      return date == null ? null : ((LocalDate) date).atStartOfDay();
    }
    if (!ISO_TIMESTAMP.matcher(text).matches()) {
      return null;
    }
    try {
      return LocalDateTime.parse(text.replace(' ', 'T'));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Only with an explicit offset: otherwise the session's TimeZone decides the instant. */
  private static @Nullable Object offsetTimestamp(String text) {
    var offset = OFFSET.matcher(text);
    if (!offset.find()) {
      return null;
    }
    String local = text.substring(0, offset.start()).trim().replace('T', ' ');
    if (!ISO_TIMESTAMP.matcher(local).matches()) {
      return null;
    }
    String zone = offset.group(1);
    if (zone.equals("Z")) {
      zone = "+00:00";
    } else if (zone.length() == 3) {
      zone = zone + ":00";
    } else if (zone.length() == 5) {
      zone = zone.substring(0, 3) + ":" + zone.substring(3);
    }
    Object dateTime = timestamp(local);
    if (dateTime == null) {
      return null;
    }
    try {
      return OffsetDateTime.of((LocalDateTime) dateTime, ZoneOffset.of(zone));
    } catch (DateTimeException e) {
      return null;
    }
  }
}
