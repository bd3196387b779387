package io.zynamo.proxy;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresConfig;
import io.zynamo.proxy.embedded.PostgresLaunchException;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code zynamo} command line: {@code start} runs the embedded local cluster in a data folder
 * and the wire-protocol proxy in front of it on 127.0.0.1:6432, until Ctrl-C.
 */
public final class Main {

  /** Nodes prefer 6433, 6434, ... on first start, so their psql commands stay the same. */
  static final int FIRST_NODE_PORT = 6433;

  static final String HELP =
      """
      usage: zynamo start [--data DIR] [--nodes N]
             zynamo start --config FILE
             zynamo help

      start  runs a local cluster of PostgreSQL nodes in DIR (default ./data; 3 nodes for a
             new folder) and the proxy on 127.0.0.1:6432 until Ctrl-C; an existing folder keeps
             its data, nodes and ports. With --config, runs only the proxy, in front of the
             PostgreSQL servers FILE names (see docs/operations.md).""";

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
      if (options.config().isPresent()) {
        runProxyUntilExit(options.config().get(), out);
      } else {
        runUntilExit(options, out, clock);
      }
      return 0;
    } catch (PostgresLaunchException e) {
      err.println("zynamo: " + e.getMessage());
      return 1;
    } catch (ProxyStartException e) {
      err.println("zynamo: " + e.getMessage());
      return 1;
    }
  }

  /** The proxy alone, configured by {@code file}, until Ctrl-C. */
  private static void runProxyUntilExit(Path file, PrintStream out) {
    ProxyConfig config;
    try {
      config = ProxyConfigFile.load(file, new SecureRandom());
    } catch (IOException e) {
      throw new ProxyStartException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ProxyStartException(file + ": " + e.getMessage(), e);
    }
    ProxyServer proxy = startProxy(config);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("Stopping the proxy ...");
                  proxy.close();
                },
                "zynamo-main-exit"));
    out.printf(
        Locale.ROOT,
        "Zynamo proxy on %s:%d (%s) in front of %s%nPress Ctrl-C to stop.%n",
        proxy.host(),
        proxy.port(),
        config.auth().configName(),
        String.join(",", config.nodes()));
    awaitExit();
  }

  private static void awaitExit() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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
    ProxyServer proxy;
    try {
      List<String> seeds = cluster.nodes().stream().map(n -> n.host() + ":" + n.port()).toList();
      proxy = startProxy(ProxyConfig.of(seeds));
    } catch (ProxyStartException e) {
      cluster.close();
      throw e;
    }
    Duration took = Duration.ofMillis(clock.millis() - startedAt);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(proxy, cluster, out), "zynamo-main-exit"));
    printBanner(cluster, proxy, took, out);
    awaitExit();
  }

  private static ProxyServer startProxy(ProxyConfig config) {
    try {
      return ProxyServer.start(config);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProxyStartException("interrupted while starting the proxy", e);
    } catch (RuntimeException e) {
      throw new ProxyStartException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  private static void stop(ProxyServer proxy, PostgresCluster cluster, PrintStream out) {
    out.println();
    out.println("Stopping the proxy and " + countOf(cluster.nodes().size()) + " ...");
    proxy.close();
    cluster.close();
    out.println("All stopped; data kept in " + cluster.directory());
  }

  private static String countOf(int nodes) {
    return nodes + (nodes == 1 ? " PostgreSQL node" : " PostgreSQL nodes");
  }

  static void printBanner(
      PostgresCluster cluster, ProxyServer proxy, Duration took, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "Zynamo local cluster: %s up in %.1f s, data in %s%n",
        countOf(cluster.nodes().size()),
        took.toMillis() / 1000.0,
        cluster.directory());
    out.printf(
        Locale.ROOT,
        "  proxy   psql -h %s -p %d -U %s    jdbc:postgresql://%s:%d/%s%n",
        proxy.host(),
        proxy.port(),
        PostgresNode.USER,
        proxy.host(),
        proxy.port(),
        PostgresNode.DATABASE);
    out.println(
        "Nodes (for inspection: what you write through a node directly is not replicated):");
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
    out.println("Press Ctrl-C to stop the proxy and all nodes.");
  }

  /** The proxy could not start (its port is taken, most often). */
  static final class ProxyStartException extends RuntimeException {
    ProxyStartException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
