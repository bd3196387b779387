package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.List;
import java.util.Optional;

/** Computes the bucket table for a set of members, moving as little as possible from the last. */
public interface PlacementStrategy {

  /**
   * Places every bucket's replicas on the owners.
   *
   * @param owners the members that hold data (distinct node ids)
   * @param replication N
   * @param bucketCount B
   * @param previous the placement in force, to stay close to; empty for a new ring
   */
  Placement place(
      List<Member> owners,
      ReplicationFactor replication,
      int bucketCount,
      Optional<Placement> previous);
}
