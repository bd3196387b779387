package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.execution.StatementExecutor.TypedNull;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.JDBCType;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A prepared statement: SQL text with {@code ?} parameters, whose values go to the engine as Java
 * values in parameter order, a null as a {@link TypedNull} of its JDBC type.
 *
 * <p>What each setter binds:
 *
 * <ul>
 *   <li>primitives and their Java types as themselves ({@code setInt} an Integer, {@code setByte} a
 *       Byte...); {@code setString}/{@code setNString} a String; {@code setBytes} a copy of the
 *       array; {@code setDate/Time/Timestamp} the java.sql value;
 *   <li>with a {@code Calendar}: the date, time of day or wall-clock time in the calendar's time
 *       zone as LocalDate, LocalTime or LocalDateTime. pgjdbc sends the value with the calendar's
 *       offset and lets the server infer the type; the java.time value gives the same result for
 *       {@code date}, {@code time} and {@code timestamp} columns, while a {@code timestamptz}
 *       column reads it in the node session's time zone;
 *   <li>{@code setObject} without a type: the value as is (a byte[] copied, a Character as a
 *       String, a stream or reader read as by the stream setters); with a target type: converted as
 *       pgjdbc converts (see {@link TargetTypes});
 *   <li>streams and readers: read at once into a byte[] or String, at most 1 GB - 1 (see {@link
 *       ParameterStreams}), ASCII streams as US-ASCII and the deprecated Unicode stream as UTF-8;
 *   <li>{@code setSQLXML}: the document as pgjdbc's {@code PGobject} of type {@code xml}; {@code
 *       setArray}: the {@code java.sql.Array};
 *   <li>not supported ({@code 0A000}): {@code setBlob}/{@code setClob}/{@code setNClob} (pgjdbc
 *       binds them as large objects, which are local to one node), {@code setRef}, {@code
 *       setRowId}, {@code setURL}; nulls of these types are accepted.
 * </ul>
 *
 * <p>The number of parameters comes from the SQL text ({@code SqlFrontend.parameterCount}): an
 * execution with one unset fails with pgjdbc's {@code 22023} "No value specified for parameter n.",
 * as does one with a value beyond the last. {@link #getMetaData()} is null (the engine cannot
 * describe a statement before running it yet); {@link #getParameterMetaData()} knows the count but
 * not the types. Methods that take SQL text fail with pgjdbc's {@code 42809}.
 */
public final class ZynamoPreparedStatement extends ZynamoStatement implements PreparedStatement {

  private final String sql;
  private final KeyColumns keys;
  private final Parameters parameters = new Parameters();
  private final int parameterCount;

  ZynamoPreparedStatement(
      ZynamoConnection connection, String sql, KeyColumns keys, int holdability) {
    super(connection, holdability, true);
    this.sql = requireNonNull(sql, "sql");
    this.keys = requireNonNull(keys, "keys");
    this.parameterCount = connection.frontend().parameterCount(sql);
  }

  @Override
  KeyColumns defaultKeys() {
    return keys;
  }

  private List<@Nullable Object> bound() throws SQLException {
    checkOpen();
    return parameters.bound(parameterCount);
  }

  private void bind(int index, @Nullable Object value, int sqlTypeOfNull) throws SQLException {
    checkOpen();
    parameters.set(index, value == null ? new TypedNull(sqlTypeOfNull) : value);
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    return query(sql, bound());
  }

  @Override
  public int executeUpdate() throws SQLException {
    return asInt(executeLargeUpdate());
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    return update(sql, bound(), keys);
  }

  @Override
  public boolean execute() throws SQLException {
    return run(sql, bound(), keys);
  }

  /** Adds the current values (checked now, so a batch never fails for an unset parameter). */
  @Override
  public void addBatch() throws SQLException {
    addToBatch(new Batch.Entry(sql, bound()));
  }

  @Override
  public void clearParameters() throws SQLException {
    checkOpen();
    parameters.clear();
  }

  /** Null, which JDBC allows when unknown: the engine cannot describe a statement yet. */
  @Override
  public @Nullable ResultSetMetaData getMetaData() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    checkOpen();
    return new ZynamoParameterMetaData(parameterCount);
  }

  @Override
  public void setNull(int parameterIndex, int sqlType) throws SQLException {
    bind(parameterIndex, null, sqlType);
  }

  /** The type name is not passed on: the engine binds the null by its JDBC type. */
  @Override
  public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
    bind(parameterIndex, null, sqlType);
  }

  @Override
  public void setBoolean(int parameterIndex, boolean x) throws SQLException {
    bind(parameterIndex, x, Types.BOOLEAN);
  }

  @Override
  public void setByte(int parameterIndex, byte x) throws SQLException {
    bind(parameterIndex, x, Types.TINYINT);
  }

  @Override
  public void setShort(int parameterIndex, short x) throws SQLException {
    bind(parameterIndex, x, Types.SMALLINT);
  }

  @Override
  public void setInt(int parameterIndex, int x) throws SQLException {
    bind(parameterIndex, x, Types.INTEGER);
  }

  @Override
  public void setLong(int parameterIndex, long x) throws SQLException {
    bind(parameterIndex, x, Types.BIGINT);
  }

  @Override
  public void setFloat(int parameterIndex, float x) throws SQLException {
    bind(parameterIndex, x, Types.REAL);
  }

  @Override
  public void setDouble(int parameterIndex, double x) throws SQLException {
    bind(parameterIndex, x, Types.DOUBLE);
  }

  @Override
  public void setBigDecimal(int parameterIndex, @Nullable BigDecimal x) throws SQLException {
    bind(parameterIndex, x, Types.DECIMAL);
  }

  @Override
  public void setString(int parameterIndex, @Nullable String x) throws SQLException {
    bind(parameterIndex, x, Types.VARCHAR);
  }

  @Override
  public void setNString(int parameterIndex, @Nullable String value) throws SQLException {
    bind(parameterIndex, value, Types.NVARCHAR);
  }

  /** A copy, as pgjdbc: changing the array afterwards does not change the parameter. */
  @Override
  public void setBytes(int parameterIndex, byte @Nullable [] x) throws SQLException {
    bind(parameterIndex, x == null ? null : x.clone(), Types.VARBINARY);
  }

  @Override
  public void setDate(int parameterIndex, @Nullable Date x) throws SQLException {
    bind(parameterIndex, x, Types.DATE);
  }

  @Override
  public void setTime(int parameterIndex, @Nullable Time x) throws SQLException {
    bind(parameterIndex, x, Types.TIME);
  }

  @Override
  public void setTimestamp(int parameterIndex, @Nullable Timestamp x) throws SQLException {
    bind(parameterIndex, x, Types.TIMESTAMP);
  }

  /** The date in the calendar's time zone, as a LocalDate (see the class comment). */
  @Override
  public void setDate(int parameterIndex, @Nullable Date x, @Nullable Calendar cal)
      throws SQLException {
    bind(parameterIndex, x == null || cal == null ? x : TargetTypes.inZone(x, cal), Types.DATE);
  }

  /** The time of day in the calendar's time zone, as a LocalTime (see the class comment). */
  @Override
  public void setTime(int parameterIndex, @Nullable Time x, @Nullable Calendar cal)
      throws SQLException {
    bind(parameterIndex, x == null || cal == null ? x : TargetTypes.inZone(x, cal), Types.TIME);
  }

  /**
   * The wall-clock time in the calendar's time zone, as a LocalDateTime (see the class comment).
   */
  @Override
  public void setTimestamp(int parameterIndex, @Nullable Timestamp x, @Nullable Calendar cal)
      throws SQLException {
    bind(
        parameterIndex, x == null || cal == null ? x : TargetTypes.inZone(x, cal), Types.TIMESTAMP);
  }

  @Override
  public void setObject(int parameterIndex, @Nullable Object x) throws SQLException {
    checkOpen();
    bind(parameterIndex, x == null ? null : untyped(parameterIndex, x), Types.OTHER);
  }

  private Object untyped(int index, Object x) throws SQLException {
    if (x instanceof byte[] bytes) {
      return bytes.clone();
    }
    if (x instanceof Character c) {
      return c.toString();
    }
    if (x instanceof InputStream in) {
      return ParameterStreams.bytes(index, in, ParameterStreams.TO_END);
    }
    if (x instanceof Reader reader) {
      return ParameterStreams.chars(index, reader, ParameterStreams.TO_END);
    }
    if (x instanceof SQLXML xml) {
      return TargetTypes.xml(xml.getString());
    }
    if (x instanceof Blob || x instanceof Clob) {
      throw largeObjects();
    }
    return x;
  }

  @Override
  public void setObject(int parameterIndex, @Nullable Object x, int targetSqlType)
      throws SQLException {
    setObject(parameterIndex, x, targetSqlType, TargetTypes.NO_SCALE);
  }

  /**
   * Converted to the target type as pgjdbc converts ({@link TargetTypes}); {@code scaleOrLength} is
   * the scale of a DECIMAL or NUMERIC.
   */
  @Override
  public void setObject(
      int parameterIndex, @Nullable Object x, int targetSqlType, int scaleOrLength)
      throws SQLException {
    checkOpen();
    Object value =
        x == null ? null : TargetTypes.convert(parameterIndex, x, targetSqlType, scaleOrLength);
    bind(parameterIndex, value, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, @Nullable Object x, SQLType targetSqlType)
      throws SQLException {
    setObject(parameterIndex, x, vendorType(targetSqlType));
  }

  @Override
  public void setObject(
      int parameterIndex, @Nullable Object x, SQLType targetSqlType, int scaleOrLength)
      throws SQLException {
    setObject(parameterIndex, x, vendorType(targetSqlType), scaleOrLength);
  }

  private int vendorType(SQLType type) throws SQLException {
    checkOpen();
    if (type instanceof JDBCType jdbcType) {
      return jdbcType.getVendorTypeNumber();
    }
    throw JdbcErrors.notSupported(
        "SQLType " + type + " is not supported (only java.sql.JDBCType constants)");
  }

  @Override
  public void setArray(int parameterIndex, @Nullable Array x) throws SQLException {
    bind(parameterIndex, x, Types.ARRAY);
  }

  @Override
  public void setSQLXML(int parameterIndex, @Nullable SQLXML xmlObject) throws SQLException {
    bind(
        parameterIndex,
        xmlObject == null ? null : TargetTypes.xml(xmlObject.getString()),
        Types.SQLXML);
  }

  @Override
  public void setAsciiStream(int parameterIndex, @Nullable InputStream x) throws SQLException {
    setAsciiStream(parameterIndex, x, ParameterStreams.TO_END);
  }

  @Override
  public void setAsciiStream(int parameterIndex, @Nullable InputStream x, int length)
      throws SQLException {
    setAsciiStream(parameterIndex, x, (long) length);
  }

  @Override
  public void setAsciiStream(int parameterIndex, @Nullable InputStream x, long length)
      throws SQLException {
    checkOpen();
    bind(parameterIndex, x == null ? null : text(parameterIndex, x, length, true), Types.VARCHAR);
  }

  /** The stream's bytes as UTF-8 text, {@code length} bytes of it. */
  @Override
  @Deprecated
  public void setUnicodeStream(int parameterIndex, @Nullable InputStream x, int length)
      throws SQLException {
    checkOpen();
    bind(parameterIndex, x == null ? null : text(parameterIndex, x, length, false), Types.VARCHAR);
  }

  private static String text(int index, InputStream in, long length, boolean ascii)
      throws SQLException {
    byte[] bytes = ParameterStreams.bytes(index, in, length);
    return new String(bytes, ascii ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8);
  }

  @Override
  public void setBinaryStream(int parameterIndex, @Nullable InputStream x) throws SQLException {
    setBinaryStream(parameterIndex, x, ParameterStreams.TO_END);
  }

  @Override
  public void setBinaryStream(int parameterIndex, @Nullable InputStream x, int length)
      throws SQLException {
    setBinaryStream(parameterIndex, x, (long) length);
  }

  @Override
  public void setBinaryStream(int parameterIndex, @Nullable InputStream x, long length)
      throws SQLException {
    checkOpen();
    bind(
        parameterIndex,
        x == null ? null : ParameterStreams.bytes(parameterIndex, x, length),
        Types.VARBINARY);
  }

  @Override
  public void setCharacterStream(int parameterIndex, @Nullable Reader reader) throws SQLException {
    setCharacterStream(parameterIndex, reader, ParameterStreams.TO_END);
  }

  @Override
  public void setCharacterStream(int parameterIndex, @Nullable Reader reader, int length)
      throws SQLException {
    setCharacterStream(parameterIndex, reader, (long) length);
  }

  @Override
  public void setCharacterStream(int parameterIndex, @Nullable Reader reader, long length)
      throws SQLException {
    checkOpen();
    bind(
        parameterIndex,
        reader == null ? null : ParameterStreams.chars(parameterIndex, reader, length),
        Types.VARCHAR);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, @Nullable Reader value) throws SQLException {
    setCharacterStream(parameterIndex, value, ParameterStreams.TO_END);
  }

  @Override
  public void setNCharacterStream(int parameterIndex, @Nullable Reader value, long length)
      throws SQLException {
    setCharacterStream(parameterIndex, value, length);
  }

  @Override
  public void setBlob(int parameterIndex, @Nullable Blob x) throws SQLException {
    bindLargeObject(parameterIndex, x, Types.BLOB);
  }

  @Override
  public void setBlob(int parameterIndex, @Nullable InputStream inputStream) throws SQLException {
    bindLargeObject(parameterIndex, inputStream, Types.BLOB);
  }

  @Override
  public void setBlob(int parameterIndex, @Nullable InputStream inputStream, long length)
      throws SQLException {
    bindLargeObject(parameterIndex, inputStream, Types.BLOB);
  }

  @Override
  public void setClob(int parameterIndex, @Nullable Clob x) throws SQLException {
    bindLargeObject(parameterIndex, x, Types.CLOB);
  }

  @Override
  public void setClob(int parameterIndex, @Nullable Reader reader) throws SQLException {
    bindLargeObject(parameterIndex, reader, Types.CLOB);
  }

  @Override
  public void setClob(int parameterIndex, @Nullable Reader reader, long length)
      throws SQLException {
    bindLargeObject(parameterIndex, reader, Types.CLOB);
  }

  @Override
  public void setNClob(int parameterIndex, @Nullable NClob value) throws SQLException {
    bindLargeObject(parameterIndex, value, Types.NCLOB);
  }

  @Override
  public void setNClob(int parameterIndex, @Nullable Reader reader) throws SQLException {
    bindLargeObject(parameterIndex, reader, Types.NCLOB);
  }

  @Override
  public void setNClob(int parameterIndex, @Nullable Reader reader, long length)
      throws SQLException {
    bindLargeObject(parameterIndex, reader, Types.NCLOB);
  }

  /** Only a null: pgjdbc would store a value as a large object, local to one node. */
  private void bindLargeObject(int index, @Nullable Object value, int sqlType) throws SQLException {
    checkOpen();
    if (value != null) {
      throw largeObjects();
    }
    bind(index, null, sqlType);
  }

  private static SQLException largeObjects() {
    return JdbcErrors.notSupported(
        "Blob, Clob and NClob parameters are not supported: large objects are local to one node;"
            + " bind byte[] (setBytes) for bytea or a String (setString) for text");
  }

  @Override
  public void setRef(int parameterIndex, @Nullable Ref x) throws SQLException {
    bindUnsupported(parameterIndex, x, Types.REF, "setRef");
  }

  @Override
  public void setRowId(int parameterIndex, @Nullable RowId x) throws SQLException {
    bindUnsupported(parameterIndex, x, Types.ROWID, "setRowId");
  }

  @Override
  public void setURL(int parameterIndex, @Nullable URL x) throws SQLException {
    bindUnsupported(parameterIndex, x, Types.DATALINK, "setURL (bind the URL as a String)");
  }

  private void bindUnsupported(int index, @Nullable Object value, int sqlType, String what)
      throws SQLException {
    checkOpen();
    if (value != null) {
      throw JdbcErrors.notSupported(what + " is not supported, as in pgjdbc");
    }
    bind(index, null, sqlType);
  }

  // SQL text belongs to the PreparedStatement: pgjdbc's 42809 for every method taking some.

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    throw JdbcErrors.queryStringOnPreparedStatement();
  }
}
