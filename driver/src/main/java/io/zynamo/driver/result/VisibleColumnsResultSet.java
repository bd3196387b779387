package io.zynamo.driver.result;

import static java.util.Objects.requireNonNull;

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
import org.jspecify.annotations.Nullable;

/**
 * A node's result set showing only the user's columns: Zynamo's internal {@code zynamo_*} columns
 * (row identity, bucket, version) are skipped in indexes, labels and metadata, so {@code SELECT *}
 * and {@code RETURNING *} look exactly as on one plain PostgreSQL.
 *
 * <p>Every other call forwards to the node's result set (generated from {@code java.sql.ResultSet}
 * so no method is forgotten).
 */
@SuppressWarnings("deprecation") // forwards getBigDecimal(int, int) and getUnicodeStream as is
public final class VisibleColumnsResultSet implements ResultSet {

  private final ResultSet delegate;
  private final @Nullable Statement statement;
  private final VisibleColumns columns;
  private final @Nullable AutoCloseable resources;

  /**
   * Wraps a node's result set.
   *
   * @param statement what {@link #getStatement()} returns: the user's statement, not the node's
   */
  public VisibleColumnsResultSet(ResultSet delegate, @Nullable Statement statement)
      throws SQLException {
    this(delegate, statement, null);
  }

  /**
   * Wraps a node's result set that streams from a pooled connection.
   *
   * @param resources closed after the result set (the node statement and connection), so the rows
   *     stream instead of being held in memory and the connection returns to its pool
   */
  public VisibleColumnsResultSet(
      ResultSet delegate, @Nullable Statement statement, @Nullable AutoCloseable resources)
      throws SQLException {
    this(delegate, statement, VisibleColumns.of(delegate.getMetaData()), resources);
  }

