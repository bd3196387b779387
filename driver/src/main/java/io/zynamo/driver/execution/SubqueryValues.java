package io.zynamo.driver.execution;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.SqlFrontend.Subquery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An UPDATE's or DELETE's uncorrelated subqueries, computed first, each as a query of the session
 * (by key, or cluster-wide), and replaced by their values: {@code IN (SELECT ...)} by a list of
 * typed constants, {@code EXISTS (SELECT ...)} by {@code true} or {@code false}, {@code = ANY
 * (SELECT ...)} by an array, a scalar subquery by its value. The statement is then routed as any
 * other (by the keys of an {@code IN} list, else bucket by bucket).
 *
 * <p>A subquery that refers to the updated row (correlated) does not run on its own: it fails with
 * 0A000. The values are taken before the write, not in its snapshot: a concurrent commit between
 * the two can be seen by one and not the other.
 */
final class SubqueryValues {

  /** The most values one subquery may give (they become statement text). */
  static final int MAX_VALUES = 100_000;

  private SubqueryValues() {}

  /** The statement with its subqueries' values in their place; null when it has none. */
  static @Nullable String inline(SqlFrontend frontend, String sql, InsertSelect.Statements session)
      throws SQLException {
    List<Subquery> subqueries = frontend.writeSubqueries(sql);
    if (subqueries.isEmpty()) {
      return null;
    }
    StringBuilder text = new StringBuilder(sql.length());
    int at = 0;
    for (Subquery q : subqueries) {
      String query = sql.substring(q.query().start(), q.query().end());
      text.append(sql, at, q.replaced().start()).append(values(session, q, query));
      at = q.replaced().end();
    }
    return text.append(sql, at, sql.length()).toString();
  }

  private static String values(InsertSelect.Statements session, Subquery q, String query)
      throws SQLException {
    Outcome outcome;
    try {
      outcome = session.run(query, List.of(), false);
    } catch (SQLException e) {
      if ("42703".equals(e.getSQLState()) || "42P01".equals(e.getSQLState())) {
        throw ZynamoErrors.notSupportedYet(
            "an UPDATE or DELETE subquery that does not run on its own (a correlated subquery,"
                + " referring to the updated row): "
                + e.getMessage());
      }
      throw e;
    }
    if (!(outcome instanceof Outcome.Rows rows)) {
      Outcomes.close(outcome);
      throw ZynamoErrors.notSupportedYet("a subquery that gives no rows: " + query);
    }
    try (ResultSet rs = rows.rows()) {
      if (q.use() == Subquery.Use.EXISTS) {
        return rs.next() ? "true" : "false";
      }
      if (rs.getMetaData().getColumnCount() != 1) {
        throw ZynamoErrors.create(
            ZynamoSqlState.SYNTAX_ERROR,
            q.use() == Subquery.Use.SCALAR
                ? "subquery must return only one column"
                : "subquery has too many columns");
      }
      String type = typeName(rs.getMetaData().getColumnTypeName(1));
      if (type.startsWith("_") && q.use() != Subquery.Use.SCALAR) {
        throw ZynamoErrors.notSupportedYet("a subquery of arrays used as a list: " + query);
      }
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        if (values.size() == MAX_VALUES) {
          throw ZynamoErrors.notSupportedYet(
              "a subquery of an UPDATE or DELETE giving more than " + MAX_VALUES + " values");
        }
        String value = rs.getString(1);
        values.add(
            value == null ? "NULL" : "CAST('" + value.replace("'", "''") + "' AS " + type + ")");
      }
      String list = String.join(", ", values);
      return switch (q.use()) {
        case IN ->
            values.isEmpty() ? "= ANY (CAST(ARRAY[] AS " + type + "[]))" : "IN (" + list + ")";
        case NOT_IN ->
            values.isEmpty() ? "<> ALL (CAST(ARRAY[] AS " + type + "[]))" : "NOT IN (" + list + ")";
        case ARRAY -> "(CAST(ARRAY[" + list + "] AS " + type + "[]))";
        case SCALAR -> {
          if (values.size() > 1) {
            throw ZynamoErrors.create(
                ZynamoSqlState.CARDINALITY_VIOLATION,
                "more than one row returned by a subquery used as an expression");
          }
          yield "(" + (values.isEmpty() ? "CAST(NULL AS " + type + ")" : values.get(0)) + ")";
        }
        case EXISTS -> throw new IllegalStateException("answered above");
      };
    }
  }

  /**
   * A result column's type as a cast names it: pgjdbc reports the columns of {@code serial} kinds
   * by those names, which are no types.
   */
  private static String typeName(String reported) {
    return switch (reported.toLowerCase(Locale.ROOT)) {
      case "serial" -> "int4";
      case "bigserial" -> "int8";
      case "smallserial" -> "int2";
      default -> reported;
    };
  }
}
