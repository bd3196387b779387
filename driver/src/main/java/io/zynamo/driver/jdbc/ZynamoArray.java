package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An array made by {@code Connection.createArrayOf}, for binding as a parameter ({@code setArray},
 * {@code setObject}): the PostgreSQL element type name and the elements.
 *
 * <p>{@link #toString()} is the PostgreSQL array literal ({@code {1,2,NULL}}, elements quoted as
 * needed, nested {@code Object[]} as nested arrays, {@code byte[]} as bytea hex, anything else by
 * its {@code toString()}), because pgjdbc binds any {@code java.sql.Array} that is not its own by
 * that text and the base type name. Reading it back as a result set is not supported.
 */
public final class ZynamoArray implements Array {

  /** JDBC types of common element type names, as pgjdbc reports them; others are OTHER. */
  private static final Map<String, Integer> BASE_TYPES =
      Map.ofEntries(
          Map.entry("int2", Types.SMALLINT),
          Map.entry("smallint", Types.SMALLINT),
          Map.entry("int4", Types.INTEGER),
          Map.entry("int", Types.INTEGER),
          Map.entry("integer", Types.INTEGER),
          Map.entry("int8", Types.BIGINT),
          Map.entry("bigint", Types.BIGINT),
          Map.entry("float4", Types.REAL),
          Map.entry("real", Types.REAL),
          Map.entry("float8", Types.DOUBLE),
          Map.entry("double precision", Types.DOUBLE),
          Map.entry("numeric", Types.NUMERIC),
          Map.entry("decimal", Types.NUMERIC),
          Map.entry("text", Types.VARCHAR),
          Map.entry("varchar", Types.VARCHAR),
          Map.entry("character varying", Types.VARCHAR),
          Map.entry("bpchar", Types.CHAR),
          Map.entry("char", Types.CHAR),
          Map.entry("character", Types.CHAR),
          Map.entry("bool", Types.BIT),
          Map.entry("boolean", Types.BIT),
          Map.entry("date", Types.DATE),
          Map.entry("time", Types.TIME),
          Map.entry("timestamp", Types.TIMESTAMP),
          Map.entry("timestamptz", Types.TIMESTAMP),
          Map.entry("bytea", Types.BINARY));

  private final String baseTypeName;
  private final @Nullable Object[] elements;
  private boolean freed;

  ZynamoArray(String baseTypeName, @Nullable Object[] elements) throws SQLException {
    if (baseTypeName == null || baseTypeName.isBlank()) {
      throw ZynamoErrors.invalidValue(
          "createArrayOf type name", String.valueOf(baseTypeName), "a type name such as int4");
    }
    this.baseTypeName = baseTypeName;
    this.elements = requireNonNull(elements, "elements").clone();
  }

  private @Nullable Object[] elements() throws SQLException {
    if (freed) {
      throw ZynamoErrors.create(
          ZynamoSqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "free() was called on this Array");
    }
    return elements;
  }

  @Override
  public String getBaseTypeName() throws SQLException {
    elements();
    return baseTypeName;
  }

  @Override
  public int getBaseType() throws SQLException {
    elements();
    return BASE_TYPES.getOrDefault(baseTypeName.toLowerCase(Locale.ROOT), Types.OTHER);
  }

  /** A copy of the elements. */
  @Override
  public Object getArray() throws SQLException {
    return elements().clone();
  }

  @Override
  public Object getArray(@Nullable Map<String, Class<?>> map) throws SQLException {
    checkTypeMap(map);
    return getArray();
  }

  /** {@code count} elements from the 1-based {@code index}. */
  @Override
  public Object getArray(long index, int count) throws SQLException {
    @Nullable Object[] all = elements();
    if (index < 1 || count < 0 || index - 1 + count > all.length) {
      throw ZynamoErrors.invalidValue(
          "array slice",
          "index " + index + ", count " + count,
          "1 <= index, index - 1 + count <= " + all.length);
    }
    int from = (int) (index - 1);
    return Arrays.copyOfRange(all, from, from + count);
  }

  @Override
  public Object getArray(long index, int count, @Nullable Map<String, Class<?>> map)
      throws SQLException {
    checkTypeMap(map);
    return getArray(index, count);
  }

  private static void checkTypeMap(@Nullable Map<String, Class<?>> map) throws SQLException {
    if (map != null && !map.isEmpty()) {
      throw JdbcErrors.notSupported("type maps are not supported (only an empty one)");
    }
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    throw noResultSet();
  }

  @Override
  public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
    throw noResultSet();
  }

  @Override
  public ResultSet getResultSet(long index, int count) throws SQLException {
    throw noResultSet();
  }

  @Override
  public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map)
      throws SQLException {
    throw noResultSet();
  }

  private SQLException noResultSet() throws SQLException {
    elements();
    return JdbcErrors.notSupported(
        "getResultSet is not supported on an array made by createArrayOf: use getArray()");
  }

  @Override
  public void free() {
    freed = true;
  }

  /** The PostgreSQL array literal, e.g. {@code {"a b","c\"d",NULL}}. */
  @Override
  public String toString() {
    StringBuilder literal = new StringBuilder();
    appendArray(literal, elements);
    return literal.toString();
  }

  private static void appendArray(StringBuilder literal, @Nullable Object[] values) {
    literal.append('{');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        literal.append(',');
      }
      Object value = values[i];
      if (value == null) {
        literal.append("NULL");
      } else if (value instanceof Object[] nested) {
        appendArray(literal, nested);
      } else if (value instanceof byte[] bytes) {
        appendQuoted(literal, "\\x" + HexFormat.of().formatHex(bytes));
      } else {
        appendQuoted(literal, value.toString());
      }
    }
    literal.append('}');
  }

  /** Double-quoted, so that commas, braces, blanks and the word NULL stay data. */
  private static void appendQuoted(StringBuilder literal, String text) {
    literal.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        literal.append('\\');
      }
      literal.append(c);
    }
    literal.append('"');
  }
}
