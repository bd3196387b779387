package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * A result set without columns or rows: {@code getGeneratedKeys()} when there are none, as pgjdbc
 * returns. A dynamic proxy rather than a class, because only a handful of ResultSet's ~190 methods
 * mean anything here: {@code next()} is false, the metadata has no columns, and every column read
 * fails as reading with no current row does ({@code 24000}). Always wrapped in a {@link
 * ZynamoResultSet}, which answers type, concurrency, holdability and its statement.
 */
final class EmptyResultSet {

  private EmptyResultSet() {}

  static ResultSet create() {
    return proxy(ResultSet.class, new Rows());
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(
        Proxy.newProxyInstance(
            EmptyResultSet.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /** The result set: open until closed, never on a row. */
  private static final class Rows implements InvocationHandler {
    private boolean closed;

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args)
        throws SQLException {
      return switch (method.getName()) {
        case "close" -> {
          closed = true;
          yield null;
        }
        case "isClosed" -> closed;
        case "next",
            "isBeforeFirst",
            "isAfterLast",
            "isFirst",
            "isLast",
            "rowUpdated",
            "rowInserted",
            "rowDeleted" ->
            false;
        case "getRow", "getFetchSize" -> 0;
        case "setFetchSize", "clearWarnings", "getWarnings" -> null;
        case "getMetaData" -> proxy(ResultSetMetaData.class, new NoColumns());
        case "findColumn" ->
            throw ZynamoErrors.create(
                ZynamoSqlState.UNDEFINED_COLUMN,
                "The column name "
                    + (args == null ? "" : args[0])
                    + " was not found in this ResultSet.");
        default -> objectMethod(proxy, method, args, "ResultSet");
      };
    }
  }

  /** The metadata: no columns. */
  private static final class NoColumns implements InvocationHandler {
    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args)
        throws SQLException {
      if (method.getName().equals("getColumnCount")) {
        return 0;
      }
      if (args != null && args.length == 1 && args[0] instanceof Integer column) {
        throw ZynamoErrors.invalidValue("column index", column.toString(), "none, no columns");
      }
      return objectMethod(proxy, method, args, "ResultSetMetaData");
    }
  }

  /**
   * {@code equals}, {@code hashCode}, {@code toString} and the {@code Wrapper} methods; anything
   * else is a column read (no current row) or unsupported.
   */
  private static @Nullable Object objectMethod(
      Object proxy, Method method, @Nullable Object[] args, String what) throws SQLException {
    Object first = args == null || args.length == 0 ? null : args[0];
    String name = method.getName();
    return switch (name) {
      case "equals" -> proxy == first;
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> "empty " + what;
      case "isWrapperFor" -> first instanceof Class<?> type && type.isInstance(proxy);
      case "unwrap" -> {
        if (first instanceof Class<?> type && type.isInstance(proxy)) {
          yield proxy;
        }
        throw JdbcErrors.notAWrapperFor(first instanceof Class<?> type ? type : Object.class);
      }
      default ->
          throw name.startsWith("get") || name.equals("wasNull")
              ? JdbcErrors.noCurrentRow()
              : JdbcErrors.notSupported(what + "." + name + " is not supported on an empty result");
    };
  }
}
