package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a task on a bucket's replicas and waits for a quorum (Dynamo section 4.5).
 *
 * <ul>
 *   <li>{@link #write}: the task goes to every replica at once; the call returns as soon as W have
 *       succeeded, and the others finish in the background.
 *   <li>{@link #read}: the task goes to R replicas in preference order; each failure brings in the
 *       next replica not yet asked.
 * </ul>
 *
 * <p>Either fails, once the quorum cannot be met any more or the timeout passes, with SQLState
 * ZY001 ({@link ZynamoErrors#quorumNotMet}), naming the bucket, who answered and why the others did
 * not.
 */
public final class ReplicaCalls {

  private final Executor executor;
  private final Duration timeout;

  public ReplicaCalls(Executor executor, Duration timeout) {
    this.executor = requireNonNull(executor, "executor");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /** Runs on all replicas; returns the first {@code required} successes. */
  public <T> List<Reply<T>> write(
      BucketId bucket, List<NodeId> replicas, int required, NodeTask<T> task) throws SQLException {
    Gathering<T> g = new Gathering<>(bucket, replicas, required, "write");
    replicas.forEach(node -> g.start(node, task));
    return g.await(() -> {});
  }

  /** Runs on {@code required} replicas, replacing failed ones with the next in preference order. */
  public <T> List<Reply<T>> read(
      BucketId bucket, List<NodeId> replicas, int required, NodeTask<T> task) throws SQLException {
    Gathering<T> g = new Gathering<>(bucket, replicas, required, "read");
    for (int i = 0; i < Math.min(required, replicas.size()); i++) {
      g.start(replicas.get(i), task);
    }
    return g.await(() -> g.startNextSpare(task));
  }

  /** The state of one quorum call; completions arrive on a queue drained by the caller's thread. */
  private final class Gathering<T> {
    private final BucketId bucket;
    private final List<NodeId> replicas;
    private final int required;
    private final String what;
    private final LinkedBlockingQueue<Outcome<T>> outcomes = new LinkedBlockingQueue<>();
    private final List<Reply<T>> successes = new ArrayList<>();
    private final Map<NodeId, String> failures = new LinkedHashMap<>();
    private @Nullable SQLException firstFailure;
    private int started;

    Gathering(BucketId bucket, List<NodeId> replicas, int required, String what) {
      this.bucket = bucket;
      this.replicas = List.copyOf(replicas);
      this.required = required;
      this.what = what;
    }

    void start(NodeId node, NodeTask<T> task) {
      started++;
      executor.execute(
          StatementCancel.propagate(
              () -> {
                try {
                  outcomes.add(new Outcome<>(node, task.run(node), null));
                } catch (SQLException | RuntimeException e) {
                  outcomes.add(new Outcome<>(node, null, e)); // every failure is reported
                }
              }));
    }

    void startNextSpare(NodeTask<T> task) {
      if (started < replicas.size()) {
        start(replicas.get(started), task);
      }
    }

    List<Reply<T>> await(Runnable onFailure) throws SQLException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (successes.size() < required) {
        if (successes.size() + (replicas.size() - failures.size() - successes.size()) < required) {
          throw notMet(null);
        }
        Outcome<T> next = poll(deadline);
        if (next == null) {
          throw notMet("timed out after " + timeout.toMillis() + " ms");
        }
        if (next.error() == null) {
          successes.add(new Reply<>(next.node(), next.value()));
        } else {
          failures.put(next.node(), next.error().getMessage());
          if (firstFailure == null && next.error() instanceof SQLException sql) {
            firstFailure = sql;
          }
          onFailure.run();
        }
      }
      return List.copyOf(successes);
    }

    private @Nullable Outcome<T> poll(long deadline) throws SQLException {
      try {
        return outcomes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted waiting for replicas of bucket " + bucket, "57014", e);
      }
    }

    private SQLException notMet(@Nullable String why) {
      Map<NodeId, String> reasons = new LinkedHashMap<>();
      if (why != null) {
        replicas.stream()
            .filter(
                n ->
                    !failures.containsKey(n)
                        && successes.stream().noneMatch(r -> r.node().equals(n)))
            .forEach(n -> reasons.put(n, why));
      }
      reasons.putAll(failures);
      List<NodeId> answered = successes.stream().map(Reply::node).toList();
      return ZynamoErrors.quorumNotMet(
          bucket, what, replicas, answered, required, reasons, firstFailure);
    }
  }

  private record Outcome<T>(NodeId node, @Nullable T value, @Nullable Exception error) {}
}
