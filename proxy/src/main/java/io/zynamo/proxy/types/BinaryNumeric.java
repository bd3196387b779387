package io.zynamo.proxy.types;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;

/**
 * The binary form of {@code numeric} (numeric.c, numeric_send/numeric_recv): base-10000 digits.
 *
 * <pre>
 *   ndigits: int16 | weight: int16 | sign: int16 | dscale: int16 | ndigits x digit: int16
 *   value = sum(digit[i] * 10000^(weight - i)); sign 0x0000 +, 0x4000 -, 0xC000 NaN,
 *   0xD000 +Infinity, 0xF000 -Infinity; dscale = digits after the decimal point
 * </pre>
 */
final class BinaryNumeric {

  static final short POSITIVE = 0x0000;
  static final short NEGATIVE = 0x4000;
  static final short NAN = (short) 0xC000;
  static final short PLUS_INFINITY = (short) 0xD000;
  static final short MINUS_INFINITY = (short) 0xF000;

  /** PostgreSQL's NUMERIC_MAX_DISPLAY_SCALE / digit limits keep ndigits far below this. */
  private static final int MAX_DIGITS = 10_000;

  private BinaryNumeric() {}

  /** The text value PostgreSQL prints ({@code 12.50}, {@code NaN}, {@code -Infinity}) as binary. */
  static byte[] encode(String text) {
    return switch (text) {
      case "NaN" -> special(NAN);
      case "Infinity" -> special(PLUS_INFINITY);
      case "-Infinity" -> special(MINUS_INFINITY);
      default -> encode(new BigDecimal(text));
    };
  }

  static byte[] encode(BigDecimal value) {
    short sign = value.signum() < 0 ? NEGATIVE : POSITIVE;
    int dscale = Math.max(0, value.scale());
    String plain = value.abs().toPlainString();
    int point = plain.indexOf('.');
    String intPart = point < 0 ? plain : plain.substring(0, point);
    String fracPart = point < 0 ? "" : plain.substring(point + 1);
    intPart = "0".repeat((4 - intPart.length() % 4) % 4) + intPart;
    fracPart = fracPart + "0".repeat((4 - fracPart.length() % 4) % 4);
    String all = intPart + fracPart;
    int groups = all.length() / 4;
    short[] digits = new short[groups];
    for (int i = 0; i < groups; i++) {
      digits[i] = Short.parseShort(all.substring(4 * i, 4 * i + 4));
    }
    int weight = intPart.length() / 4 - 1;
    int first = 0;
    while (first < groups && digits[first] == 0) {
      first++;
      weight--;
    }
    int last = groups;
    while (last > first && digits[last - 1] == 0) {
      last--;
    }
    if (first == last) {
      weight = 0;
    }
    ByteBuffer out = ByteBuffer.allocate(8 + 2 * (last - first));
    out.putShort((short) (last - first)).putShort((short) weight).putShort(sign);
    out.putShort((short) dscale);
    for (int i = first; i < last; i++) {
      out.putShort(digits[i]);
    }
    return out.array();
  }

  /** The value of a binary numeric; NaN and infinities have no BigDecimal and are refused. */
  static BigDecimal decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < 8) {
      throw new IllegalArgumentException("numeric of " + bytes.length + " bytes (expected >= 8)");
    }
    int ndigits = in.getShort();
    int weight = in.getShort();
    short sign = in.getShort();
    int dscale = in.getShort();
    if (ndigits < 0 || ndigits > MAX_DIGITS || bytes.length != 8 + 2 * ndigits || dscale < 0) {
      throw new IllegalArgumentException("malformed binary numeric");
    }
    if (sign != POSITIVE && sign != NEGATIVE) {
      throw new IllegalArgumentException("numeric NaN or infinity has no exact Java value");
    }
    BigDecimal value = BigDecimal.ZERO;
    for (int i = 0; i < ndigits; i++) {
      int digit = in.getShort();
      if (digit < 0 || digit > 9999) {
        throw new IllegalArgumentException("numeric digit " + digit + " (expected 0..9999)");
      }
      value = value.add(BigDecimal.valueOf(digit).scaleByPowerOfTen(4 * (weight - i)));
    }
    value = value.setScale(dscale, RoundingMode.UNNECESSARY);
    return sign == NEGATIVE ? value.negate() : value;
  }

  private static byte[] special(short sign) {
    return ByteBuffer.allocate(8)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort(sign)
        .putShort((short) 0)
        .array();
  }
}
