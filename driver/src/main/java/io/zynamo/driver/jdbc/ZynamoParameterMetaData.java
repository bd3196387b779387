package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoErrors;
import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * What is known of a prepared statement's parameters before it runs: how many there are (from the
 * SQL text); their types are unknown ({@code Types.OTHER}, type name {@code unknown}, class {@code
 * java.lang.Object}), as the engine cannot describe a statement yet. All are IN parameters.
 */
final class ZynamoParameterMetaData implements ParameterMetaData {

  private final int count;

  ZynamoParameterMetaData(int count) {
    this.count = count;
  }

  private void check(int param) throws SQLException {
    if (param < 1 || param > count) {
      throw ZynamoErrors.invalidValue(
          "parameter index",
          Integer.toString(param),
          count == 0 ? "none, no parameters" : "1.." + count);
    }
  }

  @Override
  public int getParameterCount() {
    return count;
  }

  @Override
  public int isNullable(int param) throws SQLException {
    check(param);
    return parameterNullableUnknown;
  }

  @Override
  public boolean isSigned(int param) throws SQLException {
    check(param);
    return false;
  }

  @Override
  public int getPrecision(int param) throws SQLException {
    check(param);
    return 0;
  }

  @Override
  public int getScale(int param) throws SQLException {
    check(param);
    return 0;
  }

  @Override
  public int getParameterType(int param) throws SQLException {
    check(param);
    return Types.OTHER;
  }

  @Override
  public String getParameterTypeName(int param) throws SQLException {
    check(param);
    return "unknown";
  }

  @Override
  public String getParameterClassName(int param) throws SQLException {
    check(param);
    return Object.class.getName();
  }

  @Override
  public int getParameterMode(int param) throws SQLException {
    check(param);
    return parameterModeIn;
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
}
