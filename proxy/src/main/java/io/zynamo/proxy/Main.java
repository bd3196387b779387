package io.zynamo.proxy;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresConfig;
import io.zynamo.proxy.embedded.PostgresLaunchException;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code zynamo} command line: {@code start} runs the embedded local cluster in a data folder
 * until Ctrl-C; the wire-protocol proxy in front of it comes in a later version.
 */
public final class Main {

  /** Where the wire-protocol proxy will listen. */
  static final int PROXY_PORT = 6432;

  /** Nodes prefer 6433, 6434, ... on first start, so their psql commands stay the same. */
  static final int FIRST_NODE_PORT = 6433;

  static final String HELP =
      """
      usage: zynamo start [--data DIR] [--nodes N]
             zynamo help

      start  runs a local cluster of PostgreSQL nodes in DIR (default ./data; 3 nodes for a
             new folder) until Ctrl-C; an existing folder keeps its data, nodes and ports.""";

  private Main() {}

  public static void main(String[] args) {
    int status = run(List.of(args), System.out, System.err, Clock.systemUTC());
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs one command; returns the process exit status (0 ok, 1 failed, 2 bad usage). */
  static int run(List<String> args, PrintStream out, PrintStream err, Clock clock) {
    if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0))) {
      (args.isEmpty() ? err : out).println(HELP);
      return args.isEmpty() ? 2 : 0;
    }
    if (!args.get(0).equals("start")) {
      err.println("zynamo: unknown command: " + args.get(0) + " (expected start or help)");
      return 2;
    }
    StartOptions options;
    try {
      options = StartOptions.parse(args.subList(1, args.size()));
    } catch (IllegalArgumentException e) {
      err.println("zynamo: " + e.getMessage());
      return 2;
    }
    try {
      runUntilExit(options, out, clock);
      return 0;
    } catch (PostgresLaunchException e) {
      err.println("zynamo: " + e.getMessage());
      return 1;
    }
  }

  private static void runUntilExit(StartOptions options, PrintStream out, Clock clock) {
    Path data = options.data().toAbsolutePath().normalize();
    int nodes = options.nodesFor(PostgresCluster.recordedNodeCount(data));
    out.println("Starting " + countOf(nodes) + " in " + data + " ...");
    long startedAt = clock.millis();
    PostgresCluster cluster =
        PostgresCluster.start(
            nodes, data, PostgresConfig.durableDefaults().withFirstPreferredPort(FIRST_NODE_PORT));
    Duration took = Duration.ofMillis(clock.millis() - startedAt);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(cluster, out), "zynamo-main-exit"));
    printBanner(cluster, took, out);
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void stop(PostgresCluster cluster, PrintStream out) {
    out.println();
    out.println("Stopping " + countOf(cluster.nodes().size()) + " ...");
    cluster.close();
    out.println("All nodes stopped; data kept in " + cluster.directory());
  }

  private static String countOf(int nodes) {
    return nodes + (nodes == 1 ? " PostgreSQL node" : " PostgreSQL nodes");
  }

  static void printBanner(PostgresCluster cluster, Duration took, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "Zynamo local cluster: %s up in %.1f s, data in %s%n",
        countOf(cluster.nodes().size()),
        took.toMillis() / 1000.0,
        cluster.directory());
    for (PostgresNode node : cluster.nodes()) {
      out.printf(
          Locale.ROOT,
          "  %-7s psql -h %s -p %d -U %s    %s%n",
          node.name(),
          node.host(),
          node.port(),
          node.user(),
          node.jdbcUrl());
    }
    out.println(
        "The wire-protocol proxy on 127.0.0.1:"
            + PROXY_PORT
            + " is not built yet (a later issue); connect to the nodes above directly.");
    out.println("Press Ctrl-C to stop all nodes.");
  }
}
