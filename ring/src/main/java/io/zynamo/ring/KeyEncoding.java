package io.zynamo.ring;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The canonical byte encoding of a shard key value, the input of {@link KeyHasher}.
 *
 * <p>Values that PostgreSQL considers equal across types must encode identically, or a lookup by
 * {@code key = 5.0} would miss the row stored under {@code 5}. Layout: one tag byte, then a
 * payload:
 *
 * <pre>
 *  tag  kind         payload                                   Java values
 *  0x00 NULL         (none)                                    null
 *  0x01 INTEGER      8 bytes, big-endian two's complement      Byte, Short, Integer, Long, and
 *                                                              integral BigInteger/BigDecimal/
 *                                                              Float/Double that fit in a long
 *  0x02 DECIMAL      UTF-8 of BigDecimal.stripTrailingZeros()  other BigInteger, BigDecimal,
 *                    .toPlainString()                          finite Float/Double (exact value)
 *  0x03 NON_FINITE   1 byte: 0 NaN, 1 +Infinity, 2 -Infinity    Float/Double NaN and infinities
 *  0x04 TEXT         UTF-8 bytes                               String, Character
 *  0x05 UUID         16 bytes: most, then least significant    UUID
 *  0x06 BOOLEAN      1 byte: 0 or 1                            Boolean
 *  0x07 BYTES        the bytes                                 byte[]
 *  0x08 DATE         8 bytes: days since 1970-01-01            LocalDate
 *  0x09 TIMESTAMP    8 bytes: microseconds since 1970-01-01    LocalDateTime (no time zone)
 *  0x0A TIMESTAMPTZ  8 bytes: microseconds since the epoch     Instant, OffsetDateTime,
 *                                                              ZonedDateTime
 * </pre>
 *
 * <p>Timestamps are truncated to microseconds, PostgreSQL's resolution. This encoding is frozen:
 * changing any byte of it would make stored rows unreachable (golden vectors pin it in tests).
 */
public final class KeyEncoding {

  static final byte NULL = 0x00;
  static final byte INTEGER = 0x01;
  static final byte DECIMAL = 0x02;
  static final byte NON_FINITE = 0x03;
  static final byte TEXT = 0x04;
  static final byte UUID_TAG = 0x05;
  static final byte BOOLEAN = 0x06;
  static final byte BYTES = 0x07;
  static final byte DATE = 0x08;
  static final byte TIMESTAMP = 0x09;
  static final byte TIMESTAMPTZ = 0x0A;

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private KeyEncoding() {}

  /**
   * Encodes one shard key value.
   *
   * @throws IllegalArgumentException for a Java type with no canonical encoding
   */
  public static byte[] encode(@Nullable Object value) {
    if (value == null) {
      return new byte[] {NULL};
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return integer(((Number) value).longValue());
    }
    if (value instanceof Byte b) {
      return integer(b);
    }
    if (value instanceof BigInteger big) {
      return exact(new BigDecimal(big));
    }
    if (value instanceof BigDecimal decimal) {
      return exact(decimal);
    }
    if (value instanceof Double || value instanceof Float) {
      return floating(((Number) value).doubleValue());
    }
    if (value instanceof CharSequence || value instanceof Character) {
      return tagged(TEXT, value.toString().getBytes(StandardCharsets.UTF_8));
    }
    return encodeOther(value);
  }

  private static byte[] encodeOther(Object value) {
    if (value instanceof UUID uuid) {
      return ByteBuffer.allocate(17)
          .put(UUID_TAG)
          .putLong(uuid.getMostSignificantBits())
          .putLong(uuid.getLeastSignificantBits())
          .array();
    }
    if (value instanceof Boolean bool) {
      return new byte[] {BOOLEAN, (byte) (bool ? 1 : 0)};
    }
    if (value instanceof byte[] bytes) {
      return tagged(BYTES, bytes);
    }
    if (value instanceof LocalDate date) {
      return tagged(DATE, date.toEpochDay());
    }
    if (value instanceof LocalDateTime dateTime) {
      return tagged(TIMESTAMP, micros(dateTime.toInstant(ZoneOffset.UTC)));
    }
    if (value instanceof Instant instant) {
      return tagged(TIMESTAMPTZ, micros(instant));
    }
    if (value instanceof OffsetDateTime offset) {
      return tagged(TIMESTAMPTZ, micros(offset.toInstant()));
    }
    if (value instanceof ZonedDateTime zoned) {
      return tagged(TIMESTAMPTZ, micros(zoned.toInstant()));
    }
    throw new IllegalArgumentException(
        "shard key type: "
            + value.getClass().getName()
            + " (expected: an integer, numeric, floating point, text, uuid, boolean, bytea, date"
            + " or timestamp value)");
  }

  private static byte[] integer(long value) {
    return tagged(INTEGER, value);
  }

  private static byte[] exact(BigDecimal value) {
    BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      BigInteger integral = stripped.toBigIntegerExact();
      if (integral.compareTo(LONG_MIN) >= 0 && integral.compareTo(LONG_MAX) <= 0) {
        return integer(integral.longValueExact());
      }
    }
    return tagged(DECIMAL, stripped.toPlainString().getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] floating(double value) {
    if (Double.isNaN(value)) {
      return new byte[] {NON_FINITE, 0};
    }
    if (Double.isInfinite(value)) {
      return new byte[] {NON_FINITE, (byte) (value > 0 ? 1 : 2)};
    }
    // The exact binary value: 5.0 encodes as 5 and 0.5 as "0.5", equal to the same numerics.
    return exact(new BigDecimal(value));
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static byte[] tagged(byte tag, long payload) {
    byte[] bytes = new byte[9];
    bytes[0] = tag;
    for (int i = 8; i >= 1; i--) {
      bytes[i] = (byte) payload; // big-endian, as ByteBuffer.putLong
      payload >>>= 8;
    }
    return bytes;
  }

  private static byte[] tagged(byte tag, byte[] payload) {
    byte[] bytes = new byte[payload.length + 1];
    bytes[0] = tag;
    System.arraycopy(payload, 0, bytes, 1, payload.length);
    return bytes;
  }
}
