package io.zynamo.ring.membership;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.HostId;
import io.zynamo.ring.NodeId;

/**
 * One node of the ring: its id, the host (failure domain) it runs on, its relative capacity and its
 * lifecycle state.
 *
 * @param weight relative capacity; a node of weight 2 holds twice the buckets of one of weight 1
 */
public record Member(NodeId node, HostId host, int weight, MemberState state) {

  /** Largest accepted weight: keeps weight sums far from overflow. */
  public static final int MAX_WEIGHT = 1_000_000;

  public Member {
    requireNonNull(node, "node");
    requireNonNull(host, "host");
    requireNonNull(state, "state");
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          "weight of " + node + ": " + weight + " (expected: 1.." + MAX_WEIGHT + ")");
    }
  }

  /** An {@link MemberState#UP} member. */
  public static Member up(NodeId node, HostId host, int weight) {
    return new Member(node, host, weight, MemberState.UP);
  }

  /** This member in another state. */
  public Member withState(MemberState newState) {
    return new Member(node, host, weight, newState);
  }
}
