package io.zynamo.proxy.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one lifecycle step on several nodes, in parallel or one after another, and reports every
 * failure: the first is thrown, the others are attached to it as suppressed exceptions.
 */
final class NodeTasks {

  private NodeTasks() {}

  /** Runs {@code step} on every node at once and waits for all of them. */
  static void runInParallel(List<PostgresNode> nodes, Consumer<PostgresNode> step) {
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            nodes.size(),
            task -> {
              Thread thread = new Thread(task, "zynamo-node-" + threadNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (PostgresNode node : nodes) {
        running.add(pool.submit(() -> step.accept(node)));
      }
      List<RuntimeException> failures = new ArrayList<>();
      for (Future<?> future : running) {
        await(future, failures);
      }
      throwFirst(failures);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(Future<?> future, List<RuntimeException> failures) {
    try {
      future.get();
    } catch (ExecutionException e) {
      failures.add(
          e.getCause() instanceof RuntimeException runtime
              ? runtime
              : new PostgresLaunchException("node task failed: " + e.getCause(), e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add(new PostgresLaunchException("interrupted while starting nodes", e));
    }
  }

  /** Runs {@code step} on each node in turn, collecting failures instead of stopping at one. */
  static void runAll(
      List<PostgresNode> nodes, Consumer<PostgresNode> step, List<RuntimeException> failures) {
    for (PostgresNode node : nodes) {
      try {
        step.accept(node);
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
  }

  static void throwFirst(List<RuntimeException> failures) {
    if (failures.isEmpty()) {
      return;
    }
    RuntimeException first = failures.get(0);
    failures.subList(1, failures.size()).forEach(first::addSuppressed);
    throw first;
  }
}
