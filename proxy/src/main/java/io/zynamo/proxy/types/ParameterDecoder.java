package io.zynamo.proxy.types;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.proxy.wire.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PGobject;

/**
 * Turns a Bind message's parameter value into the Java value the engine binds, so that it reaches
 * the node with the type the client meant and routes by the value PostgreSQL would see.
 *
 * <ul>
 *   <li>Text, untyped (OID 0): a pgjdbc {@code PGobject} of type {@code unknown}, which pgjdbc
 *       binds with that type so the node infers it from the context, as for the client's own
 *       untyped parameter.
 *   <li>Text of a number, boolean, string, bytea or uuid type: the Java value of that type.
 *   <li>Text of any other type the proxy knows: a {@code PGobject} of that type, parsed by the node
 *       as it would parse the client's text.
 *   <li>Binary: decoded for bool, bytea, int2/4/8, oid, float4/8, numeric, text types, uuid, date,
 *       time, timestamp, timestamptz and arrays of these; other types fail with 0A000.
 * </ul>
 */
public final class ParameterDecoder {

  private ParameterDecoder() {}

  /**
   * The Java value of one parameter.
   *
   * @param typeOid the type the client declared in Parse, 0 when it left it to the server
   * @param binary whether the value is in binary format
   * @param value the bytes, null for SQL NULL
   */
  public static @Nullable Object decode(int typeOid, boolean binary, byte @Nullable [] value)
      throws SQLException {
    Optional<PgType> type = PgType.byOid(typeOid);
    if (value == null) {
      return type.map(ParameterDecoder::typedNull).orElse(null);
    }
    try {
      if (binary) {
        return binary(type.orElseThrow(() -> notSupported(typeOid)), value);
      }
      String text = utf8(value);
      return type.isEmpty() ? untyped(text) : text(type.get(), text);
    } catch (IllegalArgumentException
        | ArithmeticException
        | java.nio.BufferUnderflowException
        | java.time.DateTimeException e) {
      throw ZynamoErrors.create(
          binary
              ? ZynamoSqlState.INVALID_BINARY_REPRESENTATION
              : ZynamoSqlState.INVALID_TEXT_REPRESENTATION,
          "invalid value for parameter of type "
              + type.map(PgType::typeName).orElse("oid " + typeOid)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A null of the declared type, as the engine takes it; null (untyped, for the node to infer) for
   * types JDBC has no code for.
   */
  private static @Nullable Object typedNull(PgType type) {
    int sqlType =
        switch (type) {
          case BOOL -> Types.BOOLEAN;
          case INT2 -> Types.SMALLINT;
          case INT4 -> Types.INTEGER;
          case INT8 -> Types.BIGINT;
          case FLOAT4 -> Types.REAL;
          case FLOAT8 -> Types.DOUBLE;
          case NUMERIC -> Types.NUMERIC;
          case TEXT, VARCHAR, BPCHAR, NAME -> Types.VARCHAR;
          case BYTEA -> Types.BINARY;
          case DATE -> Types.DATE;
          case TIME -> Types.TIME;
          case TIMESTAMP -> Types.TIMESTAMP;
          case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
          default -> Types.OTHER;
        };
    return sqlType == Types.OTHER ? null : new StatementExecutor.TypedNull(sqlType);
  }

  private static Object untyped(String text) throws SQLException {
    return pgObject("unknown", text);
  }

  private static Object text(PgType type, String text) throws SQLException {
    return switch (type) {
      case INT2 -> Short.valueOf(text.trim());
      case INT4 -> Integer.valueOf(text.trim());
      case INT8 -> Long.valueOf(text.trim());
      case FLOAT4, FLOAT8, NUMERIC, BOOL, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, TIMETZ, INTERVAL ->
          pgObject(type.typeName(), text);
      case TEXT, VARCHAR, BPCHAR, NAME -> text;
      case UUID -> java.util.UUID.fromString(text.trim());
      case BYTEA -> ValueText.bytea(text);
      case UNKNOWN -> untyped(text);
      default -> pgObject(type.typeName(), text);
    };
  }

  private static Object binary(PgType type, byte[] value) throws SQLException {
    ByteBuffer in = ByteBuffer.wrap(value);
    return switch (type) {
      case BOOL -> exactly(value, 1) && value[0] != 0;
      case INT2 -> exactly(value, 2) ? in.getShort() : null;
      case INT4 -> exactly(value, 4) ? in.getInt() : null;
      case OID -> exactly(value, 4) ? Integer.toUnsignedLong(in.getInt()) : null;
      case INT8 -> exactly(value, 8) ? in.getLong() : null;
      case FLOAT4 -> exactly(value, 4) ? in.getFloat() : null;
      case FLOAT8 -> exactly(value, 8) ? in.getDouble() : null;
      case NUMERIC -> BinaryNumeric.decode(value);
      case BYTEA -> value.clone();
      case TEXT, VARCHAR, BPCHAR, NAME -> utf8(value);
      case UUID -> exactly(value, 16) ? new UUID(in.getLong(), in.getLong()) : null;
      case DATE -> exactly(value, 4) ? PgEpoch.date(in.getInt()) : null;
      case TIME -> exactly(value, 8) ? LocalTime.ofNanoOfDay(in.getLong() * 1000) : null;
      case TIMESTAMP -> exactly(value, 8) ? PgEpoch.dateTime(in.getLong()) : null;
      case TIMESTAMPTZ ->
          exactly(value, 8) ? PgEpoch.dateTime(in.getLong()).atOffset(ZoneOffset.UTC) : null;
      default -> {
        if (!type.typeName().startsWith("_")) {
          throw notSupported(type.oid());
        }
        yield pgObject(type.typeName(), BinaryArray.text(value));
      }
    };
  }

  private static String utf8(byte[] value) throws SQLException {
    try {
      return Utf8.decode(value);
    } catch (CharacterCodingException e) {
      throw ZynamoErrors.create(
          ZynamoSqlState.CHARACTER_NOT_IN_REPERTOIRE,
          "invalid byte sequence for encoding \"UTF8\" in a parameter value",
          e);
    }
  }

  /** True if {@code value} has {@code length} bytes; otherwise the value is malformed. */
  private static boolean exactly(byte[] value, int length) {
    if (value.length != length) {
      throw new IllegalArgumentException(
          "binary value of " + value.length + " bytes (expected: " + length + ")");
    }
    return true;
  }

  private static PGobject pgObject(String type, String text) throws SQLException {
    PGobject object = new PGobject();
    object.setType(type);
    object.setValue(text);
    return object;
  }

  private static SQLException notSupported(int typeOid) {
    return ZynamoErrors.create(
        ZynamoSqlState.FEATURE_NOT_SUPPORTED,
        "binary format for parameters of type "
            + PgType.byOid(typeOid).map(PgType::typeName).orElse("oid " + typeOid)
            + " is not supported by the proxy yet (send it in text format)");
  }
}
