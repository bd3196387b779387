package io.zynamo.driver.result;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/** The metadata of a {@link VisibleColumnsResultSet}: the user's columns only. */
final class VisibleColumnsMetaData implements ResultSetMetaData {

  private final ResultSetMetaData delegate;
  private final VisibleColumns columns;

  VisibleColumnsMetaData(ResultSetMetaData delegate, VisibleColumns columns) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.columns = requireNonNull(columns, "columns");
  }

  private int column(int columnIndex) throws SQLException {
    return columns.nodeIndex(columnIndex);
  }

  @Override
  public int getColumnCount() {
    return columns.count();
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
  public boolean isAutoIncrement(int columnIndex) throws SQLException {
    return delegate.isAutoIncrement(column(columnIndex));
  }

  @Override
  public boolean isCaseSensitive(int columnIndex) throws SQLException {
    return delegate.isCaseSensitive(column(columnIndex));
  }

  @Override
  public boolean isSearchable(int columnIndex) throws SQLException {
    return delegate.isSearchable(column(columnIndex));
  }

  @Override
  public boolean isCurrency(int columnIndex) throws SQLException {
    return delegate.isCurrency(column(columnIndex));
  }

  @Override
  public int isNullable(int columnIndex) throws SQLException {
    return delegate.isNullable(column(columnIndex));
  }

  @Override
  public boolean isSigned(int columnIndex) throws SQLException {
    return delegate.isSigned(column(columnIndex));
  }

  @Override
  public int getColumnDisplaySize(int columnIndex) throws SQLException {
    return delegate.getColumnDisplaySize(column(columnIndex));
  }

  @Override
  public String getColumnLabel(int columnIndex) throws SQLException {
    return delegate.getColumnLabel(column(columnIndex));
  }

  @Override
  public String getColumnName(int columnIndex) throws SQLException {
    return delegate.getColumnName(column(columnIndex));
  }

  @Override
  public String getSchemaName(int columnIndex) throws SQLException {
    return delegate.getSchemaName(column(columnIndex));
  }

  @Override
  public int getPrecision(int columnIndex) throws SQLException {
    return delegate.getPrecision(column(columnIndex));
  }

  @Override
  public int getScale(int columnIndex) throws SQLException {
    return delegate.getScale(column(columnIndex));
  }

  @Override
  public String getTableName(int columnIndex) throws SQLException {
    return delegate.getTableName(column(columnIndex));
  }

  @Override
  public String getCatalogName(int columnIndex) throws SQLException {
    return delegate.getCatalogName(column(columnIndex));
  }

  @Override
  public int getColumnType(int columnIndex) throws SQLException {
    return delegate.getColumnType(column(columnIndex));
  }

  @Override
  public String getColumnTypeName(int columnIndex) throws SQLException {
    return delegate.getColumnTypeName(column(columnIndex));
  }

  @Override
  public boolean isReadOnly(int columnIndex) throws SQLException {
    return delegate.isReadOnly(column(columnIndex));
  }

  @Override
  public boolean isWritable(int columnIndex) throws SQLException {
    return delegate.isWritable(column(columnIndex));
  }

  @Override
  public boolean isDefinitelyWritable(int columnIndex) throws SQLException {
    return delegate.isDefinitelyWritable(column(columnIndex));
  }

  @Override
  public String getColumnClassName(int columnIndex) throws SQLException {
    return delegate.getColumnClassName(column(columnIndex));
  }
}
