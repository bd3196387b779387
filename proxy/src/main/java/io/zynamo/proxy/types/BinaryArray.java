package io.zynamo.proxy.types;

import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Reads a binary array parameter (arrayfuncs.c, array_recv) into PostgreSQL's text form, which the
 * node parses as the array type: the engine binds it as a typed text value.
 *
 * <pre>
 *   ndim: int32 | flags: int32 | element type: int32 | ndim x (length: int32, lower bound: int32)
 *   then each element: length: int32 (-1 = NULL) | bytes
 * </pre>
 */
final class BinaryArray {

  /** PostgreSQL's MAXDIM. */
  private static final int MAX_DIMENSIONS = 6;

  private BinaryArray() {}

  static String text(byte[] value) throws SQLException {
    ByteBuffer in = ByteBuffer.wrap(value);
    int ndim = in.getInt();
    in.getInt(); // has-nulls flag: the lengths say it anyway
    int elementOid = in.getInt();
    if (ndim < 0 || ndim > MAX_DIMENSIONS) {
      throw new IllegalArgumentException("array of " + ndim + " dimensions (expected 0..6)");
    }
    if (ndim == 0) {
      return "{}";
    }
    PgType element =
        PgType.byOid(elementOid)
            .orElseThrow(
                () -> new IllegalArgumentException("array of element type oid " + elementOid));
    int[] lengths = new int[ndim];
    long total = 1;
    for (int d = 0; d < ndim; d++) {
      lengths[d] = in.getInt();
      in.getInt(); // lower bound: the text form starts at 1
      total *= lengths[d];
      if (lengths[d] < 0 || total > in.remaining() / 4) {
        throw new IllegalArgumentException("array dimensions exceed the value");
      }
    }
    StringBuilder out = new StringBuilder();
    elements(in, element, lengths, 0, out);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("bytes after the last array element");
    }
    return out.toString();
  }

  private static void elements(
      ByteBuffer in, PgType element, int[] lengths, int dimension, StringBuilder out)
      throws SQLException {
    out.append('{');
    for (int i = 0; i < lengths[dimension]; i++) {
      if (i > 0) {
        out.append(',');
      }
      if (dimension + 1 < lengths.length) {
        elements(in, element, lengths, dimension + 1, out);
      } else {
        element(in, element, out);
      }
    }
    out.append('}');
  }

  private static void element(ByteBuffer in, PgType element, StringBuilder out)
      throws SQLException {
    int length = in.getInt();
    if (length == -1) {
      out.append("NULL");
      return;
    }
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("array element of " + length + " bytes exceeds the value");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    Object value = ParameterDecoder.decode(element.oid(), true, bytes);
    out.append('"');
    String text = textOf(Optional.ofNullable(value).orElseThrow());
    for (int c = 0; c < text.length(); c++) {
      char ch = text.charAt(c);
      if (ch == '"' || ch == '\\') {
        out.append('\\');
      }
      out.append(ch);
    }
    out.append('"');
  }

  private static String textOf(Object value) {
    if (value instanceof byte[] bytes) {
      return "\\x" + HexFormat.of().formatHex(bytes);
    }
    if (value instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (value instanceof OffsetDateTime t) {
      return t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
    return value.toString();
  }
}
