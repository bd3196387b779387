package io.zynamo.driver.sql;

/**
 * How much of the statement routing analysis understood: only {@link #SINGLE_TABLE} statements
 * carry key predicates, so anything more complex is reported as such and never misrouted.
 */
public enum Shape {
  /** The statement reads or writes no table ({@code SELECT 1}, {@code SET}, {@code BEGIN}). */
  NO_TABLE,
  /** One table, no join, subquery, CTE, set operation, table function or column alias list. */
  SINGLE_TABLE,
  /** Several tables or any of the constructs above: key predicates are not reported. */
  COMPLEX,
  /** The text was not understood (malformed, or too deeply nested): nothing may be assumed. */
  UNKNOWN
}
