package io.zynamo.proxy.copy;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes rows of text values as {@code COPY ... TO STDOUT} does (copyto.c): text format with
 * backslash escapes, or CSV quoted where needed; each row ends with a newline.
 */
public final class CopyWriter {

  private final CopyFormat format;
  private final boolean[] forceQuote;
  private final String delimiter;
  private final boolean single;

  /**
   * @param names the names of the columns written, in order (for FORCE_QUOTE)
   */
  public CopyWriter(CopyFormat format, List<String> names) {
    this.format = requireNonNull(format, "format");
    this.delimiter = new String(new byte[] {format.delimiter()}, StandardCharsets.UTF_8);
    this.forceQuote = new boolean[names.size()];
    this.single = names.size() == 1;
    for (int i = 0; i < names.size(); i++) {
      forceQuote[i] = format.forceQuoteAll() || format.forceQuote().contains(names.get(i));
    }
  }

  /** The header line: the column names, written as values are (never NULL, never forced). */
  public byte[] header(List<String> names) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        line.append(delimiter);
      }
      appendValue(line, names.get(i), false);
    }
    return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One row. */
  public byte[] row(List<@Nullable String> values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        line.append(delimiter);
      }
      String value = values.get(i);
      if (value == null) {
        line.append(format.nullString());
      } else {
        appendValue(line, value, i < forceQuote.length && forceQuote[i]);
      }
    }
    return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
  }

  private void appendValue(StringBuilder line, String value, boolean forced) {
    if (format.csv()) {
      csv(line, value, forced);
    } else {
      text(line, value);
    }
  }

  private void text(StringBuilder line, String value) {
    char delim = (char) (format.delimiter() & 0xff);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20) {
        switch (c) {
          case '\b' -> line.append("\\b");
          case '\f' -> line.append("\\f");
          case '\n' -> line.append("\\n");
          case '\r' -> line.append("\\r");
          case '\t' -> line.append("\\t");
          case 0x0b -> line.append("\\v");
          default -> {
            if (c == delim) {
              line.append('\\');
            }
            line.append(c);
          }
        }
      } else if (c == '\\' || c == delim) {
        line.append('\\').append(c);
      } else {
        line.append(c);
      }
    }
  }

  private void csv(StringBuilder line, String value, boolean forced) {
    char quote = (char) (format.quote() & 0xff);
    char escape = (char) (format.escape() & 0xff);
    char delim = (char) (format.delimiter() & 0xff);
    boolean quoted =
        forced
            || value.equals(format.nullString())
            || (single && value.equals("\\."))
            || value.indexOf(delim) >= 0
            || value.indexOf(quote) >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    if (!quoted) {
      line.append(value);
      return;
    }
    line.append(quote);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == quote || c == escape) {
        line.append(escape);
      }
      line.append(c);
    }
    line.append(quote);
  }
}
