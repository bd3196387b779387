package io.zynamo.ring.membership;

/**
 * Where a member stands in the ring's lifecycle.
 *
 * <pre>
 *   add_node          data copied           remove_node         handoff done
 *  ---------> JOINING ----------> UP ------------> LEAVING --------------> REMOVED
 * </pre>
 *
 * <p>{@code REMOVED} is a tombstone kept in the ring state so that merging an older state can never
 * resurrect a removed node (Dynomite's union merge did). Liveness (up or unreachable) is not a ring
 * state: it is each client's own failure detector's opinion.
 */
public enum MemberState {
  JOINING,
  UP,
  LEAVING,
  REMOVED;

  /** Whether a member in this state is assigned buckets by the placement. */
  public boolean ownsData() {
    return this != REMOVED;
  }
}
