package io.zynamo.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The machine's {@code pgbench} against one server (host and port): initialise its tables, run a
 * built-in script for a fixed time, and read the throughput from its summary and every
 * transaction's latency from its per-transaction log ({@code -l}).
 */
final class Pgbench {

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  private final int clients;
  private final int jobs;
  private final Path logs;

  /**
   * @param logs an empty folder for the per-transaction logs, emptied after each run
   */
  Pgbench(int clients, int jobs, Path logs) {
    if (clients < 1 || jobs < 1 || clients % jobs != 0) {
      throw new IllegalArgumentException(
          "clients: "
              + clients
              + ", jobs: "
              + jobs
              + " (expected >= 1, clients a multiple of jobs)");
    }
    this.clients = clients;
    this.jobs = jobs;
    this.logs = logs;
  }

  int clients() {
    return clients;
  }

  /** One timed run: throughput and the latency of every transaction. */
  record Result(double tps, LatencySamples latencies) {}

  /** The options that choose and run the script: no vacuum, prepared statements. */
  static List<String> scriptOptions(PgbenchScript script) {
    List<String> options = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared"));
    options.addAll(script.options());
    return options;
  }

  /** {@code pgbench -i -s scale}: creates and loads the pgbench tables. */
  static void initialize(String host, int port, int scale)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("pgbench", "-i", "-q", "-s", "" + scale));
    run(target(command, host, port), 600);
  }

  Result run(PgbenchScript script, String host, int port, int seconds)
      throws IOException, InterruptedException {
    List<String> command = scriptOptions(script);
    command.addAll(List.of("-c", "" + clients, "-j", "" + jobs, "-T", "" + seconds));
    command.addAll(List.of("-l", "--log-prefix=" + logs.resolve("txn")));
    String out = run(target(command, host, port), seconds + 120);
    long failed = Long.parseLong(find(FAILED, out, command));
    if (failed != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + ": " + failed + " failed transactions (expected 0):\n" + out);
    }
    return new Result(Double.parseDouble(find(TPS, out, command)), latencies());
  }

  /** Reads and deletes the per-transaction logs: the third field is the latency in µs. */
  private LatencySamples latencies() throws IOException {
    LatencySamples samples = new LatencySamples();
    List<Path> files;
    try (Stream<Path> listed = Files.list(logs)) {
      files = listed.toList();
    }
    for (Path file : files) {
      try (Stream<String> lines = Files.lines(file, StandardCharsets.US_ASCII)) {
        lines.forEach(line -> samples.add(1000 * Long.parseLong(line.split(" ", 4)[2])));
      }
      Files.delete(file);
    }
    if (samples.size() == 0) {
      throw new IllegalStateException("pgbench wrote no transaction to its log in " + logs);
    }
    return samples;
  }

  private static List<String> target(List<String> command, String host, int port) {
    List<String> full = new ArrayList<>(command);
    full.addAll(List.of("-h", host, "-p", "" + port, "-U", "postgres", "postgres"));
    return full;
  }

  /** Runs a command to its end (at most {@code timeoutSeconds}); its output, if it exits with 0. */
  static String run(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("zynamo-bench-", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!ended) {
        process.destroyForcibly().waitFor();
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      if (!ended || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + (ended
                    ? ": exit code " + process.exitValue()
                    : ": no end after " + timeoutSeconds + " s")
                + ":\n"
                + out);
      }
      return out;
    } finally {
      Files.delete(output);
    }
  }

  private static String find(Pattern pattern, String out, List<String> command) {
    Matcher m = pattern.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException(
          String.join(" ", command) + ": no '" + pattern + "' in its output:\n" + out);
    }
    return m.group(1);
  }
}
