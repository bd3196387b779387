package io.zynamo.driver.result;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rows of several result sets of the same columns, one after the other: the answer of a
 * statement cut per bucket. Forward-only (as the JDBC layer presents every result); the row-reading
 * calls go to the result set the cursor is in, and closing closes them all.
 */
public final class ConcatenatedResults implements InvocationHandler {

  private final List<ResultSet> parts;
  private int current;
  private int row;
  private boolean closed;

  private ConcatenatedResults(List<ResultSet> parts) {
    this.parts = List.copyOf(parts);
  }

  /** The rows of {@code parts} in order; a single part is returned as it is. */
  public static ResultSet of(List<ResultSet> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no result to concatenate");
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return (ResultSet)
        Proxy.newProxyInstance(
            ConcatenatedResults.class.getClassLoader(),
            new Class<?>[] {ResultSet.class},
            new ConcatenatedResults(parts));
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args)
      throws Throwable {
    String name = method.getName();
    return switch (name) {
      case "close" -> close();
      case "isClosed" -> closed;
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> args != null && proxy == args[0];
      case "toString" -> "ConcatenatedResults" + parts;
      default -> {
        if (closed) {
          throw new SQLException("the result set is closed", "55000");
        }
        yield cursor(proxy, method, args);
      }
    };
  }

  private @Nullable Object close() throws SQLException {
    closed = true;
    CloseAll.close(parts.toArray(new AutoCloseable[0]));
    return null;
  }

  private @Nullable Object cursor(Object proxy, Method method, @Nullable Object[] args)
      throws Throwable {
    return switch (method.getName()) {
      case "next" -> next();
      case "getRow" -> row;
      case "isBeforeFirst" -> row == 0 && hasRowsFrom(0);
      case "isFirst" -> row == 1;
      case "isLast" -> row > 0 && parts.get(current).isLast() && !hasRowsFrom(current + 1);
      case "isAfterLast" -> current == parts.size();
      case "unwrap" -> unwrap(proxy, (Class<?>) requireArgs(args)[0]);
      case "isWrapperFor" -> ((Class<?>) requireArgs(args)[0]).isInstance(proxy);
      case "setFetchSize", "setFetchDirection" -> {
        for (ResultSet part : parts) {
          forward(part, method, args);
        }
        yield null;
      }
      case "beforeFirst", "afterLast", "first", "last", "absolute", "relative", "previous" ->
          throw new SQLException(
              "the result spans several buckets and reads forward only", "24000");
      default -> forward(parts.get(Math.min(current, parts.size() - 1)), method, args);
    };
  }

  private boolean next() throws SQLException {
    while (current < parts.size()) {
      if (parts.get(current).next()) {
        row++;
        return true;
      }
      current++;
    }
    return false;
  }

  /** Whether a part from {@code index} on has a row not yet read. */
  private boolean hasRowsFrom(int index) throws SQLException {
    for (int i = index; i < parts.size(); i++) {
      if (parts.get(i).isBeforeFirst()) {
        return true;
      }
    }
    return false;
  }

  private static Object unwrap(Object proxy, Class<?> type) throws SQLException {
    if (type.isInstance(proxy)) {
      return type.cast(proxy);
    }
    throw new SQLException("not a wrapper for " + type.getName(), "0A000");
  }

  private static Object[] requireArgs(@Nullable Object[] args) throws SQLException {
    if (args == null || args.length == 0) {
      throw new SQLException("missing argument", "22023");
    }
    return args;
  }

  private static @Nullable Object forward(ResultSet part, Method method, @Nullable Object[] args)
      throws Throwable {
    try {
      return method.invoke(part, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
