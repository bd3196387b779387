package io.zynamo.it.bench;

import java.util.List;
import java.util.Locale;

/** Renders the timings of one long-running query on every contender as a markdown table. */
final class QueryReport {

  private QueryReport() {}

  /**
   * @param contacted per contender, in the order of {@code timings}, the nodes the query contacts
   *     as "K of M" (from EXPLAIN), or a note
   */
  static String table(
      CoverageQuery query, List<QueryRounds.Timing> timings, List<String> contacted) {
    StringBuilder out = new StringBuilder();
    out.append("\n**")
        .append(query.title())
        .append("** (`")
        .append(query.sql())
        .append("`; baseline ")
        .append(timings.get(0).contender().name())
        .append(")\n\n");
    out.append("| contender | nodes contacted | median ms | p99 ms | x baseline time | exact |\n");
    out.append("|---|--:|--:|--:|--:|---|\n");
    for (int i = 0; i < timings.size(); i++) {
      QueryRounds.Timing timing = timings.get(i);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %.2f | %s |%n",
              timing.contender().name(),
              contacted.get(i),
              millis(timing.medianNanos()),
              millis(timing.p99Nanos()),
              timing.ratio(),
              timing.exact() ? "yes" : "**no**"));
    }
    for (QueryRounds.Timing timing : timings) {
      if (!timing.exact()) {
        out.append("\n")
            .append(timing.contender().name())
            .append(" answered wrongly: ")
            .append(timing.difference())
            .append(".\n");
      }
    }
    return out.toString();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, nanos < 10_000_000 ? "%,.1f" : "%,.0f", nanos / 1e6);
  }
}
