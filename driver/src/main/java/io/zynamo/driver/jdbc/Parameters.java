package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The values bound to a prepared statement's parameters: 1-based, growing as they are set, checked
 * against the statement's parameter count only when it runs (as pgjdbc reports an unset parameter
 * on execution). A null is bound as a {@code StatementExecutor.TypedNull}, never as null.
 */
final class Parameters {

  /** Marks a parameter below the highest set one that was never set. */
  private static final Object UNSET = new Object();

  private final List<Object> values = new ArrayList<>();

  void set(int index, Object value) throws SQLException {
    requireNonNull(value, "value");
    if (index < 1) {
      throw ZynamoErrors.invalidValue("parameter index", Integer.toString(index), ">= 1");
    }
    while (values.size() < index) {
      values.add(UNSET);
    }
    values.set(index - 1, value);
  }

  void clear() {
    values.clear();
  }

  /**
   * The values for an execution: index 0 for parameter 1.
   *
   * @param parameterCount how many parameters the SQL text has
   * @throws SQLException {@code 22023} for an unset parameter, in pgjdbc's words ("No value
   *     specified for parameter 2."), or one set beyond the statement's parameters
   */
  List<@Nullable Object> bound(int parameterCount) throws SQLException {
    if (values.size() > parameterCount) {
      throw ZynamoErrors.invalidValue(
          "parameter " + values.size(),
          "set",
          parameterCount == 0
              ? "none: the statement has no parameters"
              : "1.." + parameterCount + ", the statement's parameters");
    }
    for (int i = 0; i < parameterCount; i++) {
      if (i >= values.size() || values.get(i) == UNSET) {
        throw ZynamoErrors.create(
            ZynamoSqlState.INVALID_PARAMETER_VALUE,
            "No value specified for parameter " + (i + 1) + ".");
      }
    }
    return Collections.unmodifiableList(new ArrayList<@Nullable Object>(values));
  }
}
