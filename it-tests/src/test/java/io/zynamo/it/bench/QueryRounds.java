package io.zynamo.it.bench;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Times a long-running query on every contender in interleaved rounds, one execution per contender
 * per round, the first contender being the baseline whose answer the others must give:
 *
 * <pre>
 *   warm-up:  A B C            (discarded; A's answer is the expected one)
 *   round r:  A B C            ratio_r(B) = time(B, r) / time(A, r)
 *                              ratio(B) = median over rounds of ratio_r(B)
 * </pre>
 *
 * Each contender keeps one connection for all rounds. The time runs from sending the query to
 * having read its last row.
 */
final class QueryRounds {

  private final int rounds;

  QueryRounds(int rounds) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds: " + rounds + " (expected >= 1)");
    }
    this.rounds = rounds;
  }

  int rounds() {
    return rounds;
  }

  /**
   * One contender's times for one query.
   *
   * @param nanos the time of each measured round, in run order
   * @param ratio median over rounds of this time / the baseline's in the same round (above 1 is
   *     slower)
   * @param difference empty when every answer equalled the baseline's, else where the first wrong
   *     answer differed
   */
  record Timing(Contender contender, List<Long> nanos, double ratio, String difference) {
    boolean exact() {
      return difference.isEmpty();
    }

    Timing {
      requireNonNull(contender, "contender");
      nanos = List.copyOf(nanos);
      requireNonNull(difference, "difference");
    }

    long medianNanos() {
      return Math.round(Figure.median(nanos.stream().map(Long::doubleValue).toList()));
    }

    long p99Nanos() {
      return LatencySamples.percentile(
          nanos.stream().mapToLong(Long::longValue).sorted().toArray(), 0.99);
    }
  }

  List<Timing> run(CoverageQuery query, List<Contender> contenders) throws Exception {
    List<Connection> connections = new ArrayList<>();
    try {
      for (Contender contender : contenders) {
        connections.add(contender.call(() -> contender.connector().open()));
      }
      List<String> expected = answer(contenders.get(0), connections.get(0), query);
      String[] differences = new String[contenders.size()];
      for (int i = 0; i < contenders.size(); i++) {
        differences[i] = difference(expected, answer(contenders.get(i), connections.get(i), query));
      }
      List<List<Long>> nanos = new ArrayList<>();
      contenders.forEach(c -> nanos.add(new ArrayList<>()));
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < contenders.size(); i++) {
          long start = System.nanoTime();
          List<String> answer = answer(contenders.get(i), connections.get(i), query);
          nanos.get(i).add(System.nanoTime() - start);
          if (differences[i].isEmpty()) {
            differences[i] = difference(expected, answer);
          }
        }
      }
      List<Timing> timings = new ArrayList<>();
      for (int i = 0; i < contenders.size(); i++) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          ratios.add(nanos.get(i).get(r) / (double) nanos.get(0).get(r));
        }
        timings.add(
            new Timing(contenders.get(i), nanos.get(i), Figure.median(ratios), differences[i]));
      }
      return timings;
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  /** Empty if the answers are equal, else the first row where they differ. */
  static String difference(List<String> expected, List<String> actual) {
    for (int row = 0; row < Math.max(expected.size(), actual.size()); row++) {
      String want = row < expected.size() ? expected.get(row) : "no row";
      String got = row < actual.size() ? actual.get(row) : "no row";
      if (!want.equals(got)) {
        return "row " + (row + 1) + " is `" + got + "` (expected `" + want + "`)";
      }
    }
    return "";
  }

  /** The rows as text ({@code a|b|c}), sorted unless the query's order is part of its answer. */
  private static List<String> answer(
      Contender contender, Connection connection, CoverageQuery query) throws Exception {
    List<String> rows = contender.call(() -> rows(connection, query.sql()));
    if (!query.ordered()) {
      rows.sort(null);
    }
    return rows;
  }

  /** The rows of {@code sql} as text ({@code a|b|c}), in the order read. */
  static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          row.append(c > 1 ? "|" : "").append(rs.getString(c));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
