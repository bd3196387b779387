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
import java.util.function.BiConsumer;
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
 *
 * <p>A replica asked that has not answered when the timeout passes is reported to {@code
 * unanswered} (the failure detector: a node that stops answering without closing its connections is
 * suspect); its call runs on in the background until its own socket timeout, if any.
 */
public final class ReplicaCalls {

  private final Executor executor;
  private final Duration timeout;
  private final BiConsumer<NodeId, String> unanswered;

  public ReplicaCalls(Executor executor, Duration timeout) {
    this(executor, timeout, (node, why) -> {});
  }

  /**
   * @param unanswered told of each replica asked that has not answered within {@code timeout}
   */
  public ReplicaCalls(Executor executor, Duration timeout, BiConsumer<NodeId, String> unanswered) {
    this.executor = requireNonNull(executor, "executor");
    this.timeout = requireNonNull(timeout, "timeout");
    this.unanswered = requireNonNull(unanswered, "unanswered");
  }

  /** Runs on all replicas; returns the first {@code required} successes. */
  public <T> List<Reply<T>> write(
      BucketId bucket, List<NodeId> replicas, int required, NodeTask<T> task) throws SQLException {
    Gathering<T> g = new Gathering<>(bucket, replicas, required, "write");
    replicas.forEach(node -> g.start(node, task));
    return g.await(() -> {});
  }

  /**
   * As {@link #write}, but once the quorum is met it also waits, until the same timeout, for the
   * other replicas' answers, and returns every success. Their failures do not fail the call (the
   * quorum was met; the task leaves hints): this only narrows the window in which a replica that
   * was not waited for lacks the write, as a ring change may make it the one a read asks first.
   */
  public <T> List<Reply<T>> writeAndSettle(
      BucketId bucket, List<NodeId> replicas, int required, NodeTask<T> task) throws SQLException {
    Gathering<T> g = new Gathering<>(bucket, replicas, required, "write");
    replicas.forEach(node -> g.start(node, task));
    g.await(() -> {});
    return g.settle();
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
    private final List<NodeId> asked = new ArrayList<>();
    private @Nullable SQLException firstFailure;
    private int started;

    /** When the call gives up waiting: set by {@link #await}, kept by {@link #settle}. */
    private long deadline;

    Gathering(BucketId bucket, List<NodeId> replicas, int required, String what) {
      this.bucket = bucket;
      this.replicas = List.copyOf(replicas);
      this.required = required;
      this.what = what;
    }

    void start(NodeId node, NodeTask<T> task) {
      started++;
      asked.add(node);
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
      deadline = System.nanoTime() + timeout.toNanos();
      while (successes.size() < required) {
        if (successes.size() + (replicas.size() - failures.size() - successes.size()) < required) {
          throw notMet(null);
        }
        Outcome<T> next = poll();
        if (next == null) {
          throw notMet(reportUnanswered());
        }
        if (!record(next)) {
          onFailure.run();
        }
      }
      return List.copyOf(successes);
    }

    /** After {@link #await}: waits for the answers still out, until the deadline. */
    List<Reply<T>> settle() throws SQLException {
      while (successes.size() + failures.size() < started) {
        Outcome<T> next = poll();
        if (next == null) {
          reportUnanswered();
          break;
        }
        record(next);
      }
      return List.copyOf(successes);
    }

    /** Records one answer; whether it was a success. */
    private boolean record(Outcome<T> next) {
      if (next.error() == null) {
        successes.add(new Reply<>(next.node(), next.value()));
        return true;
      }
      failures.put(next.node(), next.error().getMessage());
      if (firstFailure == null && next.error() instanceof SQLException sql) {
        firstFailure = sql;
      }
      return false;
    }

    private String reportUnanswered() {
      String why = "timed out after " + timeout.toMillis() + " ms";
      asked.stream()
          .filter(n -> !failures.containsKey(n) && !answered(n))
          .forEach(n -> unanswered.accept(n, why));
      return why;
    }

    private @Nullable Outcome<T> poll() throws SQLException {
      try {
        return outcomes.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted waiting for replicas of bucket " + bucket, "57014", e);
      }
    }

    private boolean answered(NodeId node) {
      return successes.stream().anyMatch(r -> r.node().equals(node));
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
