package io.zynamo.proxy.copy;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code COPY ... FROM STDIN} data, fed in chunks as CopyData messages arrive, into rows of
 * text values (null for SQL NULL), as PostgreSQL's copyfromparse.c reads the text and CSV formats:
 *
 * <ul>
 *   <li>text: one line per row ({@code \n} or {@code \r\n}), fields split at the delimiter, a field
 *       equal to the null string (before de-escaping) is NULL, backslash escapes ({@code \t},
 *       {@code \n}, octal, {@code \x} hex, any other character as itself); a bare carriage return
 *       inside a line is an error;
 *   <li>CSV: fields may be quoted, a quoted field may hold delimiters and line breaks, the escape
 *       byte before a quote (or before itself) inside quotes stands for it; an unquoted field equal
 *       to the null string is NULL, a quoted one never is (but see FORCE_NULL / FORCE_NOT_NULL);
 *   <li>both: a line {@code \.} ends the data; a header line is skipped (or checked, with MATCH).
 * </ul>
 *
 * Values must be UTF-8 (22021). Every row must have exactly the expected number of fields (22P04),
 * and no row may be longer than {@code maxRowBytes} (54000), so memory stays bounded by it.
 */
public final class CopyReader {

  private final CopyFormat format;
  private final List<String> names;
  private final int maxRowBytes;
  private final String table;
  private final boolean[] forceNotNull;
  private final boolean[] forceNull;
  private final byte[] nullBytes;

  private byte[] buffer = new byte[8192];
  private int start;
  private int limit;
  private long line;
  private boolean headerSeen;
  private boolean finished;

  /**
   * @param table the table's name as written, for error messages
   * @param names the names of the columns the rows fill, in order
   */
  public CopyReader(CopyFormat format, String table, List<String> names, int maxRowBytes) {
    this.format = requireNonNull(format, "format");
    this.table = requireNonNull(table, "table");
    this.names = List.copyOf(names);
    this.maxRowBytes = maxRowBytes;
    this.nullBytes = format.nullString().getBytes(StandardCharsets.UTF_8);
    this.forceNotNull = new boolean[names.size()];
    this.forceNull = new boolean[names.size()];
    for (int i = 0; i < names.size(); i++) {
      forceNotNull[i] = format.forceNotNull().contains(names.get(i));
      forceNull[i] = format.forceNull().contains(names.get(i));
    }
  }

