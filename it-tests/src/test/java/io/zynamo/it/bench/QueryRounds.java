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
   * @param exact every answer equalled the baseline's
   */
  record Timing(Contender contender, List<Long> nanos, double ratio, boolean exact) {
    Timing {
      requireNonNull(contender, "contender");
      nanos = List.copyOf(nanos);
    }

    long medianNanos() {
      return Math.round(Figure.median(nanos.stream().map(Long::doubleValue).toList()));
    }

    long p99Nanos() {
      return LatencySamples.percentile(
          nanos.stream().mapToLong(Long::longValue).sorted().toArray(), 0.99);
    }
  }

  List<Timing> run(CoverageQuery query, List<Contender> contenders) throws SQLException {
    List<Connection> connections = new ArrayList<>();
    try {
      for (Contender contender : contenders) {
        connections.add(contender.connector().open());
      }
      List<String> expected = answer(connections.get(0), query);
      boolean[] exact = new boolean[contenders.size()];
      for (int i = 0; i < contenders.size(); i++) {
        exact[i] = i == 0 || answer(connections.get(i), query).equals(expected);
      }
      List<List<Long>> nanos = new ArrayList<>();
      contenders.forEach(c -> nanos.add(new ArrayList<>()));
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < contenders.size(); i++) {
          long start = System.nanoTime();
          List<String> answer = answer(connections.get(i), query);
          nanos.get(i).add(System.nanoTime() - start);
          exact[i] &= answer.equals(expected);
        }
      }
      List<Timing> timings = new ArrayList<>();
      for (int i = 0; i < contenders.size(); i++) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          ratios.add(nanos.get(i).get(r) / (double) nanos.get(0).get(r));
        }
        timings.add(new Timing(contenders.get(i), nanos.get(i), Figure.median(ratios), exact[i]));
      }
      return timings;
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  /** The rows as text ({@code a|b|c}), sorted unless the query's order is part of its answer. */
  static List<String> answer(Connection connection, CoverageQuery query) throws SQLException {
    List<String> rows = rows(connection, query.sql());
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
