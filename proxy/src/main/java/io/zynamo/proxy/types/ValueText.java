package io.zynamo.proxy.types;

import java.io.ByteArrayOutputStream;

/** PostgreSQL's text forms that the proxy reads itself. */
final class ValueText {

  private ValueText() {}

  /**
   * A bytea in its text input forms (byteain): hex {@code \x0a0b} or escape ({@code a\\000b},
   * {@code \\\\} for a backslash).
   */
  static byte[] bytea(String text) {
    if (text.startsWith("\\x")) {
      return hex(text.substring(2));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\') {
        if (c > 0xff) {
          throw new IllegalArgumentException("invalid input syntax for type bytea");
        }
        out.write(c);
      } else if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < text.length() && isOctal(text, i + 1, i + 4)) {
        out.write(Integer.parseInt(text.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        throw new IllegalArgumentException("invalid input syntax for type bytea");
      }
    }
    return out.toByteArray();
  }

  private static boolean isOctal(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '7' || (i == from && c > '3')) {
        return false;
      }
    }
    return true;
  }

  /** Hex digits, possibly separated by blanks between pairs (as byteain allows). */
  private static byte[] hex(String digits) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(digits.length() / 2);
    int i = 0;
    while (i < digits.length()) {
      char c = digits.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
        continue;
      }
      if (i + 1 >= digits.length()) {
        throw new IllegalArgumentException("invalid hexadecimal data: odd number of digits");
      }
      out.write(Character.digit(c, 16) << 4 | digit(digits.charAt(i + 1)));
      digit(c);
      i += 2;
    }
    return out.toByteArray();
  }

  private static int digit(char c) {
    int d = Character.digit(c, 16);
    if (d < 0) {
      throw new IllegalArgumentException("invalid hexadecimal digit: \"" + c + "\"");
    }
    return d;
  }
}
