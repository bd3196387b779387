package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.BucketId;
import io.zynamo.ring.ColumnPlacement;
import io.zynamo.ring.HostId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.Placement;
import io.zynamo.ring.ReplicationFactor;
import io.zynamo.ring.RingState;
import io.zynamo.ring.membership.Member;
import io.zynamo.ring.membership.MemberState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The guard that keeps the detector from making a bucket unreachable on its own. */
class ClusterLastHopeTest {

  private static Placement placement(int nodes) {
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      members.add(new Member(node(i), new HostId("h" + i), 100, MemberState.UP));
    }
    return RingState.create(
            members, new ReplicationFactor(3), 4, node(1), 1000, new ColumnPlacement())
        .placement();
  }

  private static NodeId node(int i) {
    return new NodeId("n" + i + ":1/db");
  }

  @Test
  void onThreeNodesANodeIsTheLastHopeOnlyWhenBothOthersAreDown() {
    Placement p = placement(3);
    assertFalse(Cluster.isLastHope(p, node(1), Set.of(node(1))));
    assertFalse(Cluster.isLastHope(p, node(1), Set.of(node(1), node(2))));
    assertTrue(Cluster.isLastHope(p, node(1), Set.of(node(1), node(2), node(3))));
    assertTrue(Cluster.isLastHope(p, node(1), Set.of(node(2), node(3))));
  }

  @Test
  void onSixNodesItDependsOnWhichBucketsShareTheDownNodes() {
    Placement p = placement(6);
    NodeId one = node(1);
    BucketId bucket = p.bucketsOf(one).first();
    Set<NodeId> replicasDown = new HashSet<>(p.replicas(bucket));
    assertTrue(Cluster.isLastHope(p, one, replicasDown));

    // With one other replica down, every bucket of node 1 keeps a third replica up.
    NodeId another = p.replicas(bucket).stream().filter(n -> !n.equals(one)).findFirst().get();
    assertFalse(Cluster.isLastHope(p, one, Set.of(one, another)));
  }

  @Test
  void aNodeOutsideTheRingIsNoBucketsLastHope() {
    assertFalse(Cluster.isLastHope(placement(3), node(9), Set.of(node(1), node(2), node(3))));
  }
}
