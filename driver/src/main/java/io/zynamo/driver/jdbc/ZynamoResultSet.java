package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The result set an application gets from a {@link ZynamoStatement}: the engine's rows as a
 * forward-only, read-only JDBC result set of that statement.
 *
 * <p>What it adds to the engine's result set, which every other call is forwarded to (generated
 * from {@code java.sql.ResultSet} so that no method is forgotten):
 *
 * <ul>
 *   <li>{@link #getStatement()} is the application's statement, not one of the engine's;
 *   <li>the statement's {@code maxRows}: {@link #next()} stops after that many rows, as if the
 *       query had returned no more (the engine still produces them; the seam has no limit yet);
 *   <li>{@code TYPE_FORWARD_ONLY} and {@code CONCUR_READ_ONLY}, whatever the engine's result set
 *       could do: scrolling fails with {@code 24000} and updating with {@code 0A000}, as in pgjdbc;
 *   <li>a closed result set, also one closed with its statement, fails with {@code 08003}.
 * </ul>
 */
@SuppressWarnings("deprecation") // forwards getBigDecimal(int, int) and getUnicodeStream as is
public final class ZynamoResultSet implements ResultSet {

  private final ResultSet delegate;
  private final ZynamoStatement statement;

  /** Most rows {@link #next()} yields; 0 means no limit. */
  private final long maxRows;

  private long rowsRead;
  private boolean limitReached;
  private volatile boolean closed;

  ZynamoResultSet(ResultSet delegate, ZynamoStatement statement, long maxRows) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.statement = requireNonNull(statement, "statement");
    if (maxRows < 0) {
      throw new IllegalArgumentException("maxRows: " + maxRows + " (expected: >= 0)");
    }
    this.maxRows = maxRows;
  }

  private ResultSet open() throws SQLException {
    if (closed) {
      throw JdbcErrors.closed("ResultSet");
    }
    return delegate;
  }

  /** The delegate, positioned on a row this result set shows. */
  private ResultSet row() throws SQLException {
    ResultSet rows = open();
    if (limitReached) {
      throw JdbcErrors.noCurrentRow();
    }
    return rows;
  }

  private SQLException forwardOnly() throws SQLException {
    open();
    return JdbcErrors.forwardOnly();
  }

  private SQLException readOnly() throws SQLException {
    open();
    return JdbcErrors.notSupported(
        "ResultSet updates are not supported: Zynamo's result sets are CONCUR_READ_ONLY");
  }

  @Override
  public boolean next() throws SQLException {
    ResultSet rows = open();
    if (limitReached || (maxRows > 0 && rowsRead >= maxRows)) {
      limitReached = true;
      return false;
    }
    boolean more = rows.next();
    if (more) {
      rowsRead++;
    }
    return more;
  }

  @Override
  public boolean isLast() throws SQLException {
    ResultSet rows = open();
    if (limitReached) {
      return false;
    }
    return (maxRows > 0 && rowsRead == maxRows) || rows.isLast();
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return open().isAfterLast() || limitReached;
  }

  @Override
  public int getRow() throws SQLException {
    ResultSet rows = open();
    return limitReached ? 0 : rows.getRow();
  }

  /** Closes the engine's result set; the statement closes too if it should close on completion. */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      delegate.close();
    } finally {
      statement.resultSetClosed();
    }
  }

  /** Closes without telling the statement: the statement itself is closing this result set. */
  void closeForStatement() throws SQLException {
    if (!closed) {
      closed = true;
      delegate.close();
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public Statement getStatement() throws SQLException {
    open();
    return statement;
  }

  @Override
  public int getType() throws SQLException {
    open();
    return TYPE_FORWARD_ONLY;
  }

  @Override
  public int getConcurrency() throws SQLException {
    open();
    return CONCUR_READ_ONLY;
  }

  @Override
  public int getHoldability() throws SQLException {
    open();
    return statement.holdability();
  }

  @Override
  public int getFetchDirection() throws SQLException {
    open();
    return FETCH_FORWARD;
  }

  /** Only {@code FETCH_FORWARD}: the result set is forward-only. */
  @Override
  public void setFetchDirection(int direction) throws SQLException {
    open();
    if (direction != FETCH_FORWARD) {
      throw ZynamoErrors.invalidValue(
          "fetch direction",
          Integer.toString(direction),
          "FETCH_FORWARD for a forward-only result");
    }
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw JdbcErrors.notAWrapperFor(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  // Generated from java.sql.ResultSet: the rest forwards, scrolls fail, updates fail.

  @Override
  public boolean wasNull() throws SQLException {
    return open().wasNull();
  }

  @Override
  public String getString(int columnIndex) throws SQLException {
    return row().getString(columnIndex);
  }

  @Override
  public boolean getBoolean(int columnIndex) throws SQLException {
    return row().getBoolean(columnIndex);
  }

  @Override
  public byte getByte(int columnIndex) throws SQLException {
    return row().getByte(columnIndex);
  }

  @Override
  public short getShort(int columnIndex) throws SQLException {
    return row().getShort(columnIndex);
  }

  @Override
  public int getInt(int columnIndex) throws SQLException {
    return row().getInt(columnIndex);
  }

  @Override
  public long getLong(int columnIndex) throws SQLException {
    return row().getLong(columnIndex);
  }

  @Override
  public float getFloat(int columnIndex) throws SQLException {
    return row().getFloat(columnIndex);
  }

  @Override
  public double getDouble(int columnIndex) throws SQLException {
    return row().getDouble(columnIndex);
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
    return row().getBigDecimal(columnIndex, scale);
  }

  @Override
  public byte[] getBytes(int columnIndex) throws SQLException {
    return row().getBytes(columnIndex);
  }

  @Override
  public Date getDate(int columnIndex) throws SQLException {
    return row().getDate(columnIndex);
  }

  @Override
  public Time getTime(int columnIndex) throws SQLException {
    return row().getTime(columnIndex);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex) throws SQLException {
    return row().getTimestamp(columnIndex);
  }

  @Override
  public InputStream getAsciiStream(int columnIndex) throws SQLException {
    return row().getAsciiStream(columnIndex);
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(int columnIndex) throws SQLException {
    return row().getUnicodeStream(columnIndex);
  }

  @Override
  public InputStream getBinaryStream(int columnIndex) throws SQLException {
    return row().getBinaryStream(columnIndex);
  }

  @Override
  public String getString(String columnLabel) throws SQLException {
    return row().getString(columnLabel);
  }

  @Override
  public boolean getBoolean(String columnLabel) throws SQLException {
    return row().getBoolean(columnLabel);
  }

  @Override
  public byte getByte(String columnLabel) throws SQLException {
    return row().getByte(columnLabel);
  }

  @Override
  public short getShort(String columnLabel) throws SQLException {
    return row().getShort(columnLabel);
  }

  @Override
  public int getInt(String columnLabel) throws SQLException {
    return row().getInt(columnLabel);
  }

  @Override
  public long getLong(String columnLabel) throws SQLException {
    return row().getLong(columnLabel);
  }

  @Override
  public float getFloat(String columnLabel) throws SQLException {
    return row().getFloat(columnLabel);
  }

  @Override
  public double getDouble(String columnLabel) throws SQLException {
    return row().getDouble(columnLabel);
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(String columnLabel, int scale) throws SQLException {
    return row().getBigDecimal(columnLabel, scale);
  }

  @Override
  public byte[] getBytes(String columnLabel) throws SQLException {
    return row().getBytes(columnLabel);
  }

  @Override
  public Date getDate(String columnLabel) throws SQLException {
    return row().getDate(columnLabel);
  }

  @Override
  public Time getTime(String columnLabel) throws SQLException {
    return row().getTime(columnLabel);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel) throws SQLException {
    return row().getTimestamp(columnLabel);
  }

  @Override
  public InputStream getAsciiStream(String columnLabel) throws SQLException {
    return row().getAsciiStream(columnLabel);
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(String columnLabel) throws SQLException {
    return row().getUnicodeStream(columnLabel);
  }

  @Override
  public InputStream getBinaryStream(String columnLabel) throws SQLException {
    return row().getBinaryStream(columnLabel);
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return open().getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    open().clearWarnings();
  }

  @Override
  public String getCursorName() throws SQLException {
    return open().getCursorName();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return open().getMetaData();
  }

  @Override
  public Object getObject(int columnIndex) throws SQLException {
    return row().getObject(columnIndex);
  }

  @Override
  public Object getObject(String columnLabel) throws SQLException {
    return row().getObject(columnLabel);
  }

  @Override
  public int findColumn(String columnLabel) throws SQLException {
    return open().findColumn(columnLabel);
  }

  @Override
  public Reader getCharacterStream(int columnIndex) throws SQLException {
    return row().getCharacterStream(columnIndex);
  }

  @Override
  public Reader getCharacterStream(String columnLabel) throws SQLException {
    return row().getCharacterStream(columnLabel);
  }

  @Override
  public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
    return row().getBigDecimal(columnIndex);
  }

  @Override
  public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
    return row().getBigDecimal(columnLabel);
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return open().isBeforeFirst();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return open().isFirst();
  }

  @Override
  public void beforeFirst() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public void afterLast() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean first() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean last() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean absolute(int row) throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean relative(int rows) throws SQLException {
    throw forwardOnly();
  }

  @Override
  public boolean previous() throws SQLException {
    throw forwardOnly();
  }

  @Override
  public void setFetchSize(int rows) throws SQLException {
    open().setFetchSize(rows);
  }

  @Override
  public int getFetchSize() throws SQLException {
    return open().getFetchSize();
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    return open().rowUpdated();
  }

  @Override
  public boolean rowInserted() throws SQLException {
    return open().rowInserted();
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    return open().rowDeleted();
  }

  @Override
  public void updateNull(int columnIndex) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBoolean(int columnIndex, boolean x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateByte(int columnIndex, byte x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateShort(int columnIndex, short x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateInt(int columnIndex, int x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateLong(int columnIndex, long x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateFloat(int columnIndex, float x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDouble(int columnIndex, double x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBigDecimal(int columnIndex, BigDecimal x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateString(int columnIndex, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBytes(int columnIndex, byte[] x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDate(int columnIndex, Date x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTime(int columnIndex, Time x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTimestamp(int columnIndex, Timestamp x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(int columnIndex, InputStream x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(int columnIndex, InputStream x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(int columnIndex, Reader x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(int columnIndex, Object x, int scaleOrLength) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(int columnIndex, Object x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNull(String columnLabel) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBoolean(String columnLabel, boolean x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateByte(String columnLabel, byte x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateShort(String columnLabel, short x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateInt(String columnLabel, int x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateLong(String columnLabel, long x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateFloat(String columnLabel, float x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDouble(String columnLabel, double x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBigDecimal(String columnLabel, BigDecimal x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateString(String columnLabel, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBytes(String columnLabel, byte[] x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateDate(String columnLabel, Date x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTime(String columnLabel, Time x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateTimestamp(String columnLabel, Timestamp x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(String columnLabel, InputStream x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(String columnLabel, InputStream x, int length)
      throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(String columnLabel, Reader x, int length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String columnLabel, Object x, int scaleOrLength) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String columnLabel, Object x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void insertRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void deleteRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void refreshRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    throw readOnly();
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    throw readOnly();
  }

  @Override
  public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
    return row().getObject(columnIndex, map);
  }

  @Override
  public Ref getRef(int columnIndex) throws SQLException {
    return row().getRef(columnIndex);
  }

  @Override
  public Blob getBlob(int columnIndex) throws SQLException {
    return row().getBlob(columnIndex);
  }

  @Override
  public Clob getClob(int columnIndex) throws SQLException {
    return row().getClob(columnIndex);
  }

  @Override
  public Array getArray(int columnIndex) throws SQLException {
    return row().getArray(columnIndex);
  }

  @Override
  public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
    return row().getObject(columnLabel, map);
  }

  @Override
  public Ref getRef(String columnLabel) throws SQLException {
    return row().getRef(columnLabel);
  }

  @Override
  public Blob getBlob(String columnLabel) throws SQLException {
    return row().getBlob(columnLabel);
  }

  @Override
  public Clob getClob(String columnLabel) throws SQLException {
    return row().getClob(columnLabel);
  }

  @Override
  public Array getArray(String columnLabel) throws SQLException {
    return row().getArray(columnLabel);
  }

  @Override
  public Date getDate(int columnIndex, Calendar cal) throws SQLException {
    return row().getDate(columnIndex, cal);
  }

  @Override
  public Date getDate(String columnLabel, Calendar cal) throws SQLException {
    return row().getDate(columnLabel, cal);
  }

  @Override
  public Time getTime(int columnIndex, Calendar cal) throws SQLException {
    return row().getTime(columnIndex, cal);
  }

  @Override
  public Time getTime(String columnLabel, Calendar cal) throws SQLException {
    return row().getTime(columnLabel, cal);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
    return row().getTimestamp(columnIndex, cal);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
    return row().getTimestamp(columnLabel, cal);
  }

  @Override
  public URL getURL(int columnIndex) throws SQLException {
    return row().getURL(columnIndex);
  }

  @Override
  public URL getURL(String columnLabel) throws SQLException {
    return row().getURL(columnLabel);
  }

  @Override
  public void updateRef(int columnIndex, Ref x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRef(String columnLabel, Ref x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(int columnIndex, Blob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(String columnLabel, Blob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(int columnIndex, Clob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(String columnLabel, Clob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateArray(int columnIndex, Array x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateArray(String columnLabel, Array x) throws SQLException {
    throw readOnly();
  }

  @Override
  public RowId getRowId(int columnIndex) throws SQLException {
    return row().getRowId(columnIndex);
  }

  @Override
  public RowId getRowId(String columnLabel) throws SQLException {
    return row().getRowId(columnLabel);
  }

  @Override
  public void updateRowId(int columnIndex, RowId x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateRowId(String columnLabel, RowId x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNString(int columnIndex, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNString(String columnLabel, String x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(int columnIndex, NClob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(String columnLabel, NClob x) throws SQLException {
    throw readOnly();
  }

  @Override
  public NClob getNClob(int columnIndex) throws SQLException {
    return row().getNClob(columnIndex);
  }

  @Override
  public NClob getNClob(String columnLabel) throws SQLException {
    return row().getNClob(columnLabel);
  }

  @Override
  public SQLXML getSQLXML(int columnIndex) throws SQLException {
    return row().getSQLXML(columnIndex);
  }

  @Override
  public SQLXML getSQLXML(String columnLabel) throws SQLException {
    return row().getSQLXML(columnLabel);
  }

  @Override
  public void updateSQLXML(int columnIndex, SQLXML x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateSQLXML(String columnLabel, SQLXML x) throws SQLException {
    throw readOnly();
  }

  @Override
  public String getNString(int columnIndex) throws SQLException {
    return row().getNString(columnIndex);
  }

  @Override
  public String getNString(String columnLabel) throws SQLException {
    return row().getNString(columnLabel);
  }

  @Override
  public Reader getNCharacterStream(int columnIndex) throws SQLException {
    return row().getNCharacterStream(columnIndex);
  }

  @Override
  public Reader getNCharacterStream(String columnLabel) throws SQLException {
    return row().getNCharacterStream(columnLabel);
  }

  @Override
  public void updateNCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNCharacterStream(String columnLabel, Reader x, long length)
      throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(int columnIndex, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(int columnIndex, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(String columnLabel, InputStream x, long length)
      throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(String columnLabel, InputStream x, long length)
      throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(String columnLabel, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(int columnIndex, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(String columnLabel, InputStream x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(int columnIndex, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(String columnLabel, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(int columnIndex, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(String columnLabel, Reader x, long length) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNCharacterStream(int columnIndex, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNCharacterStream(String columnLabel, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(int columnIndex, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(int columnIndex, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(int columnIndex, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateAsciiStream(String columnLabel, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBinaryStream(String columnLabel, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateCharacterStream(String columnLabel, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(int columnIndex, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateBlob(String columnLabel, InputStream x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(int columnIndex, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateClob(String columnLabel, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(int columnIndex, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateNClob(String columnLabel, Reader x) throws SQLException {
    throw readOnly();
  }

  @Override
  public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
    return row().getObject(columnIndex, type);
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
    return row().getObject(columnLabel, type);
  }

  @Override
  public void updateObject(int columnIndex, Object x, SQLType targetSqlType, int scaleOrLength)
      throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String columnLabel, Object x, SQLType targetSqlType, int scaleOrLength)
      throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(int columnIndex, Object x, SQLType targetSqlType) throws SQLException {
    throw readOnly();
  }

  @Override
  public void updateObject(String columnLabel, Object x, SQLType targetSqlType)
      throws SQLException {
    throw readOnly();
  }
}
