package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.execution.NodeHealth.State;

/**
 * The detector's view of one node at one moment (see {@link NodeHealth} for the state machine):
 * immutable; each transition returns a new status.
 *
 * @param failures consecutive connection failures
 * @param nextTrialMillis when DOWN: the earliest time a request may try the node for real again
 * @param trialInFlight whether the one admitted request of a SUSPECT or DOWN node is under way
 * @param lastFailure why the node was last seen failing, for messages
 */
record NodeStatus(
    State state, int failures, long nextTrialMillis, boolean trialInFlight, String lastFailure) {

  static final NodeStatus UP = new NodeStatus(State.UP, 0, 0, false, "none");

  NodeStatus {
    requireNonNull(state, "state");
    requireNonNull(lastFailure, "lastFailure");
    if (failures < 0) {
      throw new IllegalArgumentException("failures: " + failures + " (expected: >= 0)");
    }
  }

  /** An established connection broke: the next request decides, alone. */
  static NodeStatus suspect(String reason) {
    return new NodeStatus(State.SUSPECT, 0, 0, false, reason);
  }

  /** Whether a request may try the node now as its single trial. */
  boolean trialDue(long now) {
    return switch (state) {
      case UP -> false;
      case SUSPECT -> !trialInFlight;
      case DOWN -> !trialInFlight && now >= nextTrialMillis;
    };
  }

  NodeStatus trialStarted(long now, java.time.Duration retryInterval) {
    long next = state == State.DOWN ? now + retryInterval.toMillis() : nextTrialMillis;
    return new NodeStatus(state, failures, next, true, lastFailure);
  }

  NodeStatus trialEnded() {
    return new NodeStatus(state, failures, nextTrialMillis, false, lastFailure);
  }

  NodeStatus withLastFailure(String reason) {
    return new NodeStatus(state, failures, nextTrialMillis, trialInFlight, reason);
  }

  /**
   * A connection attempt failed after the whole connect timeout. At the threshold the node is down
   * and the next real attempt waits for the retry interval; below it, it is suspect.
   */
  NodeStatus failed(long now, String reason, boolean trial, NodeHealth.Settings settings) {
    int count = failures == Integer.MAX_VALUE ? failures : failures + 1;
    boolean inFlight = !trial && trialInFlight; // only the trial's own outcome ends the trial
    if (state == State.DOWN || count >= settings.downAfterFailures()) {
      long next = trial || state != State.DOWN ? now + settings.retryInterval().toMillis() : 0;
      return new NodeStatus(State.DOWN, count, Math.max(next, nextTrialMillis), inFlight, reason);
    }
    return new NodeStatus(State.SUSPECT, count, 0, inFlight, reason);
  }
}
