package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.sql.SQLException;

/**
 * Reads a stream or reader bound as a parameter into the value sent to the engine ({@code byte[]}
 * or {@code String}), since a statement may run on several nodes and so needs its value more than
 * once. The whole value is held in memory, at most {@value #MAX_LENGTH} bytes or characters:
 * PostgreSQL's limit for one field value (1 GB - 1), so nothing larger could be stored anyway.
 *
 * <p>With a length, exactly that many are read (a longer stream's rest is left unread, as pgjdbc)
 * and a shorter stream fails; without one, the stream is read to its end.
 */
final class ParameterStreams {

  /** PostgreSQL's largest field value, MaxAllocSize - 1 (src/include/utils/memutils.h). */
  static final long MAX_LENGTH = 0x3fff_ffffL;

  /** Read everything, as the JDBC methods without a length ask. */
  static final long TO_END = -1;

  private static final int CHUNK = 8192;

  private ParameterStreams() {}

  /** The bytes of {@code in}: {@code length} of them, or all when {@link #TO_END}. */
  static byte[] bytes(int index, InputStream in, long length) throws SQLException {
    long expected = checkLength(index, length, "bytes");
    ByteArrayOutputStream out = new ByteArrayOutputStream(initialSize(expected));
    byte[] chunk = new byte[CHUNK];
    long total = 0;
    try {
      while (total < expected) {
        int n = in.read(chunk, 0, (int) Math.min(CHUNK, expected - total));
        if (n < 0) {
          break;
        }
        total += n;
        checkTotal(index, total, length, "bytes");
        out.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw readFailed(index, e);
    }
    checkComplete(index, total, length, "bytes");
    return out.toByteArray();
  }

  /** The characters of {@code in}: {@code length} of them, or all when {@link #TO_END}. */
  static String chars(int index, Reader in, long length) throws SQLException {
    long expected = checkLength(index, length, "characters");
    StringBuilder out = new StringBuilder(initialSize(expected));
    char[] chunk = new char[CHUNK];
    long total = 0;
    try {
      while (total < expected) {
        int n = in.read(chunk, 0, (int) Math.min(CHUNK, expected - total));
        if (n < 0) {
          break;
        }
        total += n;
        checkTotal(index, total, length, "characters");
        out.append(chunk, 0, n);
      }
    } catch (IOException e) {
      throw readFailed(index, e);
    }
    checkComplete(index, total, length, "characters");
    return out.toString();
  }

  /** How many to read at most: the length, or one more than the limit to detect an overflow. */
  private static long checkLength(int index, long length, String unit) throws SQLException {
    if (length == TO_END) {
      return MAX_LENGTH + 1;
    }
    if (length < 0 || length > MAX_LENGTH) {
      throw ZynamoErrors.invalidValue(
          "parameter " + index + " stream length",
          Long.toString(length),
          "0.." + MAX_LENGTH + " " + unit);
    }
    return length;
  }

  private static int initialSize(long expected) {
    return (int) Math.min(expected, CHUNK);
  }

  private static void checkTotal(int index, long total, long length, String unit)
      throws SQLException {
    if (length == TO_END && total > MAX_LENGTH) {
      throw ZynamoErrors.invalidValue(
          "parameter " + index + " stream",
          "more than " + MAX_LENGTH + " " + unit,
          "<= " + MAX_LENGTH + ", PostgreSQL's limit for one value");
    }
  }

  private static void checkComplete(int index, long total, long length, String unit)
      throws SQLException {
    if (length != TO_END && total < length) {
      throw ZynamoErrors.invalidValue(
          "parameter " + index + " stream",
          "ended after " + total + " " + unit,
          length + " " + unit + ", the length given");
    }
  }

  private static SQLException readFailed(int index, IOException e) {
    return ZynamoErrors.create(
        ZynamoSqlState.IO_ERROR, "parameter " + index + ": reading the stream failed", e);
  }
}
