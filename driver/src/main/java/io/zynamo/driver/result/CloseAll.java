package io.zynamo.driver.result;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Closes several resources in the order given; every one is closed even if an earlier one fails.
 */
public final class CloseAll {

  private CloseAll() {}

  /**
   * Closes each non-null resource in order. The first failure is thrown (as a SQLException, 08006
   * when it was not one) with later failures suppressed into it.
   */
  public static void close(@Nullable AutoCloseable... resources) throws SQLException {
    Exception first = null;
    for (AutoCloseable resource : resources) {
      try {
        if (resource != null) {
          resource.close();
        }
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first instanceof SQLException sql) {
      throw sql;
    }
    if (first != null) {
      throw new SQLException("closing: " + first.getMessage(), "08006", first);
    }
  }

  /**
   * Closes each non-null resource in order after {@code failure}, which stays the error: failures
   * to close are suppressed into it.
   */
  public static void closeAfter(Exception failure, @Nullable AutoCloseable... resources) {
    try {
      close(resources);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
