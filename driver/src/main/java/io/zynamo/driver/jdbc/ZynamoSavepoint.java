package io.zynamo.driver.jdbc;

import java.sql.SQLException;
import java.sql.Savepoint;
import org.jspecify.annotations.Nullable;

/**
 * A savepoint of a {@link ZynamoConnection}: named by the application, or numbered and named {@code
 * JDBC_SAVEPOINT_n} on the nodes, as pgjdbc names its unnamed savepoints.
 */
final class ZynamoSavepoint implements Savepoint {

  private final int id;
  private final @Nullable String name;

  ZynamoSavepoint(int id, @Nullable String name) {
    this.id = id;
    this.name = name;
  }

  @Override
  public int getSavepointId() throws SQLException {
    if (name != null) {
      throw JdbcErrors.notSupported("a named savepoint has no id (JDBC)");
    }
    return id;
  }

  @Override
  public String getSavepointName() throws SQLException {
    if (name == null) {
      throw JdbcErrors.notSupported("an unnamed savepoint has no name (JDBC)");
    }
    return name;
  }

  /** The savepoint as a quoted SQL identifier. */
  String identifier() {
    String sqlName = name != null ? name : "JDBC_SAVEPOINT_" + id;
    return '"' + sqlName.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return name != null ? name : "JDBC_SAVEPOINT_" + id;
  }
}
