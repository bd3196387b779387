package io.zynamo.driver.sql;

import org.jspecify.annotations.Nullable;

/**
 * Where a single-table SELECT's row filter is in its text, so that a scan can send the filter to
 * the nodes: the table's alias, and the WHERE condition.
 *
 * @param alias the alias the query gives the table, or null
 * @param where the WHERE condition, or null when the query has none
 */
public record ScanText(@Nullable String alias, @Nullable Span where) {}