  /** Checks that every FORCE_NOT_NULL / FORCE_NULL column is one the rows fill. */
  public void checkForcedColumns() throws SQLException {
    for (String forced : concat(format.forceNotNull(), format.forceNull())) {
      if (!names.contains(forced)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.SYNTAX_ERROR,
            "FORCE_NOT_NULL/FORCE_NULL column \"" + forced + "\" not referenced by COPY");
      }
    }
  }

  private static List<String> concat(java.util.Set<String> a, java.util.Set<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Whether the end-of-data line {@code \.} was read: later data is ignored. */
  public boolean finished() {
    return finished;
  }

  /** Appends a chunk of data. */
  public void feed(byte[] chunk) throws SQLException {
    if (finished) {
      return;
    }
    if (limit + chunk.length > buffer.length) {
      int pending = limit - start;
      if (pending + chunk.length > buffer.length - (buffer.length >> 2) || start == 0) {
        int size = buffer.length;
        while (size < pending + chunk.length) {
          size = Math.multiplyExact(size, 2);
        }
        buffer = Arrays.copyOfRange(buffer, start, start + size);
      } else {
        System.arraycopy(buffer, start, buffer, 0, pending);
      }
      limit = pending;
      start = 0;
    }
    System.arraycopy(chunk, 0, buffer, limit, chunk.length);
    limit += chunk.length;
  }

  /**
   * The complete rows read so far, in order.
   *
   * @param end no more data will come: what is left is the last row
   */
  public List<List<@Nullable String>> rows(boolean end) throws SQLException {
    List<List<@Nullable String>> rows = new ArrayList<>();
    while (!finished) {
      List<@Nullable String> row = format.csv() ? csvRow(end) : textRow(end);
      if (row == null) {
        break;
      }
      rows.add(row);
    }
    if (!finished && limit - start > maxRowBytes) {
      throw ZynamoErrors.create(
          ZynamoSqlState.PROGRAM_LIMIT_EXCEEDED,
          "COPY row of "
              + table
              + " longer than "
              + maxRowBytes
              + " bytes (the proxy's maxMessageBytes), line "
              + (line + 1));
    }
    return rows;
  }

  // ---- text format ----

  private @Nullable List<@Nullable String> textRow(boolean end) throws SQLException {
    while (true) {
      int eol = indexOf((byte) '\n', start);
      int next;
      int stop;
      if (eol < 0) {
        if (!end || start == limit) {
          return null;
        }
        stop = buffer[limit - 1] == '\r' ? limit - 1 : limit;
        next = limit;
      } else {
        stop = eol > start && buffer[eol - 1] == '\r' ? eol - 1 : eol;
        next = eol + 1;
      }
      int from = start;
      start = next;
      line++;
      if (stop - from == 2 && buffer[from] == '\\' && buffer[from + 1] == '.') {
        finished = true;
        return null;
      }
      if (format.header() && !headerSeen) {
        headerSeen = true;
        if (format.matchHeader()) {
          checkHeader(textFields(from, stop));
        }
        continue;
      }
      return checkCount(textFields(from, stop));
    }
  }

  private List<@Nullable String> textFields(int from, int stop) throws SQLException {
    List<@Nullable String> fields = new ArrayList<>(names.size());
    int fieldStart = from;
    int i = from;
    while (true) {
      if (i == stop || buffer[i] == format.delimiter()) {
        fields.add(textField(fieldStart, i));
        if (i == stop) {
          return fields;
        }
        fieldStart = ++i;
      } else if (buffer[i] == '\\' && i + 1 < stop) {
        i += 2;
      } else if (buffer[i] == '\r') {
        throw badFormat("literal carriage return found in data");
      } else {
        i++;
      }
    }
  }

  private @Nullable String textField(int from, int to) throws SQLException {
    if (to - from == nullBytes.length && Arrays.equals(buffer, from, to, nullBytes, 0, to - from)) {
      return null;
    }
    ByteArrayOutputStream out = null;
    for (int i = from; i < to; i++) {
      byte b = buffer[i];
      if (b != '\\') {
        if (out != null) {
          out.write(b);
        }
        continue;
      }
      if (out == null) {
        out = new ByteArrayOutputStream(to - from);
        out.write(buffer, from, i - from);
      }
      if (i + 1 >= to) {
        out.write('\\'); // a backslash at the end of a line stands for itself
        continue;
      }
      byte e = buffer[++i];
      switch (e) {
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'v' -> out.write(0x0b);
        case 'x' -> {
          int v = 0;
          int digits = 0;
          while (digits < 2 && i + 1 < to && Character.digit(buffer[i + 1], 16) >= 0) {
            v = v * 16 + Character.digit(buffer[++i], 16);
            digits++;
          }
          out.write(digits == 0 ? 'x' : v);
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            int digits = 1;
            while (digits < 3 && i + 1 < to && buffer[i + 1] >= '0' && buffer[i + 1] <= '7') {
              v = v * 8 + (buffer[++i] - '0');
              digits++;
            }
            out.write(v & 0xff);
          } else {
            out.write(e);
          }
        }
      }
    }
    return out == null ? utf8(buffer, from, to - from) : utf8(out.toByteArray(), 0, out.size());
  }

  // ---- CSV ----

  private @Nullable List<@Nullable String> csvRow(boolean end) throws SQLException {
    while (true) {
      if (start == limit) {
        return null;
      }
      List<@Nullable String> fields = new ArrayList<>(names.size());
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      boolean quoted = false;
      boolean inQuotes = false;
      int i = start;
      int lines = 1;
      boolean complete = false;
      while (!complete) {
        if (i >= limit) {
          if (!end) {
            return null; // wait for more data
          }
          if (inQuotes) {
            throw badFormat("unterminated CSV quoted field");
          }
          fields.add(csvField(fields.size(), value, quoted));
          complete = true;
          continue;
        }
        byte b = buffer[i];
        if (inQuotes) {
          if (b == format.escape() && format.escape() != format.quote() && i + 1 < limit) {
            byte after = buffer[i + 1];
            if (after == format.quote() || after == format.escape()) {
              value.write(after);
              i += 2;
              continue;
            }
          } else if (b == format.escape() && format.escape() != format.quote() && !end) {
            return null; // the escape's meaning depends on the next byte
          }
          if (b == format.quote()) {
            if (format.escape() == format.quote()) {
              if (i + 1 >= limit && !end) {
                return null;
              }
              if (i + 1 < limit && buffer[i + 1] == format.quote()) {
                value.write(b);
                i += 2;
                continue;
              }
            }
            inQuotes = false;
            i++;
            continue;
          }
          if (b == '\n') {
            lines++;
          }
          value.write(b);
          i++;
        } else if (b == format.quote()) {
          inQuotes = true;
          quoted = true;
          i++;
        } else if (b == format.delimiter()) {
          fields.add(csvField(fields.size(), value, quoted));
          value.reset();
          quoted = false;
          i++;
        } else if (b == '\n' || b == '\r') {
          if (b == '\r' && i + 1 >= limit && !end) {
            return null;
          }
          i += b == '\r' && i + 1 < limit && buffer[i + 1] == '\n' ? 2 : 1;
          fields.add(csvField(fields.size(), value, quoted));
          complete = true;
        } else {
          value.write(b);
          i++;
        }
      }
      int from = start;
      start = i;
      line += lines;
      if (fields.size() == 1 && !quoted && isEndMarker(from)) {
        finished = true;
        return null;
      }
      if (format.header() && !headerSeen) {
        headerSeen = true;
        if (format.matchHeader()) {
          checkHeader(fields);
        }
        continue;
      }
      return checkCount(fields);
    }
  }

  private boolean isEndMarker(int from) {
    return from + 1 < limit
        && buffer[from] == '\\'
        && buffer[from + 1] == '.'
        && (from + 2 == start || buffer[from + 2] == '\n' || (buffer[from + 2] == '\r'));
  }

  private @Nullable String csvField(int column, ByteArrayOutputStream value, boolean quoted)
      throws SQLException {
    byte[] bytes = value.toByteArray();
    boolean isNullString = Arrays.equals(bytes, nullBytes);
    if (isNullString && column < names.size()) {
      if (!quoted && !forceNotNull[column]) {
        return null;
      }
      if (quoted && forceNull[column]) {
        return null;
      }
    } else if (isNullString && !quoted) {
      return null;
    }
    return utf8(bytes, 0, bytes.length);
  }

  // ---- both ----

  private List<@Nullable String> checkCount(List<@Nullable String> fields) throws SQLException {
    if (fields.size() < names.size()) {
      if (names.isEmpty()) {
        return fields;
      }
      throw badFormat("missing data for column \"" + names.get(fields.size()) + "\"");
    }
    if (fields.size() > names.size()) {
      if (names.isEmpty()
          && fields.size() == 1
          && fields.get(0) != null
          && fields.get(0).isEmpty()) {
        return List.of(); // a table without columns: empty lines
      }
      throw badFormat("extra data after last expected column");
    }
    return fields;
  }

  private void checkHeader(List<@Nullable String> fields) throws SQLException {
    if (fields.size() != names.size()) {
      throw badFormat(
          "wrong number of fields in header line: got "
              + fields.size()
              + ", expected "
              + names.size());
    }
    for (int i = 0; i < fields.size(); i++) {
      String got = fields.get(i);
      if (got == null) {
        throw badFormat(
            "column name mismatch in header line field "
                + (i + 1)
                + ": got null value (\""
                + format.nullString()
                + "\"), expected \""
                + names.get(i)
                + "\"");
      }
      if (!got.equals(names.get(i))) {
        throw badFormat(
            "column name mismatch in header line field "
                + (i + 1)
                + ": got \""
                + got
                + "\", expected \""
                + names.get(i)
                + "\"");
      }
    }
  }

  private int indexOf(byte b, int from) {
    for (int i = from; i < limit; i++) {
      if (buffer[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private String utf8(byte[] bytes, int offset, int length) throws SQLException {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] == 0) {
        throw ZynamoErrors.create(
            ZynamoSqlState.CHARACTER_NOT_IN_REPERTOIRE,
            "invalid byte sequence for encoding \"UTF8\": 0x00" + where());
      }
    }
    try {
      return Utf8.decode(bytes, offset, length);
    } catch (CharacterCodingException e) {
      throw ZynamoErrors.create(
          ZynamoSqlState.CHARACTER_NOT_IN_REPERTOIRE,
          "invalid byte sequence for encoding \"UTF8\"" + where(),
          e);
    }
  }

  private SQLException badFormat(String message) {
    return ZynamoErrors.create(ZynamoSqlState.BAD_COPY_FILE_FORMAT, message + where());
  }

  /** PostgreSQL's error context, in the message: {@code (COPY t, line 3)}. */
  private String where() {
    return " (COPY " + table + ", line " + line + ")";
  }
}
