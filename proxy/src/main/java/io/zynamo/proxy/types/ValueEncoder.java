package io.zynamo.proxy.types;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Encodes a column value for a DataRow from the text the node sent (the proxy's node connections
 * use text transfer, so pgjdbc's {@code getString} is PostgreSQL's own output). Text format is that
 * text as UTF-8; binary format is derived from it for bool, bytea, int2/4/8, oid, float4/8,
 * numeric, text types, json, jsonb, uuid, date, time, timetz, timestamp, timestamptz and arrays of
 * these.
 */
public final class ValueEncoder {

  private ValueEncoder() {}

  /** Whether {@link #binary} can encode values of {@code type}. */
  public static boolean hasBinary(PgType type) {
    if (type.typeName().startsWith("_")) {
      return elementOf(type).map(ValueEncoder::hasBinary).orElse(false);
    }
    return switch (type) {
      case BOOL, BYTEA, CHAR, NAME, INT2, INT4, INT8, OID, TEXT, VARCHAR, BPCHAR, JSON, XML -> true;
      case FLOAT4, FLOAT8, NUMERIC, UUID, JSONB, DATE, TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ -> true;
      default -> false;
    };
  }

  public static byte[] text(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** The binary form of {@code text}, a value of {@code type} as PostgreSQL prints it. */
  public static byte[] binary(PgType type, String text) throws SQLException {
    try {
      return switch (type) {
        case BOOL -> new byte[] {(byte) (text.equals("t") ? 1 : 0)};
        case BYTEA -> ValueText.bytea(text);
        case CHAR, NAME, TEXT, VARCHAR, BPCHAR, JSON, XML -> text(text);
        case JSONB -> jsonb(text);
        case INT2 -> ByteBuffer.allocate(2).putShort(Short.parseShort(text)).array();
        case INT4 -> ByteBuffer.allocate(4).putInt(Integer.parseInt(text)).array();
        case OID -> ByteBuffer.allocate(4).putInt((int) Long.parseLong(text)).array();
        case INT8 -> ByteBuffer.allocate(8).putLong(Long.parseLong(text)).array();
        case FLOAT4 -> ByteBuffer.allocate(4).putFloat(Float.parseFloat(text)).array();
        case FLOAT8 -> ByteBuffer.allocate(8).putDouble(Double.parseDouble(text)).array();
        case NUMERIC -> BinaryNumeric.encode(text);
        case UUID -> uuid(java.util.UUID.fromString(text));
        case DATE -> ByteBuffer.allocate(4).putInt(date(text)).array();
        case TIME ->
            ByteBuffer.allocate(8).putLong(LocalTime.parse(text).toNanoOfDay() / 1000).array();
        case TIMETZ -> timetz(text);
        case TIMESTAMP -> ByteBuffer.allocate(8).putLong(timestamp(text)).array();
        case TIMESTAMPTZ -> ByteBuffer.allocate(8).putLong(timestamptz(text)).array();
        default -> {
          PgType element = elementOf(type).orElseThrow(() -> notSupported(type));
          yield ArrayText.binary(element, text);
        }
      };
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      throw ZynamoErrors.create(
          ZynamoSqlState.FEATURE_NOT_SUPPORTED,
          "cannot send " + type.typeName() + " value in binary format: " + e.getMessage(),
          e);
    }
  }

  /** The element type of an array type ({@code _int4} -> {@code int4}). */
  static java.util.Optional<PgType> elementOf(PgType array) {
    return array.typeName().startsWith("_")
        ? PgType.byName(array.typeName().substring(1))
        : java.util.Optional.empty();
  }

  static SQLException notSupported(PgType type) {
    return ZynamoErrors.create(
        ZynamoSqlState.FEATURE_NOT_SUPPORTED,
        "binary format for results of type "
            + type.typeName()
            + " is not supported by the proxy yet (ask for text format)");
  }

  private static byte[] jsonb(String text) {
    byte[] json = text(text);
    byte[] out = new byte[json.length + 1];
    out[0] = 1; // jsonb binary format version
    System.arraycopy(json, 0, out, 1, json.length);
    return out;
  }

  private static byte[] uuid(UUID id) {
    return ByteBuffer.allocate(16)
        .putLong(id.getMostSignificantBits())
        .putLong(id.getLeastSignificantBits())
        .array();
  }

  private static int date(String text) {
    return switch (text) {
      case "infinity" -> Integer.MAX_VALUE;
      case "-infinity" -> Integer.MIN_VALUE;
      default -> PgEpoch.days(LocalDate.parse(text));
    };
  }

  private static long timestamp(String text) {
    return switch (text) {
      case "infinity" -> Long.MAX_VALUE;
      case "-infinity" -> Long.MIN_VALUE;
      default -> PgEpoch.micros(LocalDateTime.parse(text.replace(' ', 'T')));
    };
  }

  private static long timestamptz(String text) {
    return switch (text) {
      case "infinity" -> Long.MAX_VALUE;
      case "-infinity" -> Long.MIN_VALUE;
      default ->
          PgEpoch.micros(
              OffsetDateTime.parse(withFullOffset(text.replace(' ', 'T')))
                  .withOffsetSameInstant(ZoneOffset.UTC)
                  .toLocalDateTime());
    };
  }

  private static byte[] timetz(String text) {
    OffsetTime time = OffsetTime.parse(withFullOffset(text));
    return ByteBuffer.allocate(12)
        .putLong(time.toLocalTime().toNanoOfDay() / 1000)
        .putInt(-time.getOffset().getTotalSeconds()) // PostgreSQL counts seconds west of UTC
        .array();
  }

  /** PostgreSQL prints {@code +01}; java.time wants {@code +01:00}. */
  static String withFullOffset(String text) {
    int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
    if (sign > 0 && text.length() - sign == 3) {
      return text + ":00";
    }
    return text;
  }
}
