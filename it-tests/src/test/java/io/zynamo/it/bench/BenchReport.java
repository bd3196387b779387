package io.zynamo.it.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a run of the keyed workloads as markdown, and puts a benchmark's markdown into its own
 * section of the benchmarks page (between {@code <!-- bench:NAME:begin -->} and {@code <!--
 * bench:NAME:end -->}), leaving the rest of the page (how to reproduce, what is not measured) as
 * written.
 */
final class BenchReport {

  private final List<String> header;
  private final List<Contender> contenders;
  private final List<Figure> figures = new ArrayList<>();

  /**
   * @param header bullet lines on the machine, versions and settings, without the leading "- "
   */
  BenchReport(List<String> header, List<Contender> contenders) {
    this.header = List.copyOf(header);
    this.contenders = List.copyOf(contenders);
  }

  void add(List<Figure> more) {
    figures.addAll(more);
  }

  String markdown() {
    StringBuilder out = new StringBuilder(preamble(header, contenders));
    Operation workload = null;
    int threads = 0;
    for (Figure figure : figures) {
      if (figure.workload() != workload || figure.threads() != threads) {
        workload = figure.workload();
        threads = figure.threads();
        table(out, figure);
      }
      row(out, figure);
    }
    return out.toString();
  }

  /** The header lines as bullets, then the table of contenders and what each is. */
  static String preamble(List<String> header, List<Contender> contenders) {
    StringBuilder out = new StringBuilder();
    for (String line : header) {
      out.append("- ").append(line).append('\n');
    }
    out.append("\n| contender | what |\n|---|---|\n");
    for (Contender contender : contenders) {
      out.append("| ").append(contender.name()).append(" | ");
      out.append(contender.description()).append(" |\n");
    }
    return out.toString();
  }

  private static void table(StringBuilder out, Figure first) {
    out.append("\n**")
        .append(first.workload().title())
        .append(", ")
        .append(first.threads())
        .append(' ')
        .append(first.workload().worker())
        .append(first.threads() == 1 ? "" : "s")
        .append("** (`")
        .append(first.workload().sql())
        .append("`; baseline ")
        .append(first.contender().name())
        .append(")\n\n");
    out.append("| contender | ops/s (median) | rounds min..max | x baseline |");
    out.append(" p50 µs | p99 µs | p99.9 µs |\n");
    out.append("|---|--:|--:|--:|--:|--:|--:|\n");
  }

  private static void row(StringBuilder out, Figure figure) {
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %,.0f | %,.0f..%,.0f | %.2f | %s | %s | %s |%n",
            figure.contender().name(),
            figure.medianOpsPerSecond(),
            figure.minOpsPerSecond(),
            figure.maxOpsPerSecond(),
            figure.ratio(),
            micros(figure.p50Nanos()),
            micros(figure.p99Nanos()),
            micros(figure.p999Nanos())));
  }

  private static String micros(long nanos) {
    return String.format(Locale.ROOT, "%,.0f", nanos / 1000.0);
  }

  /**
   * Replaces what lies between the markers of section {@code name} of {@code page} with {@code
   * markdown}.
   *
   * @throws IllegalStateException if the page lacks either marker, in that order
   */
  static void write(Path page, String name, String markdown) throws IOException {
    requireNonNull(markdown, "markdown");
    String beginMarker = "<!-- bench:" + name + ":begin -->";
    String endMarker = "<!-- bench:" + name + ":end -->";
    String text = Files.readString(page, StandardCharsets.UTF_8);
    int begin = text.indexOf(beginMarker);
    int end = text.indexOf(endMarker);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(
          page
              + ": no "
              + beginMarker
              + " ... "
              + endMarker
              + " section (expected both, in that order)");
    }
    String updated =
        text.substring(0, begin + beginMarker.length()) + "\n" + markdown + text.substring(end);
    Files.writeString(page, updated, StandardCharsets.UTF_8);
  }
}
