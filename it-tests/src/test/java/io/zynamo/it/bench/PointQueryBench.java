package io.zynamo.it.bench;

import io.zynamo.it.ZynamoCluster;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Workloads 1 and 2 of the benchmarks: point selects and updates by primary key on prepared
 * statements, plain pgjdbc against one PostgreSQL vs the Zynamo driver (1 node; 3 nodes at two
 * quorums), vs pgjdbc through the proxy and vs ShardingSphere-JDBC, in one run on five local nodes,
 * written to {@code docs/benchmarks.md}. Not a timed test: it fails only when a statement fails or
 * answers wrongly.
 *
 * <pre>
 *   node 0      plain PostgreSQL          <- pgjdbc (baseline)
 *   node 1      1-node cluster, N=1       <- driver; proxy <- pgjdbc
 *   nodes 2..4  3-node cluster, N=3       <- driver R=W=1; driver R=W=2; proxy (R=W=2) <- pgjdbc
 *               database ss: ShardingSphere-JDBC, N=1, 256 shards (when its jars are at hand)
 * </pre>
 */
@ZynamoCluster(nodes = 5)
class PointQueryBench {

  private static final String USER = PostgresNode.USER;

  private final PostgresCluster nodes;
  private final InterleavedRounds.Settings settings =
      new InterleavedRounds.Settings(
          RunEnvironment.knob("rounds", 5),
          Duration.ofMillis(RunEnvironment.knob("roundMillis", 1000)),
          Duration.ofMillis(RunEnvironment.knob("warmUpMillis", 3000)),
          RunEnvironment.knob("keys", 10_000));

  PointQueryBench(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @Test
  void pointQueriesSideBySide() throws Exception {
    String plain = nodes.node(0).jdbcUrl();
    List<PostgresNode> one = nodes.nodes().subList(1, 2);
    List<PostgresNode> three = nodes.nodes().subList(2, 5);
    String zynamoOne = FrontEnds.zynamoUrl(one, "replicas=1");
    String zynamoThree = FrontEnds.zynamoUrl(three, "replicas=3");
    for (String url : List.of(plain, zynamoOne, zynamoThree + "&readQuorum=2&writeQuorum=2")) {
      try (Connection connection = DriverManager.getConnection(url, USER, "")) {
        BenchTable.createAndLoad(connection, settings.keys());
      }
    }
    List<String> notes = new ArrayList<>();
    Optional<ShardingSphere> peer =
        ShardingSphere.open(
            nodes.nodes().subList(2, 5),
            List.of("bench_kv"),
            Files.createTempDirectory("zynamo-point-"),
            notes);
    try (ProxyServer proxyOne = FrontEnds.proxy(one, Map.of("replicas", "1"));
        ProxyServer proxyThree =
            FrontEnds.proxy(
                three, Map.of("replicas", "3", "readQuorum", "2", "writeQuorum", "2"))) {
      List<Contender> contenders =
          new ArrayList<>(
              List.of(
                  contender("pgjdbc", "pgjdbc straight to one PostgreSQL node", plain),
                  contender("driver N=1", "Zynamo driver, 1-node cluster (N=1)", zynamoOne),
                  contender(
                      "driver N=3 R=1 W=1",
                      "Zynamo driver, 3-node cluster, N=3, readQuorum=1, writeQuorum=1",
                      zynamoThree + "&readQuorum=1&writeQuorum=1"),
                  contender(
                      "driver N=3 R=2 W=2",
                      "Zynamo driver, 3-node cluster, N=3, readQuorum=2, writeQuorum=2",
                      zynamoThree + "&readQuorum=2&writeQuorum=2"),
                  contender(
                      "proxy N=1",
                      "pgjdbc (extended protocol) through the in-process proxy to the 1-node cluster",
                      FrontEnds.pgjdbcTo(proxyOne)),
                  contender(
                      "proxy N=3 R=2 W=2",
                      "pgjdbc (extended protocol) through the in-process proxy to the 3-node cluster,"
                          + " R=2, W=2",
                      FrontEnds.pgjdbcTo(proxyThree))));
      if (peer.isPresent()) {
        contenders.add(loaded(peer.get()));
      }
      BenchReport report = new BenchReport(header(plain, notes), contenders);
      InterleavedRounds rounds = new InterleavedRounds(settings);
      report.add(rounds.run(Workload.POINT_SELECT, 1, contenders));
      report.add(rounds.run(Workload.POINT_SELECT, 8, contenders));
      report.add(rounds.run(Workload.POINT_UPDATE, 1, contenders));
      RunEnvironment.publish("point", report.markdown());
    } finally {
      if (peer.isPresent()) {
        peer.get().close();
      }
    }
  }

  /** ShardingSphere-JDBC as a contender, with the table created and loaded through it. */
  private Contender loaded(ShardingSphere peer) throws Exception {
    Contender contender =
        peer.contender(
            "ShardingSphere M=3",
            "ShardingSphere-JDBC 5.5.2 on the 3-node cluster's servers (database ss), N=1,"
                + " HASH_MOD auto-table of 256 shards");
    contender.call(
        () -> {
          try (Connection connection = contender.connector().open()) {
            BenchTable.createAndLoad(connection, settings.keys());
          }
          return null;
        });
    return contender;
  }

  private List<String> header(String plainUrl, List<String> notes) throws SQLException {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "Run %s: %d rounds of %d ms per contender after a %d ms warm-up, interleaved;"
                + " keys uniform over %,d rows; figures are medians over rounds",
            Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS),
            settings.rounds(),
            settings.round().toMillis(),
            settings.warmUp().toMillis(),
            settings.keys()));
    lines.addAll(notes);
    lines.add(RunEnvironment.machine());
    lines.add(RunEnvironment.postgres(plainUrl, nodes.nodes().size()));
    return lines;
  }

  private static Contender contender(String name, String description, String url) {
    return new Contender(name, description, () -> DriverManager.getConnection(url, USER, ""));
  }
}
