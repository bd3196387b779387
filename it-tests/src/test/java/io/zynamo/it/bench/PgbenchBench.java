package io.zynamo.it.bench;

import io.zynamo.it.ZynamoCluster;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Workload 2 of the benchmarks: the machine's {@code pgbench} ({@code -S} and the TPC-B-like
 * script, {@code -M prepared}) against one PostgreSQL directly (the baseline), through PgBouncer in
 * front of it, and through the in-process Zynamo proxy on a 1-node and a 3-node cluster, in
 * interleaved rounds, written to {@code docs/benchmarks.md}. Not a timed test: it fails when
 * pgbench reports a failed transaction or exits with an error, or when the TPC-B balances do not
 * add up afterwards.
 *
 * <pre>
 *   node 0      plain PostgreSQL   <- pgbench (baseline); PgBouncer (session pool) <- pgbench
 *   node 1      1-node cluster     <- proxy N=1 <- pgbench
 *   nodes 2..4  3-node cluster     <- proxy N=3 R=2 W=2 <- pgbench
 * </pre>
 */
@ZynamoCluster(nodes = 5)
class PgbenchBench {

  /** Where pgbench connects for one contender. */
  private record Target(Contender contender, String host, int port) {}

  private final PostgresCluster nodes;
  private final int rounds = RunEnvironment.knob("rounds", 5);
  private final int seconds = RunEnvironment.knob("pgbenchSeconds", 4);
  private final int warmUpSeconds = RunEnvironment.knob("pgbenchWarmUpSeconds", 2);
  private final int scale = RunEnvironment.knob("pgbenchScale", 1);
  private final int clients = RunEnvironment.knob("pgbenchClients", 8);
  private final int jobs = RunEnvironment.knob("pgbenchJobs", 2);

  PgbenchBench(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @Test
  void pgbenchSideBySide() throws Exception {
    List<String> notes = new ArrayList<>();
    Path folder = Files.createTempDirectory("zynamo-pgbench-");
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    PostgresNode plain = nodes.node(0);
    Optional<Path> bouncerBinary = PgBouncer.binary(notes);
    try (ProxyServer proxyOne =
            FrontEnds.proxy(nodes.nodes().subList(1, 2), Map.of("replicas", "1"));
        ProxyServer proxyThree =
            FrontEnds.proxy(
                nodes.nodes().subList(2, 5),
                Map.of("replicas", "3", "readQuorum", "2", "writeQuorum", "2"));
        PgBouncer bouncer =
            bouncerBinary.isPresent()
                ? PgBouncer.start(bouncerBinary.get(), folder, plain.host(), plain.port())
                : null) {
      List<Target> targets = new ArrayList<>();
      targets.add(
          target(
              "PostgreSQL", "pgbench straight to one PostgreSQL node", plain.host(), plain.port()));
      if (bouncer != null) {
        targets.add(
            target(
                "PgBouncer",
                "pgbench through PgBouncer (session pool mode) to that node",
                plain.host(),
                bouncer.port()));
      }
      targets.add(
          target(
              "proxy N=1",
              "pgbench through the in-process Zynamo proxy to a 1-node cluster",
              proxyOne.host(),
              proxyOne.port()));
      targets.add(
          target(
              "proxy N=3 R=2 W=2",
              "pgbench through the in-process Zynamo proxy to a 3-node cluster, N=3, R=2, W=2",
              proxyThree.host(),
              proxyThree.port()));
      for (Target target : targets) {
        if (!target.contender().name().equals("PgBouncer")) {
          Pgbench.initialize(target.host(), target.port(), scale);
        }
      }
      Path logs = Files.createDirectory(folder.resolve("logs"));
      Pgbench pgbench = new Pgbench(clients, jobs, logs);
      List<Contender> contenders = targets.stream().map(Target::contender).toList();
      BenchReport report = new BenchReport(header(plain, notes), contenders);
      for (PgbenchScript script : PgbenchScript.values()) {
        report.add(run(pgbench, script, targets));
      }
      for (Target target : targets) {
        checkBalances(target.contender());
      }
      RunEnvironment.publish("pgbench", report.markdown());
    }
  }

  private List<Figure> run(Pgbench pgbench, PgbenchScript script, List<Target> targets)
      throws Exception {
    for (Target target : targets) {
      pgbench.run(script, target.host(), target.port(), warmUpSeconds);
    }
    List<List<Double>> tps = new ArrayList<>();
    List<LatencySamples> latencies = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      tps.add(new ArrayList<>());
      latencies.add(new LatencySamples());
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < targets.size(); i++) {
        Target target = targets.get(i);
        Pgbench.Result result = pgbench.run(script, target.host(), target.port(), seconds);
        tps.get(i).add(result.tps());
        latencies.get(i).addAll(result.latencies());
      }
    }
    List<Contender> contenders = targets.stream().map(Target::contender).toList();
    return InterleavedRounds.figures(script, pgbench.clients(), contenders, tps, latencies);
  }

  /**
   * Every TPC-B transaction adds its delta to one account, teller and branch and records it in the
   * history: the four totals are equal. A cluster-wide read may miss writes whose background
   * replication (W < N) is still under way, so a mismatch is asked again for a few seconds.
   */
  private static void checkBalances(Contender contender) throws Exception {
    String sql =
        "SELECT (SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts),"
            + " (SELECT coalesce(sum(tbalance), 0) FROM pgbench_tellers),"
            + " (SELECT coalesce(sum(bbalance), 0) FROM pgbench_branches),"
            + " (SELECT coalesce(sum(delta), 0) FROM pgbench_history)";
    List<String> totals = List.of();
    for (int attempt = 0; attempt < 10; attempt++) {
      try (Connection connection = contender.connector().open()) {
        totals = List.of(QueryRounds.rows(connection, sql).get(0).split("\\|", -1));
      }
      if (totals.stream().distinct().count() == 1) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        contender.name()
            + ": balances of accounts, tellers, branches and history are "
            + totals
            + " (expected all equal)");
  }

  private static Target target(String name, String description, String host, int port) {
    String url = "jdbc:postgresql://" + host + ":" + port + "/postgres?user=postgres";
    return new Target(
        new Contender(name, description, () -> DriverManager.getConnection(url)), host, port);
  }

  private List<String> header(PostgresNode plain, List<String> notes) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "Run %s: pgbench -M prepared, %d clients, %d threads, scale %d (pgbench -i, through"
                + " each contender's front end); %d rounds of %d s per contender after a %d s"
                + " warm-up, interleaved; figures are medians over rounds",
            Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS),
            clients,
            jobs,
            scale,
            rounds,
            seconds,
            warmUpSeconds));
    lines.add(
        "Tools: "
            + Pgbench.run(List.of("pgbench", "--version"), 30).strip()
            + (notes.isEmpty() ? "; " + bouncerVersion() : ""));
    lines.addAll(notes);
    lines.add(RunEnvironment.machine());
    lines.add(RunEnvironment.postgres(plain.jdbcUrl(), nodes.nodes().size()));
    return lines;
  }

  private static String bouncerVersion() throws Exception {
    return Pgbench.run(List.of("/usr/sbin/pgbouncer", "--version"), 30)
        .lines()
        .findFirst()
        .orElse("PgBouncer")
        .strip();
  }
}
