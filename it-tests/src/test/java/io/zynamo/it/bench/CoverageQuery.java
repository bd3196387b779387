package io.zynamo.it.bench;

/**
 * A query without a shard key over {@code bench_cov}, which Zynamo answers from a coverage plan.
 * {@link #ordered} tells whether the order of the rows is part of the answer (else answers are
 * compared as sorted lists of rows).
 */
enum CoverageQuery {
  COUNT("count(*)", "SELECT count(*) FROM bench_cov", true),
  GROUP_BY(
      "GROUP BY aggregate", "SELECT g, count(*), sum(n), avg(n) FROM bench_cov GROUP BY g", false),
  TOP_10(
      "ORDER BY .. LIMIT 10", "SELECT id, g, n FROM bench_cov ORDER BY n DESC, id LIMIT 10", true);

  private final String title;
  private final String sql;
  private final boolean ordered;

  CoverageQuery(String title, String sql, boolean ordered) {
    this.title = title;
    this.sql = sql;
    this.ordered = ordered;
  }

  String title() {
    return title;
  }

  String sql() {
    return sql;
  }

  boolean ordered() {
    return ordered;
  }
}
