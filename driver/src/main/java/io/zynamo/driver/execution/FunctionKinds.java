package io.zynamo.driver.execution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * Questions to a node's catalog about the functions a statement calls, by name: whether merging
 * rows from several nodes, or applying a filter twice, would change the answer.
 */
final class FunctionKinds {

  private FunctionKinds() {}

  /** Whether any of {@code names} is an aggregate or a window function. */
  static boolean anyAggregate(Connection c, Set<String> names) throws SQLException {
    return any(c, names, "prokind IN ('a', 'w')");
  }

  /** Whether any of {@code names} is volatile ({@code random()}, {@code nextval}...). */
  static boolean anyVolatile(Connection c, Set<String> names) throws SQLException {
    return any(c, names, "provolatile = 'v'");
  }

  private static boolean any(Connection c, Set<String> names, String kind) throws SQLException {
    if (names.isEmpty()) {
      return false;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_proc WHERE "
                + kind
                + " AND proname = ANY (?))")) {
      s.setArray(1, c.createArrayOf("text", names.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }
}
