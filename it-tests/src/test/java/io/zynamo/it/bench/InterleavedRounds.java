package io.zynamo.it.bench;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a workload on every contender in interleaved rounds of fixed duration and turns them into
 * figures, the first contender being the baseline.
 *
 * <pre>
 *   warm-up:  A B C            (discarded)
 *   round 1:  A B C            ratio_1(B) = ops(B, 1) / ops(A, 1)
 *   ...
 *   round n:  A B C            ratio(B) = median over rounds of ratio_r(B)
 * </pre>
 *
 * Interleaving spreads the machine's drift (another build, a neighbour's load) over all contenders,
 * and pairing each round with the baseline's round cancels most of it. Each thread has its own
 * connection and prepared statement, opened before the first round and reused throughout, as a
 * connection pool would.
 */
final class InterleavedRounds {

  /**
   * How long and on what keys.
   *
   * @param keys keys are drawn uniformly from 1..keys, with a fixed seed per thread and round
   */
  record Settings(int rounds, Duration round, Duration warmUp, int keys) {
    Settings {
      requireNonNull(round, "round");
      requireNonNull(warmUp, "warmUp");
      if (rounds < 1 || keys < 1) {
        throw new IllegalArgumentException(
            "rounds: " + rounds + ", keys: " + keys + " (expected >= 1 each)");
      }
    }
  }

  private final Settings settings;

  InterleavedRounds(Settings settings) {
    this.settings = requireNonNull(settings, "settings");
  }

  List<Figure> run(Workload workload, int threads, List<Contender> contenders) throws Exception {
    List<Client> clients = new ArrayList<>();
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      for (Contender contender : contenders) {
        clients.add(contender.call(() -> Client.open(contender, workload, threads)));
      }
      for (Client client : clients) {
        round(executor, workload, client, settings.warmUp(), -1);
      }
      List<List<Double>> ops = new ArrayList<>();
      List<LatencySamples> latencies = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        ops.add(new ArrayList<>());
        latencies.add(new LatencySamples());
      }
      for (int r = 0; r < settings.rounds(); r++) {
        for (int i = 0; i < clients.size(); i++) {
          LatencySamples samples = new LatencySamples();
          ops.get(i).add(round(executor, workload, clients.get(i), settings.round(), r, samples));
          latencies.get(i).addAll(samples);
        }
      }
      return figures(workload, threads, contenders, ops, latencies);
    } finally {
      executor.shutdownNow();
      for (Client client : clients) {
        client.close();
      }
    }
  }

  private double round(
      ExecutorService executor, Workload workload, Client client, Duration length, int round)
      throws Exception {
    return round(executor, workload, client, length, round, new LatencySamples());
  }

  /** One timed round of every thread of {@code client}; returns operations per second. */
  private double round(
      ExecutorService executor,
      Workload workload,
      Client client,
      Duration length,
      int round,
      LatencySamples into)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + length.toNanos();
    List<Callable<LatencySamples>> workers = new ArrayList<>();
    for (int t = 0; t < client.statements.size(); t++) {
      PreparedStatement statement = client.statements.get(t);
      long seed = 31L * (round + 1) + t;
      workers.add(
          () ->
              client.contender.call(
                  () -> loop(workload, statement, new SplittableRandom(seed), deadline)));
    }
    long operations = 0;
    for (Future<LatencySamples> done : executor.invokeAll(workers)) {
      LatencySamples samples = get(done);
      operations += samples.size();
      into.addAll(samples);
    }
    return operations * 1e9 / (System.nanoTime() - start);
  }

  private LatencySamples loop(
      Workload workload, PreparedStatement statement, SplittableRandom random, long deadline)
      throws SQLException {
    LatencySamples samples = new LatencySamples();
    for (long begin = System.nanoTime(); begin < deadline; begin = System.nanoTime()) {
      workload.execute(statement, 1 + random.nextInt(settings.keys()));
      samples.add(System.nanoTime() - begin);
    }
    return samples;
  }

  private static LatencySamples get(Future<LatencySamples> done) throws Exception {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * The figures of rounds already run: per contender (the first being the baseline) the operations
   * per second of each round, in run order, and the latencies of all its rounds.
   */
  static List<Figure> figures(
      Operation workload,
      int threads,
      List<Contender> contenders,
      List<List<Double>> ops,
      List<LatencySamples> latencies) {
    List<Double> baseline = ops.get(0);
    List<Figure> figures = new ArrayList<>();
    for (int i = 0; i < contenders.size(); i++) {
      List<Double> ratios = new ArrayList<>();
      for (int r = 0; r < baseline.size(); r++) {
        ratios.add(ops.get(i).get(r) / baseline.get(r));
      }
      long[] sorted = latencies.get(i).sorted();
      figures.add(
          new Figure(
              contenders.get(i),
              workload,
              threads,
              ops.get(i),
              Figure.median(ratios),
              LatencySamples.percentile(sorted, 0.50),
              LatencySamples.percentile(sorted, 0.99),
              LatencySamples.percentile(sorted, 0.999)));
    }
    return figures;
  }

  /** A contender's connections and prepared statements, one per thread. */
  private static final class Client implements AutoCloseable {
    final Contender contender;
    final List<Connection> connections = new ArrayList<>();
    final List<PreparedStatement> statements = new ArrayList<>();

    private Client(Contender contender) {
      this.contender = contender;
    }

    static Client open(Contender contender, Workload workload, int threads) throws SQLException {
      Client client = new Client(contender);
      try {
        for (int t = 0; t < threads; t++) {
          Connection connection = contender.connector().open();
          client.connections.add(connection);
          client.statements.add(connection.prepareStatement(workload.sql()));
        }
        return client;
      } catch (SQLException | RuntimeException e) {
        client.close();
        throw e;
      }
    }

    @Override
    public void close() throws SQLException {
      SQLException failure = null;
      for (Connection connection : connections) {
        try {
          connection.close();
        } catch (SQLException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }
}
