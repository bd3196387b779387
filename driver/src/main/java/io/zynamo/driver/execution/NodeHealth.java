package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.NodeId;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * What one driver instance believes about the health of each node, learned from the outcome of its
 * own connection requests and from a light probe of the nodes it believes down; decides whether a
 * request may try a node for real or must fail fast.
 *
 * <pre>
 *                broken connection; failed connection below the threshold
 *       +--------------------------------------------------------+
 *       |                                                        v
 *     [UP] &lt;------------------- success -------------------- [SUSPECT]  one request at a time
 *     ^  |                                                       |
 *     |  | failed connection reaching the threshold              | failed connection
 *     |  +------------------------&gt; [DOWN] &lt;---------------------+ reaching the threshold
 *     |                               |   requests fail fast (08001)
 *     +-------------------------------+
 *       a probe answers, or the one real request per retry interval succeeds
 * </pre>
 *
 * <ul>
 *   <li>UP: every request tries the node.
 *   <li>SUSPECT: one request at a time tries it; the others fail fast. Its outcome decides.
 *   <li>DOWN: requests fail fast with {@code 08001}, without a connection attempt, so that callers
 *       hand over to the next replica at once. The background probe ({@link #probeDown}) tries the
 *       node every probe interval; besides, one request per retry interval tries it for real, so a
 *       node is used again even when the probe cannot tell.
 * </ul>
 *
 * <p>A connection failure counts only after the pool spent its whole connect timeout trying, so the
 * default threshold is 1: a dead node costs one timeout, not one per statement. The detector never
 * makes a bucket unreachable on its own: when {@code lastHope} says every other replica of some
 * bucket of the node is believed down too, requests try the node anyway.
 *
 * <p>Thread-safe: the statuses are one immutable map in an {@link AtomicReference}, replaced whole;
 * the hot path for a healthy node is one map lookup.
 */
public final class NodeHealth {

  /** What the driver believes about a node. */
  public enum State {
    UP,
    SUSPECT,
    DOWN
  }

  /**
   * The detector's thresholds.
   *
   * @param downAfterFailures consecutive connection failures after which a node is believed down; 0
   *     turns detection off (every request tries every node)
   * @param probeInterval how often nodes believed down are probed
   * @param retryInterval how often one real request may try a node believed down anyway
   */
  public record Settings(int downAfterFailures, Duration probeInterval, Duration retryInterval) {
    public Settings {
      requireNonNull(probeInterval, "probeInterval");
      requireNonNull(retryInterval, "retryInterval");
      if (downAfterFailures < 0) {
        throw new IllegalArgumentException(
            "downAfterFailures: " + downAfterFailures + " (expected: >= 0)");
      }
      if (probeInterval.isNegative() || probeInterval.isZero()) {
        throw new IllegalArgumentException("probeInterval: " + probeInterval + " (expected: > 0)");
      }
      if (retryInterval.isNegative() || retryInterval.isZero()) {
        throw new IllegalArgumentException("retryInterval: " + retryInterval + " (expected: > 0)");
      }
    }
  }

  /** Whether a request may try a node; hand it back to {@link #finished}. */
  public record Admission(NodeId node, boolean trial) {}

  /** How an admitted connection request ended. */
  public enum Result {
    /** A connection was obtained. */
    SUCCESS,
    /** The node could not be reached within the connect timeout. */
    NODE_FAILURE,
    /** Says nothing about the node, e.g. every pooled connection was busy. */
    INCONCLUSIVE
  }

  /** One probe of one node; throws when the node does not answer. */
  @FunctionalInterface
  public interface Probe {
    void probe(NodeId node) throws SQLException;
  }

  private final Settings settings;
  private final Clock clock;
  private final BiPredicate<NodeId, Set<NodeId>> lastHope;
  private final AtomicReference<Map<NodeId, NodeStatus>> statuses = new AtomicReference<>(Map.of());
  private final Map<NodeId, NodeCounts.Adders> counts = new ConcurrentHashMap<>();

  /**
   * @param lastHope given a node and every node believed down, whether skipping the node would
   *     leave some bucket without any replica believed up
   */
  public NodeHealth(Settings settings, Clock clock, BiPredicate<NodeId, Set<NodeId>> lastHope) {
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.lastHope = requireNonNull(lastHope, "lastHope");
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Admits a request to {@code node}, or fails fast with {@code 08001} (so that {@link
   * NodeFailures#isUnreachable} holds and callers hand over to the next replica).
   */
  public Admission admit(NodeId node) throws SQLException {
    NodeStatus status = status(node);
    if (status.state() == State.UP || settings.downAfterFailures() == 0) {
      return admitted(node, false);
    }
    long now = clock.millis();
    if (claimTrial(node, now)) {
      return admitted(node, true);
    }
    if (lastHope.test(node, down())) {
      return admitted(node, false);
    }
    adders(node).skipped.increment();
    throw skipped(node, status(node), now);
  }

  /** Records how an admitted request ended. */
  public void finished(Admission admission, Result result, String reason) {
    requireNonNull(result, "result");
    NodeId node = admission.node();
    long now = clock.millis();
    if (settings.downAfterFailures() == 0) {
      if (result == Result.NODE_FAILURE) {
        adders(node).failures.increment();
      }
      return; // detection off: counts only
    }
    switch (result) {
      case SUCCESS -> update(node, s -> s.state() == State.UP ? s : NodeStatus.UP);
      case NODE_FAILURE -> {
        adders(node).failures.increment();
        update(node, s -> s.failed(now, reason, admission.trial(), settings));
      }
      case INCONCLUSIVE -> {
        if (admission.trial()) {
          update(node, NodeStatus::trialEnded);
        }
      }
    }
  }

  /** Records that an established connection to {@code node} broke mid-statement. */
  public void broken(NodeId node, String reason) {
    if (settings.downAfterFailures() > 0) {
      update(node, s -> s.state() == State.UP ? NodeStatus.suspect(reason) : s);
    }
  }

  /** Probes every node believed down, one after another; a node that answers is up again. */
  public void probeDown(Probe probe) {
    for (NodeId node : down()) {
      adders(node).probes.increment();
      try {
        probe.probe(node);
        update(node, s -> s.state() == State.DOWN ? NodeStatus.UP : s);
      } catch (SQLException | RuntimeException e) {
        String reason = String.valueOf(e.getMessage());
        update(node, s -> s.state() == State.DOWN ? s.withLastFailure(reason) : s);
      }
    }
  }

  /** What the driver believes about {@code node} now. */
  public State state(NodeId node) {
    return status(node).state();
  }

  /** The nodes believed down, to probe. */
  public Set<NodeId> down() {
    return statuses.get().entrySet().stream()
        .filter(e -> e.getValue().state() == State.DOWN)
        .map(Map.Entry::getKey)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** How often requests tried, failed on and skipped {@code node}, and how often it was probed. */
  public NodeCounts counts(NodeId node) {
    NodeCounts.Adders a = counts.get(node);
    return a == null ? NodeCounts.NONE : a.snapshot();
  }

  private Admission admitted(NodeId node, boolean trial) {
    adders(node).attempts.increment();
    return new Admission(node, trial);
  }

  /** A suspect node admits one request at a time; a down node one per retry interval. */
  private boolean claimTrial(NodeId node, long now) {
    while (true) {
      Map<NodeId, NodeStatus> current = statuses.get();
      NodeStatus s = current.getOrDefault(node, NodeStatus.UP);
      if (!s.trialDue(now)) {
        return false;
      }
      NodeStatus claimed = s.trialStarted(now, settings.retryInterval());
      if (statuses.compareAndSet(current, with(current, node, claimed))) {
        return true;
      }
    }
  }

  private SQLException skipped(NodeId node, NodeStatus s, long now) {
    String retry =
        s.state() == State.DOWN
            ? "; a probe runs every "
                + settings.probeInterval().toMillis()
                + " ms and a request tries it again in "
                + Math.max(0, s.nextTrialMillis() - now)
                + " ms"
            : "; another request is trying it now";
    return ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
        "node "
            + node
            + (s.state() == State.DOWN ? ": believed down" : ": suspect")
            + ", skipped without a connection attempt (last failure: "
            + s.lastFailure()
            + ")"
            + retry);
  }

  private NodeStatus status(NodeId node) {
    return statuses.get().getOrDefault(node, NodeStatus.UP);
  }

  private void update(NodeId node, java.util.function.UnaryOperator<NodeStatus> change) {
    while (true) {
      Map<NodeId, NodeStatus> current = statuses.get();
      NodeStatus before = current.getOrDefault(node, NodeStatus.UP);
      NodeStatus after = change.apply(before);
      if (after.equals(before) || statuses.compareAndSet(current, with(current, node, after))) {
        return;
      }
    }
  }

  private static Map<NodeId, NodeStatus> with(
      Map<NodeId, NodeStatus> current, NodeId node, NodeStatus status) {
    Map<NodeId, NodeStatus> next = new java.util.HashMap<>(current);
    if (status.equals(NodeStatus.UP)) {
      next.remove(node); // absent means up: the map holds only nodes with news
    } else {
      next.put(node, status);
    }
    return Map.copyOf(next);
  }

  private NodeCounts.Adders adders(NodeId node) {
    return counts.computeIfAbsent(node, n -> new NodeCounts.Adders());
  }
}
