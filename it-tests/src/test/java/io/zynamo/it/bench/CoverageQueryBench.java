package io.zynamo.it.bench;

import io.zynamo.it.ZynamoCluster;
import io.zynamo.proxy.embedded.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Workload 3 of the benchmarks: queries without a shard key ({@code count(*)}, a {@code GROUP BY}
 * aggregate, {@code ORDER BY .. LIMIT 10}) over {@code zynamo.bench.coverageRows} rows, through the
 * Zynamo driver on clusters of M=3 and M=6 nodes vs one plain PostgreSQL holding all rows, written
 * to {@code docs/benchmarks.md}. Not a timed test: it fails when a Zynamo answer differs from plain
 * PostgreSQL's, or when {@code EXPLAIN} shows a fan-out other than ceil(M/N) nodes.
 *
 * <pre>
 *   node 0      plain PostgreSQL, rows loaded by generate_series   (baseline)
 *   nodes 1..3  M=3, N=1   rows loaded through the driver
 *   nodes 4..9  M=6, N=3   rows loaded through the driver (W=3)
 *   nodes 1..3  database ss: ShardingSphere-JDBC, N=1, 256 shards (when its jars are at hand)
 * </pre>
 */
@ZynamoCluster(nodes = 10)
class CoverageQueryBench {

  private static final Pattern FAN_OUT =
      Pattern.compile("^Zynamo cluster-wide query: (\\d+) of (\\d+) nodes");

  /** A Zynamo cluster of the run: which nodes, and N. */
  private record Shape(int first, int nodes, int replicas) {
    int coverage() {
      return (nodes + replicas - 1) / replicas;
    }

    String name() {
      return "driver M=" + nodes + " N=" + replicas;
    }
  }

  private static final String PEER = "ShardingSphere M=3";

  private static final List<Shape> SHAPES = List.of(new Shape(1, 3, 1), new Shape(4, 6, 3));

  private final PostgresCluster nodes;
  private final int rows = RunEnvironment.knob("coverageRows", 1_000_000);
  private final QueryRounds rounds = new QueryRounds(RunEnvironment.knob("coverageRounds", 5));
  private final int loadThreads = RunEnvironment.knob("loadThreads", 4);
  private final int loadBatch = RunEnvironment.knob("loadBatch", 5000);

