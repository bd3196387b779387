package io.zynamo.it.bench;

import io.zynamo.it.ZynamoCluster;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Workload 4 of the benchmarks: loading {@code zynamo.bench.bulkRows} rows into an empty table on
 * one connection, with multi-row INSERTs (pgjdbc straight to PostgreSQL vs the Zynamo driver) and
 * with COPY FROM STDIN (pgjdbc's CopyManager straight to PostgreSQL vs through the in-process
 * proxy), in interleaved rounds, written to {@code docs/benchmarks.md}. Not a timed test: it fails
 * when a load fails or the loaded table's count and sum differ from the rows sent.
 *
 * <pre>
 *   node 0      plain PostgreSQL     <- pgjdbc INSERT (baseline), pgjdbc COPY (baseline)
 *   node 1      1-node cluster       <- driver N=1 INSERT; proxy N=1 COPY
 *   nodes 2..4  3-node cluster, N=3  <- driver INSERT; proxy COPY (both W=2)
 * </pre>
 */
@ZynamoCluster(nodes = 5)
class BulkLoadBench {

  private final PostgresCluster nodes;
  private final int rows = RunEnvironment.knob("bulkRows", 50_000);
  private final int rounds = RunEnvironment.knob("bulkRounds", 3);
  private final int batch = RunEnvironment.knob("loadBatch", 5000);

  BulkLoadBench(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @Test
  void bulkLoadsSideBySide() throws Exception {
    String plain = nodes.node(0).jdbcUrl();
    String one = FrontEnds.zynamoUrl(nodes.nodes().subList(1, 2), "replicas=1");
    String three = FrontEnds.zynamoUrl(nodes.nodes().subList(2, 5), "replicas=3");
    for (String url : List.of(plain, one, three)) {
      execute(url, CoverageTable.CREATE);
    }
    try (ProxyServer proxyOne =
            FrontEnds.proxy(nodes.nodes().subList(1, 2), Map.of("replicas", "1"));
        ProxyServer proxyThree =
            FrontEnds.proxy(nodes.nodes().subList(2, 5), Map.of("replicas", "3"))) {
      List<Contender> inserts =
          List.of(
              contender(
                  "pgjdbc INSERT", "multi-row INSERTs over pgjdbc straight to PostgreSQL", plain),
              contender(
                  "driver N=1 INSERT", "multi-row INSERTs through the driver, 1 node, N=1", one),
              contender(
                  "driver N=3 INSERT",
                  "multi-row INSERTs through the driver, 3 nodes, N=3, W=2",
                  three));
      List<Contender> copies =
          List.of(
              contender("pgjdbc COPY", "pgjdbc's CopyManager straight to PostgreSQL", plain),
              contender(
                  "proxy N=1 COPY",
                  "pgjdbc's CopyManager through the in-process proxy, 1 node, N=1",
                  FrontEnds.pgjdbcTo(proxyOne)),
              contender(
                  "proxy N=3 COPY",
                  "pgjdbc's CopyManager through the in-process proxy, 3 nodes, N=3, W=2",
                  FrontEnds.pgjdbcTo(proxyThree)));
      List<Contender> all = new ArrayList<>(inserts);
      all.addAll(copies);
      String markdown =
          BenchReport.preamble(header(plain), all)
              + table(BulkLoad.INSERT, inserts, run(BulkLoad.INSERT, inserts))
              + table(BulkLoad.COPY, copies, run(BulkLoad.COPY, copies));
      RunEnvironment.publish("bulk", markdown);
    }
  }

  /** Rows per second of each contender in each round, interleaved; checks the last load. */
  private List<List<Double>> run(BulkLoad method, List<Contender> contenders) throws Exception {
    List<List<Double>> rates = new ArrayList<>();
    contenders.forEach(c -> rates.add(new ArrayList<>()));
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < contenders.size(); i++) {
        try (Connection connection = contenders.get(i).connector().open()) {
          try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE bench_cov");
          }
          long start = System.nanoTime();
          method.load(connection, rows, batch);
          rates.get(i).add(rows * 1e9 / (System.nanoTime() - start));
        }
      }
    }
    for (Contender contender : contenders) {
      check(contender);
    }
    return rates;
  }

  private void check(Contender contender) throws SQLException {
    long sum = 0;
    for (long id = 1; id <= rows; id++) {
      sum += CoverageTable.n(id);
    }
    String expected = rows + "|" + sum;
    try (Connection connection = contender.connector().open()) {
      List<String> loaded = QueryRounds.rows(connection, "SELECT count(*), sum(n) FROM bench_cov");
      if (!loaded.equals(List.of(expected))) {
        throw new IllegalStateException(
            contender.name()
                + ": count and sum of n are "
                + loaded
                + " (expected "
                + expected
                + ")");
      }
    }
  }

  private static String table(
      BulkLoad method, List<Contender> contenders, List<List<Double>> rates) {
    StringBuilder out = new StringBuilder();
    out.append("\n**bulk load, ")
        .append(method == BulkLoad.INSERT ? "multi-row INSERT" : "COPY FROM STDIN (text)")
        .append("** (baseline ")
        .append(contenders.get(0).name())
        .append(")\n\n| contender | rows/s (median) | rounds min..max | x baseline |\n")
        .append("|---|--:|--:|--:|\n");
    for (int i = 0; i < contenders.size(); i++) {
      List<Double> ratios = new ArrayList<>();
      for (int r = 0; r < rates.get(i).size(); r++) {
        ratios.add(rates.get(i).get(r) / rates.get(0).get(r));
      }
      List<Double> own = rates.get(i);
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f..%,.0f | %.2f |%n",
              contenders.get(i).name(),
              Figure.median(own),
              own.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
              own.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
              Figure.median(ratios)));
    }
    return out.toString();
  }

  private List<String> header(String plainUrl) throws SQLException {
    return List.of(
        String.format(
            Locale.ROOT,
            "Run %s: %,d rows into an empty table (TRUNCATE first, not timed) on one connection,"
                + " INSERTs of %,d rows, COPY written in chunks of %,d rows; %d interleaved rounds;"
                + " figures are medians over rounds",
            Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS),
            rows,
            batch,
            batch,
            rounds),
        RunEnvironment.machine(),
        RunEnvironment.postgres(plainUrl, nodes.nodes().size()));
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Contender contender(String name, String description, String url) {
    return new Contender(name, description, () -> DriverManager.getConnection(url, "postgres", ""));
  }
}
