package io.zynamo.driver.sql;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the escapes of PostgreSQL string constants (SQL 4.1.2.2 and 4.1.2.3): C-style backslash
 * escapes of {@code E''} strings, which may spell UTF-8 bytes one by one, and the {@code
 * \XXXX}/{@code \+XXXXXX} escapes of {@code U&''} strings.
 */
final class StringEscapes {

  private StringEscapes() {}

  /** The value of an {@code E''} body (doubled quotes already collapsed to {@code \'}). */
  static String backslash(String raw) {
    if (raw.indexOf('\\') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c != '\\' || i + 1 >= raw.length()) {
        int cp = raw.codePointAt(i);
        i += Character.charCount(cp);
        writeUtf8(bytes, cp);
        continue;
      }
      i = escape(raw, i + 1, bytes);
    }
    return utf8(bytes.toByteArray());
  }

  /** Decodes one escape whose letter is at {@code i}; returns the index after it. */
  private static int escape(String raw, int i, ByteArrayOutputStream bytes) {
    char c = raw.charAt(i);
    switch (c) {
      case 'b' -> bytes.write('\b');
      case 'f' -> bytes.write('\f');
      case 'n' -> bytes.write('\n');
      case 'r' -> bytes.write('\r');
      case 't' -> bytes.write('\t');
      case 'x' -> {
        int end = hexEnd(raw, i + 1, 2);
        if (end == i + 1) {
          bytes.write('x');
          return i + 1;
        }
        bytes.write(Integer.parseInt(raw.substring(i + 1, end), 16));
        return end;
      }
      case 'u', 'U' -> {
        int width = c == 'u' ? 4 : 8;
        if (hexEnd(raw, i + 1, width) != i + 1 + width) {
          throw new MalformedSqlException("invalid Unicode escape");
        }
        return unicodeEscape(raw, i + 1, width, bytes);
      }
      default -> {
        if (c >= '0' && c <= '7') {
          int end = i;
          while (end < raw.length()
              && end < i + 3
              && raw.charAt(end) >= '0'
              && raw.charAt(end) <= '7') {
            end++;
          }
          bytes.write(Integer.parseInt(raw.substring(i, end), 8) & 0xFF);
          return end;
        }
        int cp = raw.codePointAt(i);
        writeUtf8(bytes, cp);
        return i + Character.charCount(cp);
      }
    }
    return i + 1;
  }

  private static int unicodeEscape(String raw, int from, int width, ByteArrayOutputStream bytes) {
    int cp = (int) Long.parseLong(raw.substring(from, from + width), 16);
    int end = from + width;
    if (cp < 0x10000 && Character.isHighSurrogate((char) cp)) {
      // A surrogate pair spelled as two escapes; a lone surrogate is "invalid Unicode surrogate
      // pair".
      if (!raw.startsWith("\\u", end) || hexEnd(raw, end + 2, 4) != end + 6) {
        throw new MalformedSqlException("invalid Unicode surrogate pair");
      }
      int low = Integer.parseInt(raw.substring(end + 2, end + 6), 16);
      if (!Character.isLowSurrogate((char) low)) {
        throw new MalformedSqlException("invalid Unicode surrogate pair");
      }
      cp = Character.toCodePoint((char) cp, (char) low);
      end += 6;
    }
    if (!Character.isValidCodePoint(cp) || (cp < 0x10000 && Character.isSurrogate((char) cp))) {
      throw new MalformedSqlException("invalid Unicode escape value");
    }
    writeUtf8(bytes, cp);
    return end;
  }

  /** The value of a {@code U&''} body with escape character {@code escape}. */
  static String unicode(String raw, char escape) {
    StringBuilder out = new StringBuilder(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c != escape) {
        out.append(c);
        i++;
      } else if (i + 1 < raw.length() && raw.charAt(i + 1) == escape) {
        out.append(escape);
        i += 2;
      } else {
        boolean plus = i + 1 < raw.length() && raw.charAt(i + 1) == '+';
        int from = i + (plus ? 2 : 1);
        int width = plus ? 6 : 4;
        if (hexEnd(raw, from, width) != from + width) {
          throw new MalformedSqlException("invalid Unicode escape");
        }
        int cp = Integer.parseInt(raw.substring(from, from + width), 16);
        if (!Character.isValidCodePoint(cp)) {
          throw new MalformedSqlException("invalid Unicode escape value");
        }
        out.appendCodePoint(cp);
        i = from + width;
      }
    }
    return out.toString();
  }

  /** {@code X'1F'} as the bit string {@code 00011111}. */
  static String hexToBits(String hex) {
    StringBuilder bits = new StringBuilder(hex.length() * 4);
    for (int i = 0; i < hex.length(); i++) {
      int digit = Character.digit(hex.charAt(i), 16);
      if (digit < 0) {
        throw new MalformedSqlException("invalid hexadecimal digit");
      }
      String four = Integer.toBinaryString(digit);
      bits.append("0".repeat(4 - four.length())).append(four);
    }
    return bits.toString();
  }

  private static int hexEnd(String raw, int from, int max) {
    int end = from;
    while (end < raw.length() && end < from + max && Character.digit(raw.charAt(end), 16) >= 0) {
      end++;
    }
    return end;
  }

  private static void writeUtf8(ByteArrayOutputStream bytes, int cp) {
    byte[] encoded = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    bytes.write(encoded, 0, encoded.length);
  }

  /** Escapes may spell bytes; like a UTF-8 server, reject sequences that are not UTF-8. */
  private static String utf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        throw new MalformedSqlException("invalid byte sequence for encoding UTF8: 0x00");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedSqlException("invalid byte sequence for encoding UTF8");
    }
  }
}
