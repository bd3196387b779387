package io.zynamo.driver.sql;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * One numeric constant (SQL 4.1.2.6, PostgreSQL 16 syntax): decimal digits with {@code _}
 * separators, an optional fraction and exponent, or a {@code 0x}/{@code 0o}/{@code 0b} integer.
 */
record NumberScan(int end, boolean decimal, boolean pgSixteenSyntax, Object value) {

  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** Scans the constant starting at {@code start}. */
  static NumberScan at(String sql, int start) {
    if (sql.charAt(start) == '0' && start + 1 < sql.length()) {
      int radix =
          switch (sql.charAt(start + 1)) {
            case 'x', 'X' -> 16;
            case 'o', 'O' -> 8;
            case 'b', 'B' -> 2;
            default -> 0;
          };
      if (radix != 0) {
        return radix(sql, start, radix);
      }
    }
    return decimal(sql, start);
  }

  private static NumberScan radix(String sql, int start, int radix) {
    int end = digits(sql, start + 2, radix);
    if (end == start + 2) {
      throw new MalformedSqlException("trailing junk after numeric literal");
    }
    String digits = sql.substring(start + 2, end).replace("_", "");
    return new NumberScan(end, false, true, integer(new BigInteger(digits, radix)));
  }

  private static NumberScan decimal(String sql, int start) {
    int i = digits(sql, start, 10);
    boolean decimal = false;
    if (i < sql.length() && sql.charAt(i) == '.' && !sql.startsWith("..", i)) {
      decimal = true;
      i = digits(sql, i + 1, 10);
    }
    if (i < sql.length() && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int exponent = i + 1;
      if (exponent < sql.length() && "+-".indexOf(sql.charAt(exponent)) >= 0) {
        exponent++;
      }
      int end = digits(sql, exponent, 10);
      if (end == exponent) {
        throw new MalformedSqlException("trailing junk after numeric literal");
      }
      decimal = true;
      i = end;
    }
    String text = sql.substring(start, i);
    boolean underscores = text.indexOf('_') >= 0;
    String plain = underscores ? text.replace("_", "") : text;
    Object value = decimal ? new BigDecimal(plain) : integer(new BigInteger(plain));
    return new NumberScan(i, decimal, underscores, value);
  }

  /** Digits in {@code radix} with single {@code _} between digits; returns the end. */
  private static int digits(String sql, int from, int radix) {
    int i = from;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.digit(c, radix) >= 0 && c < 0x80) {
        i++;
      } else if (c == '_'
          && i > from
          && i + 1 < sql.length()
          && Character.digit(sql.charAt(i + 1), radix) >= 0) {
        i++;
      } else {
        break;
      }
    }
    return i;
  }

  /** A Long when it fits, else the BigInteger (PostgreSQL types it numeric). */
  static Object integer(BigInteger value) {
    if (value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0) {
      return value.longValue();
    }
    return value;
  }
}