  private VisibleColumnsResultSet(
      ResultSet delegate,
      @Nullable Statement statement,
      VisibleColumns columns,
      @Nullable AutoCloseable resources) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.statement = statement;
    this.columns = columns;
    this.resources = resources;
  }

  /**
   * The user's columns of {@code delegate} at {@code userIndexes} only, in that order: the
   * generated keys a statement asked for by column name or index.
   *
   * @throws SQLException {@code 22023} if an index is not that of a user column
   */
  public static VisibleColumnsResultSet selecting(
      ResultSet delegate, @Nullable Statement statement, int[] userIndexes) throws SQLException {
    VisibleColumns columns = VisibleColumns.of(delegate.getMetaData()).select(userIndexes);
    return new VisibleColumnsResultSet(delegate, statement, columns, null);
  }

  /**
   * The user's columns of a node's metadata that no result set carries yet: a statement described
   * before it runs (the proxy's Describe of a prepared statement).
   */
  public static ResultSetMetaData visibleMetaData(ResultSetMetaData nodeMetaData)
      throws SQLException {
    return new VisibleColumnsMetaData(nodeMetaData, VisibleColumns.of(nodeMetaData));
  }

  private int column(int columnIndex) throws SQLException {
    return columns.nodeIndex(columnIndex);
  }

  private int column(String columnLabel) throws SQLException {
    return columns.nodeIndex(columnLabel, delegate);
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return new VisibleColumnsMetaData(delegate.getMetaData(), columns);
  }

  @Override
  public @Nullable Statement getStatement() {
    return statement;
  }

  @Override
  public int findColumn(String columnLabel) throws SQLException {
    return columns.userIndex(column(columnLabel));
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type.getName(), "0A000");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public boolean next() throws SQLException {
    return delegate.next();
  }

  @Override
  public void close() throws SQLException {
    CloseAll.close(delegate, resources); // the node's rows, then what they stream from
  }

  @Override
  public boolean wasNull() throws SQLException {
    return delegate.wasNull();
  }

  @Override
  public String getString(int columnIndex) throws SQLException {
    return delegate.getString(column(columnIndex));
  }

  @Override
  public boolean getBoolean(int columnIndex) throws SQLException {
    return delegate.getBoolean(column(columnIndex));
  }

  @Override
  public byte getByte(int columnIndex) throws SQLException {
    return delegate.getByte(column(columnIndex));
  }

  @Override
  public short getShort(int columnIndex) throws SQLException {
    return delegate.getShort(column(columnIndex));
  }

  @Override
  public int getInt(int columnIndex) throws SQLException {
    return delegate.getInt(column(columnIndex));
  }

  @Override
  public long getLong(int columnIndex) throws SQLException {
    return delegate.getLong(column(columnIndex));
  }

  @Override
  public float getFloat(int columnIndex) throws SQLException {
    return delegate.getFloat(column(columnIndex));
  }

  @Override
  public double getDouble(int columnIndex) throws SQLException {
    return delegate.getDouble(column(columnIndex));
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(int columnIndex, int arg1) throws SQLException {
    return delegate.getBigDecimal(column(columnIndex), arg1);
  }

  @Override
  public byte[] getBytes(int columnIndex) throws SQLException {
    return delegate.getBytes(column(columnIndex));
  }

  @Override
  public Date getDate(int columnIndex) throws SQLException {
    return delegate.getDate(column(columnIndex));
  }

  @Override
  public Time getTime(int columnIndex) throws SQLException {
    return delegate.getTime(column(columnIndex));
  }

  @Override
  public Timestamp getTimestamp(int columnIndex) throws SQLException {
    return delegate.getTimestamp(column(columnIndex));
  }

  @Override
  public InputStream getAsciiStream(int columnIndex) throws SQLException {
    return delegate.getAsciiStream(column(columnIndex));
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(int columnIndex) throws SQLException {
    return delegate.getUnicodeStream(column(columnIndex));
  }

  @Override
  public InputStream getBinaryStream(int columnIndex) throws SQLException {
    return delegate.getBinaryStream(column(columnIndex));
  }

  @Override
  public String getString(String columnLabel) throws SQLException {
    return delegate.getString(column(columnLabel));
  }

  @Override
  public boolean getBoolean(String columnLabel) throws SQLException {
    return delegate.getBoolean(column(columnLabel));
  }

  @Override
  public byte getByte(String columnLabel) throws SQLException {
    return delegate.getByte(column(columnLabel));
  }

  @Override
  public short getShort(String columnLabel) throws SQLException {
    return delegate.getShort(column(columnLabel));
  }

  @Override
  public int getInt(String columnLabel) throws SQLException {
    return delegate.getInt(column(columnLabel));
  }

  @Override
  public long getLong(String columnLabel) throws SQLException {
    return delegate.getLong(column(columnLabel));
  }

  @Override
  public float getFloat(String columnLabel) throws SQLException {
    return delegate.getFloat(column(columnLabel));
  }

  @Override
  public double getDouble(String columnLabel) throws SQLException {
    return delegate.getDouble(column(columnLabel));
  }

  @Override
  @Deprecated
  public BigDecimal getBigDecimal(String columnLabel, int arg1) throws SQLException {
    return delegate.getBigDecimal(column(columnLabel), arg1);
  }

  @Override
  public byte[] getBytes(String columnLabel) throws SQLException {
    return delegate.getBytes(column(columnLabel));
  }

  @Override
  public Date getDate(String columnLabel) throws SQLException {
    return delegate.getDate(column(columnLabel));
  }

  @Override
  public Time getTime(String columnLabel) throws SQLException {
    return delegate.getTime(column(columnLabel));
  }

  @Override
  public Timestamp getTimestamp(String columnLabel) throws SQLException {
    return delegate.getTimestamp(column(columnLabel));
  }

  @Override
  public InputStream getAsciiStream(String columnLabel) throws SQLException {
    return delegate.getAsciiStream(column(columnLabel));
  }

  @Override
  @Deprecated
  public InputStream getUnicodeStream(String columnLabel) throws SQLException {
    return delegate.getUnicodeStream(column(columnLabel));
  }

  @Override
  public InputStream getBinaryStream(String columnLabel) throws SQLException {
    return delegate.getBinaryStream(column(columnLabel));
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
  }

  @Override
  public String getCursorName() throws SQLException {
    return delegate.getCursorName();
  }

  @Override
  public Object getObject(int columnIndex) throws SQLException {
    return delegate.getObject(column(columnIndex));
  }

  @Override
  public Object getObject(String columnLabel) throws SQLException {
    return delegate.getObject(column(columnLabel));
  }

  @Override
  public Reader getCharacterStream(int columnIndex) throws SQLException {
    return delegate.getCharacterStream(column(columnIndex));
  }

  @Override
  public Reader getCharacterStream(String columnLabel) throws SQLException {
    return delegate.getCharacterStream(column(columnLabel));
  }

  @Override
  public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
    return delegate.getBigDecimal(column(columnIndex));
  }

  @Override
  public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
    return delegate.getBigDecimal(column(columnLabel));
  }

  @Override
  public boolean isBeforeFirst() throws SQLException {
    return delegate.isBeforeFirst();
  }

  @Override
  public boolean isAfterLast() throws SQLException {
    return delegate.isAfterLast();
  }

  @Override
  public boolean isFirst() throws SQLException {
    return delegate.isFirst();
  }

  @Override
  public boolean isLast() throws SQLException {
    return delegate.isLast();
  }

  @Override
  public void beforeFirst() throws SQLException {
    delegate.beforeFirst();
  }

  @Override
  public void afterLast() throws SQLException {
    delegate.afterLast();
  }

  @Override
  public boolean first() throws SQLException {
    return delegate.first();
  }

  @Override
  public boolean last() throws SQLException {
    return delegate.last();
  }

  @Override
  public int getRow() throws SQLException {
    return delegate.getRow();
  }

  @Override
  public boolean absolute(int arg0) throws SQLException {
    return delegate.absolute(arg0);
  }

  @Override
  public boolean relative(int arg0) throws SQLException {
    return delegate.relative(arg0);
  }

  @Override
  public boolean previous() throws SQLException {
    return delegate.previous();
  }

  @Override
  public void setFetchDirection(int arg0) throws SQLException {
    delegate.setFetchDirection(arg0);
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return delegate.getFetchDirection();
  }

  @Override
  public void setFetchSize(int arg0) throws SQLException {
    delegate.setFetchSize(arg0);
  }

  @Override
  public int getFetchSize() throws SQLException {
    return delegate.getFetchSize();
  }

  @Override
  public int getType() throws SQLException {
    return delegate.getType();
  }

  @Override
  public int getConcurrency() throws SQLException {
    return delegate.getConcurrency();
  }

  @Override
  public boolean rowUpdated() throws SQLException {
    return delegate.rowUpdated();
  }

  @Override
  public boolean rowInserted() throws SQLException {
    return delegate.rowInserted();
  }

  @Override
  public boolean rowDeleted() throws SQLException {
    return delegate.rowDeleted();
  }

  @Override
  public void updateNull(int columnIndex) throws SQLException {
    delegate.updateNull(column(columnIndex));
  }

  @Override
  public void updateBoolean(int columnIndex, boolean arg1) throws SQLException {
    delegate.updateBoolean(column(columnIndex), arg1);
  }

  @Override
  public void updateByte(int columnIndex, byte arg1) throws SQLException {
    delegate.updateByte(column(columnIndex), arg1);
  }

  @Override
  public void updateShort(int columnIndex, short arg1) throws SQLException {
    delegate.updateShort(column(columnIndex), arg1);
  }

  @Override
  public void updateInt(int columnIndex, int arg1) throws SQLException {
    delegate.updateInt(column(columnIndex), arg1);
  }

  @Override
  public void updateLong(int columnIndex, long arg1) throws SQLException {
    delegate.updateLong(column(columnIndex), arg1);
  }

  @Override
  public void updateFloat(int columnIndex, float arg1) throws SQLException {
    delegate.updateFloat(column(columnIndex), arg1);
  }

  @Override
  public void updateDouble(int columnIndex, double arg1) throws SQLException {
    delegate.updateDouble(column(columnIndex), arg1);
  }

  @Override
  public void updateBigDecimal(int columnIndex, BigDecimal arg1) throws SQLException {
    delegate.updateBigDecimal(column(columnIndex), arg1);
  }

  @Override
  public void updateString(int columnIndex, String arg1) throws SQLException {
    delegate.updateString(column(columnIndex), arg1);
  }

  @Override
  public void updateBytes(int columnIndex, byte[] arg1) throws SQLException {
    delegate.updateBytes(column(columnIndex), arg1);
  }

  @Override
  public void updateDate(int columnIndex, Date arg1) throws SQLException {
    delegate.updateDate(column(columnIndex), arg1);
  }

  @Override
  public void updateTime(int columnIndex, Time arg1) throws SQLException {
    delegate.updateTime(column(columnIndex), arg1);
  }

  @Override
  public void updateTimestamp(int columnIndex, Timestamp arg1) throws SQLException {
    delegate.updateTimestamp(column(columnIndex), arg1);
  }

  @Override
  public void updateAsciiStream(int columnIndex, InputStream arg1, int arg2) throws SQLException {
    delegate.updateAsciiStream(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateBinaryStream(int columnIndex, InputStream arg1, int arg2) throws SQLException {
    delegate.updateBinaryStream(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateCharacterStream(int columnIndex, Reader arg1, int arg2) throws SQLException {
    delegate.updateCharacterStream(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateObject(int columnIndex, Object arg1, int arg2) throws SQLException {
    delegate.updateObject(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateObject(int columnIndex, Object arg1) throws SQLException {
    delegate.updateObject(column(columnIndex), arg1);
  }

  @Override
  public void updateNull(String columnLabel) throws SQLException {
    delegate.updateNull(column(columnLabel));
  }

  @Override
  public void updateBoolean(String columnLabel, boolean arg1) throws SQLException {
    delegate.updateBoolean(column(columnLabel), arg1);
  }

  @Override
  public void updateByte(String columnLabel, byte arg1) throws SQLException {
    delegate.updateByte(column(columnLabel), arg1);
  }

  @Override
  public void updateShort(String columnLabel, short arg1) throws SQLException {
    delegate.updateShort(column(columnLabel), arg1);
  }

  @Override
  public void updateInt(String columnLabel, int arg1) throws SQLException {
    delegate.updateInt(column(columnLabel), arg1);
  }

  @Override
  public void updateLong(String columnLabel, long arg1) throws SQLException {
    delegate.updateLong(column(columnLabel), arg1);
  }

  @Override
  public void updateFloat(String columnLabel, float arg1) throws SQLException {
    delegate.updateFloat(column(columnLabel), arg1);
  }

  @Override
  public void updateDouble(String columnLabel, double arg1) throws SQLException {
    delegate.updateDouble(column(columnLabel), arg1);
  }

  @Override
  public void updateBigDecimal(String columnLabel, BigDecimal arg1) throws SQLException {
    delegate.updateBigDecimal(column(columnLabel), arg1);
  }

  @Override
  public void updateString(String columnLabel, String arg1) throws SQLException {
    delegate.updateString(column(columnLabel), arg1);
  }

  @Override
  public void updateBytes(String columnLabel, byte[] arg1) throws SQLException {
    delegate.updateBytes(column(columnLabel), arg1);
  }

  @Override
  public void updateDate(String columnLabel, Date arg1) throws SQLException {
    delegate.updateDate(column(columnLabel), arg1);
  }

  @Override
  public void updateTime(String columnLabel, Time arg1) throws SQLException {
    delegate.updateTime(column(columnLabel), arg1);
  }

  @Override
  public void updateTimestamp(String columnLabel, Timestamp arg1) throws SQLException {
    delegate.updateTimestamp(column(columnLabel), arg1);
  }

  @Override
  public void updateAsciiStream(String columnLabel, InputStream arg1, int arg2)
      throws SQLException {
    delegate.updateAsciiStream(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateBinaryStream(String columnLabel, InputStream arg1, int arg2)
      throws SQLException {
    delegate.updateBinaryStream(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateCharacterStream(String columnLabel, Reader arg1, int arg2) throws SQLException {
    delegate.updateCharacterStream(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateObject(String columnLabel, Object arg1, int arg2) throws SQLException {
    delegate.updateObject(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateObject(String columnLabel, Object arg1) throws SQLException {
    delegate.updateObject(column(columnLabel), arg1);
  }

  @Override
  public void insertRow() throws SQLException {
    delegate.insertRow();
  }

  @Override
  public void updateRow() throws SQLException {
    delegate.updateRow();
  }

  @Override
  public void deleteRow() throws SQLException {
    delegate.deleteRow();
  }

  @Override
  public void refreshRow() throws SQLException {
    delegate.refreshRow();
  }

  @Override
  public void cancelRowUpdates() throws SQLException {
    delegate.cancelRowUpdates();
  }

  @Override
  public void moveToInsertRow() throws SQLException {
    delegate.moveToInsertRow();
  }

  @Override
  public void moveToCurrentRow() throws SQLException {
    delegate.moveToCurrentRow();
  }

  @Override
  public Object getObject(int columnIndex, Map<String, Class<?>> arg1) throws SQLException {
    return delegate.getObject(column(columnIndex), arg1);
  }

  @Override
  public Ref getRef(int columnIndex) throws SQLException {
    return delegate.getRef(column(columnIndex));
  }

  @Override
  public Blob getBlob(int columnIndex) throws SQLException {
    return delegate.getBlob(column(columnIndex));
  }

  @Override
  public Clob getClob(int columnIndex) throws SQLException {
    return delegate.getClob(column(columnIndex));
  }

  @Override
  public Array getArray(int columnIndex) throws SQLException {
    return delegate.getArray(column(columnIndex));
  }

  @Override
  public Object getObject(String columnLabel, Map<String, Class<?>> arg1) throws SQLException {
    return delegate.getObject(column(columnLabel), arg1);
  }

  @Override
  public Ref getRef(String columnLabel) throws SQLException {
    return delegate.getRef(column(columnLabel));
  }

  @Override
  public Blob getBlob(String columnLabel) throws SQLException {
    return delegate.getBlob(column(columnLabel));
  }

  @Override
  public Clob getClob(String columnLabel) throws SQLException {
    return delegate.getClob(column(columnLabel));
  }

  @Override
  public Array getArray(String columnLabel) throws SQLException {
    return delegate.getArray(column(columnLabel));
  }

  @Override
  public Date getDate(int columnIndex, Calendar arg1) throws SQLException {
    return delegate.getDate(column(columnIndex), arg1);
  }

  @Override
  public Date getDate(String columnLabel, Calendar arg1) throws SQLException {
    return delegate.getDate(column(columnLabel), arg1);
  }

  @Override
  public Time getTime(int columnIndex, Calendar arg1) throws SQLException {
    return delegate.getTime(column(columnIndex), arg1);
  }

  @Override
  public Time getTime(String columnLabel, Calendar arg1) throws SQLException {
    return delegate.getTime(column(columnLabel), arg1);
  }

  @Override
  public Timestamp getTimestamp(int columnIndex, Calendar arg1) throws SQLException {
    return delegate.getTimestamp(column(columnIndex), arg1);
  }

  @Override
  public Timestamp getTimestamp(String columnLabel, Calendar arg1) throws SQLException {
    return delegate.getTimestamp(column(columnLabel), arg1);
  }

  @Override
  public URL getURL(int columnIndex) throws SQLException {
    return delegate.getURL(column(columnIndex));
  }

  @Override
  public URL getURL(String columnLabel) throws SQLException {
    return delegate.getURL(column(columnLabel));
  }

  @Override
  public void updateRef(int columnIndex, Ref arg1) throws SQLException {
    delegate.updateRef(column(columnIndex), arg1);
  }

  @Override
  public void updateRef(String columnLabel, Ref arg1) throws SQLException {
    delegate.updateRef(column(columnLabel), arg1);
  }

  @Override
  public void updateBlob(int columnIndex, Blob arg1) throws SQLException {
    delegate.updateBlob(column(columnIndex), arg1);
  }

  @Override
  public void updateBlob(String columnLabel, Blob arg1) throws SQLException {
    delegate.updateBlob(column(columnLabel), arg1);
  }

  @Override
  public void updateClob(int columnIndex, Clob arg1) throws SQLException {
    delegate.updateClob(column(columnIndex), arg1);
  }

  @Override
  public void updateClob(String columnLabel, Clob arg1) throws SQLException {
    delegate.updateClob(column(columnLabel), arg1);
  }

  @Override
  public void updateArray(int columnIndex, Array arg1) throws SQLException {
    delegate.updateArray(column(columnIndex), arg1);
  }

  @Override
  public void updateArray(String columnLabel, Array arg1) throws SQLException {
    delegate.updateArray(column(columnLabel), arg1);
  }

  @Override
  public RowId getRowId(int columnIndex) throws SQLException {
    return delegate.getRowId(column(columnIndex));
  }

  @Override
  public RowId getRowId(String columnLabel) throws SQLException {
    return delegate.getRowId(column(columnLabel));
  }

  @Override
  public void updateRowId(int columnIndex, RowId arg1) throws SQLException {
    delegate.updateRowId(column(columnIndex), arg1);
  }

  @Override
  public void updateRowId(String columnLabel, RowId arg1) throws SQLException {
    delegate.updateRowId(column(columnLabel), arg1);
  }

  @Override
  public int getHoldability() throws SQLException {
    return delegate.getHoldability();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate.isClosed();
  }

  @Override
  public void updateNString(int columnIndex, String arg1) throws SQLException {
    delegate.updateNString(column(columnIndex), arg1);
  }

  @Override
  public void updateNString(String columnLabel, String arg1) throws SQLException {
    delegate.updateNString(column(columnLabel), arg1);
  }

  @Override
  public void updateNClob(int columnIndex, NClob arg1) throws SQLException {
    delegate.updateNClob(column(columnIndex), arg1);
  }

  @Override
  public void updateNClob(String columnLabel, NClob arg1) throws SQLException {
    delegate.updateNClob(column(columnLabel), arg1);
  }

  @Override
  public NClob getNClob(int columnIndex) throws SQLException {
    return delegate.getNClob(column(columnIndex));
  }

  @Override
  public NClob getNClob(String columnLabel) throws SQLException {
    return delegate.getNClob(column(columnLabel));
  }

  @Override
  public SQLXML getSQLXML(int columnIndex) throws SQLException {
    return delegate.getSQLXML(column(columnIndex));
  }

  @Override
  public SQLXML getSQLXML(String columnLabel) throws SQLException {
    return delegate.getSQLXML(column(columnLabel));
  }

  @Override
  public void updateSQLXML(int columnIndex, SQLXML arg1) throws SQLException {
    delegate.updateSQLXML(column(columnIndex), arg1);
  }

  @Override
  public void updateSQLXML(String columnLabel, SQLXML arg1) throws SQLException {
    delegate.updateSQLXML(column(columnLabel), arg1);
  }

  @Override
  public String getNString(int columnIndex) throws SQLException {
    return delegate.getNString(column(columnIndex));
  }

  @Override
  public String getNString(String columnLabel) throws SQLException {
    return delegate.getNString(column(columnLabel));
  }

  @Override
  public Reader getNCharacterStream(int columnIndex) throws SQLException {
    return delegate.getNCharacterStream(column(columnIndex));
  }

  @Override
  public Reader getNCharacterStream(String columnLabel) throws SQLException {
    return delegate.getNCharacterStream(column(columnLabel));
  }

  @Override
  public void updateNCharacterStream(int columnIndex, Reader arg1, long arg2) throws SQLException {
    delegate.updateNCharacterStream(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateNCharacterStream(String columnLabel, Reader arg1, long arg2)
      throws SQLException {
    delegate.updateNCharacterStream(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateAsciiStream(int columnIndex, InputStream arg1, long arg2) throws SQLException {
    delegate.updateAsciiStream(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateBinaryStream(int columnIndex, InputStream arg1, long arg2) throws SQLException {
    delegate.updateBinaryStream(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateCharacterStream(int columnIndex, Reader arg1, long arg2) throws SQLException {
    delegate.updateCharacterStream(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateAsciiStream(String columnLabel, InputStream arg1, long arg2)
      throws SQLException {
    delegate.updateAsciiStream(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateBinaryStream(String columnLabel, InputStream arg1, long arg2)
      throws SQLException {
    delegate.updateBinaryStream(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateCharacterStream(String columnLabel, Reader arg1, long arg2)
      throws SQLException {
    delegate.updateCharacterStream(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateBlob(int columnIndex, InputStream arg1, long arg2) throws SQLException {
    delegate.updateBlob(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateBlob(String columnLabel, InputStream arg1, long arg2) throws SQLException {
    delegate.updateBlob(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateClob(int columnIndex, Reader arg1, long arg2) throws SQLException {
    delegate.updateClob(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateClob(String columnLabel, Reader arg1, long arg2) throws SQLException {
    delegate.updateClob(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateNClob(int columnIndex, Reader arg1, long arg2) throws SQLException {
    delegate.updateNClob(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateNClob(String columnLabel, Reader arg1, long arg2) throws SQLException {
    delegate.updateNClob(column(columnLabel), arg1, arg2);
  }

  @Override
  public void updateNCharacterStream(int columnIndex, Reader arg1) throws SQLException {
    delegate.updateNCharacterStream(column(columnIndex), arg1);
  }

  @Override
  public void updateNCharacterStream(String columnLabel, Reader arg1) throws SQLException {
    delegate.updateNCharacterStream(column(columnLabel), arg1);
  }

  @Override
  public void updateAsciiStream(int columnIndex, InputStream arg1) throws SQLException {
    delegate.updateAsciiStream(column(columnIndex), arg1);
  }

  @Override
  public void updateBinaryStream(int columnIndex, InputStream arg1) throws SQLException {
    delegate.updateBinaryStream(column(columnIndex), arg1);
  }

  @Override
  public void updateCharacterStream(int columnIndex, Reader arg1) throws SQLException {
    delegate.updateCharacterStream(column(columnIndex), arg1);
  }

  @Override
  public void updateAsciiStream(String columnLabel, InputStream arg1) throws SQLException {
    delegate.updateAsciiStream(column(columnLabel), arg1);
  }

  @Override
  public void updateBinaryStream(String columnLabel, InputStream arg1) throws SQLException {
    delegate.updateBinaryStream(column(columnLabel), arg1);
  }

  @Override
  public void updateCharacterStream(String columnLabel, Reader arg1) throws SQLException {
    delegate.updateCharacterStream(column(columnLabel), arg1);
  }

  @Override
  public void updateBlob(int columnIndex, InputStream arg1) throws SQLException {
    delegate.updateBlob(column(columnIndex), arg1);
  }

  @Override
  public void updateBlob(String columnLabel, InputStream arg1) throws SQLException {
    delegate.updateBlob(column(columnLabel), arg1);
  }

  @Override
  public void updateClob(int columnIndex, Reader arg1) throws SQLException {
    delegate.updateClob(column(columnIndex), arg1);
  }

  @Override
  public void updateClob(String columnLabel, Reader arg1) throws SQLException {
    delegate.updateClob(column(columnLabel), arg1);
  }

  @Override
  public void updateNClob(int columnIndex, Reader arg1) throws SQLException {
    delegate.updateNClob(column(columnIndex), arg1);
  }

  @Override
  public void updateNClob(String columnLabel, Reader arg1) throws SQLException {
    delegate.updateNClob(column(columnLabel), arg1);
  }

  @Override
  public <T> T getObject(int columnIndex, Class<T> arg1) throws SQLException {
    return delegate.getObject(column(columnIndex), arg1);
  }

  @Override
  public <T> T getObject(String columnLabel, Class<T> arg1) throws SQLException {
    return delegate.getObject(column(columnLabel), arg1);
  }

  @Override
  public void updateObject(int columnIndex, Object arg1, SQLType arg2, int arg3)
      throws SQLException {
    delegate.updateObject(column(columnIndex), arg1, arg2, arg3);
  }

  @Override
  public void updateObject(String columnLabel, Object arg1, SQLType arg2, int arg3)
      throws SQLException {
    delegate.updateObject(column(columnLabel), arg1, arg2, arg3);
  }

  @Override
  public void updateObject(int columnIndex, Object arg1, SQLType arg2) throws SQLException {
    delegate.updateObject(column(columnIndex), arg1, arg2);
  }

  @Override
  public void updateObject(String columnLabel, Object arg1, SQLType arg2) throws SQLException {
    delegate.updateObject(column(columnLabel), arg1, arg2);
  }
}
