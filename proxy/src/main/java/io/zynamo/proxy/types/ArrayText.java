package io.zynamo.proxy.types;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads an array as PostgreSQL prints it (array_out: {@code {1,NULL,"b c"}}, nested braces for more
 * dimensions, elements quoted with backslash escapes) and writes its binary form (array_send), for
 * clients that ask for arrays in binary format.
 */
final class ArrayText {

  private final String text;
  private int pos;
  private final List<@Nullable String> elements = new ArrayList<>();
  private final List<Integer> lengths = new ArrayList<>();

  private ArrayText(String text) {
    this.text = text;
  }

  /** The binary form of {@code text}, an array of {@code element} values. */
  static byte[] binary(PgType element, String text) throws SQLException {
    if (text.startsWith("[")) {
      throw new IllegalArgumentException("arrays with explicit bounds are not supported");
    }
    ArrayText parsed = new ArrayText(text);
    parsed.level(0);
    if (parsed.pos != text.length()) {
      throw new IllegalArgumentException("malformed array literal");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int ndim = parsed.elements.isEmpty() ? 0 : parsed.lengths.size();
    boolean hasNull = parsed.elements.contains(null);
    writeInt(out, ndim);
    writeInt(out, hasNull ? 1 : 0);
    writeInt(out, element.oid());
    for (int d = 0; d < ndim; d++) {
      writeInt(out, parsed.lengths.get(d));
      writeInt(out, 1);
    }
    for (String value : parsed.elements) {
      if (value == null) {
        writeInt(out, -1);
      } else {
        byte[] bytes = ValueEncoder.binary(element, value);
        writeInt(out, bytes.length);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toByteArray();
  }

  private void level(int depth) {
    expect('{');
    if (lengths.size() <= depth) {
      lengths.add(0);
    }
    int count = 0;
    if (peek() == '}') {
      pos++;
      return;
    }
    while (true) {
      if (peek() == '{') {
        level(depth + 1);
      } else {
        elements.add(element());
      }
      count++;
      char c = next();
      if (c == '}') {
        break;
      }
      if (c != ',') {
        throw new IllegalArgumentException("malformed array literal at " + (pos - 1));
      }
    }
    lengths.set(depth, count);
  }

  private @Nullable String element() {
    if (peek() == '"') {
      pos++;
      StringBuilder value = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return value.toString();
        }
        value.append(c == '\\' ? next() : c);
      }
    }
    int start = pos;
    while (peek() != ',' && peek() != '}') {
      pos++;
    }
    String value = text.substring(start, pos);
    return value.equalsIgnoreCase("NULL") ? null : value;
  }

  private void expect(char c) {
    if (next() != c) {
      throw new IllegalArgumentException("malformed array literal: expected '" + c + "'");
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw new IllegalArgumentException("malformed array literal: ends early");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.write(ByteBuffer.allocate(4).putInt(value).array(), 0, 4);
  }
}
