package io.zynamo.driver.sql;

import org.jspecify.annotations.Nullable;

/**
 * Where a single-table statement's row filter is in its text: for a SELECT, so that a scan can send
 * the filter to the nodes; for an UPDATE or DELETE, so that it can be narrowed to one bucket.
 *
 * @param alias the alias the statement gives the table, or null
 * @param where the WHERE condition, or null when the statement has none
 * @param whereAt for UPDATE and DELETE, the offset where a WHERE clause would go when there is none
 *     (before RETURNING, or at the end); -1 for a SELECT
 */
public record ScanText(@Nullable String alias, @Nullable Span where, int whereAt) {

  /**
   * An UPDATE's or DELETE's text narrowed by {@code condition}: ANDed to its WHERE condition, or as
   * a WHERE clause of its own.
   */
  public String narrowed(String sql, String condition) {
    if (where != null) {
      return sql.substring(0, where.start())
          + "("
          + sql.substring(where.start(), where.end())
          + ") AND "
          + condition
          + sql.substring(where.end());
    }
    if (whereAt < 0) {
      throw new IllegalStateException("not an UPDATE or DELETE");
    }
    String before = sql.substring(0, whereAt);
    String after = sql.substring(whereAt);
    return before
        + (before.isEmpty() || Character.isWhitespace(before.charAt(before.length() - 1))
            ? ""
            : " ")
        + "WHERE "
        + condition
        + (after.isEmpty() ? "" : " ")
        + after;
  }

  /** A SELECT's. */
  public ScanText(@Nullable String alias, @Nullable Span where) {
    this(alias, where, -1);
  }
}