  CoverageQueryBench(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @Test
  void coverageQueriesSideBySide() throws Exception {
    String plain = nodes.node(0).jdbcUrl();
    List<String> loads = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    long start = System.nanoTime();
    try (Connection connection = DriverManager.getConnection(plain)) {
      CoverageTable.loadPlain(connection, rows);
    }
    loads.add(loaded("plain PostgreSQL (generate_series)", start));
    List<Contender> contenders = new ArrayList<>();
    contenders.add(
        new Contender(
            "plain PostgreSQL",
            "pgjdbc straight to one PostgreSQL node holding all rows",
            () -> DriverManager.getConnection(plain)));
    for (Shape shape : SHAPES) {
      String url = zynamoUrl(shape);
      contenders.add(
          load(
              new Contender(
                  shape.name(),
                  "Zynamo driver, "
                      + shape.nodes()
                      + "-node cluster, N="
                      + shape.replicas()
                      + ": coverage plan of ceil(M/N) = "
                      + shape.coverage()
                      + (shape.coverage() == 1 ? " node" : " nodes"),
                  () -> DriverManager.getConnection(url)),
              CoverageTable.MULTI_ROW_INSERT,
              loads));
    }
    Path folder = Files.createTempDirectory("zynamo-coverage-");
    Optional<ShardingSphere> peer =
        ShardingSphere.open(nodes.nodes().subList(1, 4), List.of("bench_cov"), folder, notes);
    try {
      if (peer.isPresent()) {
        contenders.add(
            load(
                peer.get()
                    .contender(
                        PEER,
                        "ShardingSphere-JDBC 5.5.2 on nodes 1-3 (the M=3 cluster's servers,"
                            + " database ss), N=1, HASH_MOD auto-table of 256 shards"),
                CoverageTable.PREPARED_BATCH,
                loads));
      }
      StringBuilder tables = new StringBuilder();
      for (CoverageQuery query : CoverageQuery.values()) {
        tables.append(measure(query, contenders));
      }
      String markdown = BenchReport.preamble(header(plain, loads, notes), contenders) + tables;
      RunEnvironment.publish("coverage", markdown);
    } finally {
      if (peer.isPresent()) {
        peer.get().close();
      }
    }
  }

  /**
   * Creates and loads the table through {@code contender}: pieces of {@code loadBatch} rows in
   * parallel.
   */
  private Contender load(Contender contender, CoverageTable.Writer writer, List<String> loads)
      throws Exception {
    long start = System.nanoTime();
    contender.call(
        () -> {
          try (Connection connection = contender.connector().open();
              Statement statement = connection.createStatement()) {
            statement.execute(CoverageTable.CREATE);
          }
          return null;
        });
    CoverageTable.insertInParallel(contender, writer, rows, loadBatch, loadThreads);
    loads.add(loaded(contender.name(), start));
    return contender;
  }

  /**
   * Checks every Zynamo contender's fan-out, times the query on all, and fails if a Zynamo answer
   * differs from plain PostgreSQL's (the peer's exactness is only reported).
   */
  private String measure(CoverageQuery query, List<Contender> contenders) throws Exception {
    List<String> contacted = new ArrayList<>(List.of("1 of 1"));
    for (Shape shape : SHAPES) {
      contacted.add(checkFanOut(shape, query));
    }
    if (contenders.size() > contacted.size()) {
      contacted.add("3 of 3");
    }
    List<QueryRounds.Timing> timings = rounds.run(query, contenders);
    for (QueryRounds.Timing timing : timings) {
      if (!timing.exact() && !timing.contender().name().equals(PEER)) {
        throw new IllegalStateException(
            timing.contender().name()
                + ": "
                + query.sql()
                + " answered otherwise than plain PostgreSQL");
      }
    }
    return QueryReport.table(query, timings, contacted);
  }

  private static String loaded(String what, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return String.format(Locale.ROOT, "%s %.1f s", what, seconds);
  }

  /**
   * Runs {@code EXPLAIN} of the query through the driver and checks the nodes contacted: ceil(M/N)
   * of M.
   */
  private String checkFanOut(Shape shape, CoverageQuery query) throws SQLException {
    try (Connection connection = DriverManager.getConnection(zynamoUrl(shape))) {
      List<String> plan = QueryRounds.rows(connection, "EXPLAIN " + query.sql());
      Matcher m = FAN_OUT.matcher(plan.isEmpty() ? "" : plan.get(0));
      if (!m.find()
          || Integer.parseInt(m.group(1)) != shape.coverage()
          || Integer.parseInt(m.group(2)) != shape.nodes()) {
        throw new IllegalStateException(
            shape.name()
                + ": EXPLAIN "
                + query.sql()
                + " begins '"
                + (plan.isEmpty() ? "" : plan.get(0))
                + "' (expected 'Zynamo cluster-wide query: "
                + shape.coverage()
                + " of "
                + shape.nodes()
                + " nodes')");
      }
      return m.group(1) + " of " + m.group(2);
    }
  }

  private String zynamoUrl(Shape shape) {
    return FrontEnds.zynamoUrl(
        nodes.nodes().subList(shape.first(), shape.first() + shape.nodes()),
        "user=postgres&replicas=" + shape.replicas() + "&writeQuorum=" + shape.replicas());
  }

  private List<String> header(String plainUrl, List<String> loads, List<String> notes)
      throws SQLException {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "Run %s: %,d rows; each query once per contender as a warm-up, then %d interleaved"
                + " rounds; times run from sending the query to reading its last row",
            Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS),
            rows,
            rounds.rounds()));
    lines.add(
        String.format(
            Locale.ROOT,
            "Loaded in (the driver: multi-row INSERTs of %,d rows; ShardingSphere: JDBC batches of"
                + " %,d one-row prepared INSERTs, its parser being slow on long statements; %d"
                + " connections in parallel): %s",
            loadBatch,
            loadBatch,
            loadThreads,
            String.join("; ", loads)));
    lines.addAll(notes);
    lines.add(RunEnvironment.machine());
    lines.add(RunEnvironment.postgres(plainUrl, nodes.nodes().size()));
    return lines;
  }
}
