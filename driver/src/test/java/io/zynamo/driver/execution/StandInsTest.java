package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.execution.NodeHealth.Result;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The order of a bucket's stand-ins: outside its replicas, stable, spread over the ring. */
class StandInsTest {

  private static final List<NodeId> MEMBERS =
      IntStream.range(0, 6).mapToObj(i -> new NodeId("n" + i + ":5432/db")).toList();

  @Test
  void standInsAreEveryOtherMemberAndNeverAReplica() {
    List<NodeId> replicas = MEMBERS.subList(0, 3);
    for (int b = 0; b < 256; b++) {
      List<NodeId> order = StandIns.order(MEMBERS, new BucketId(b), replicas);
      assertEquals(Set.copyOf(MEMBERS.subList(3, 6)), Set.copyOf(order), "bucket " + b);
      assertEquals(3, order.size());
    }
  }

  @Test
  void theOrderIsTheSameEveryTimeAndIndependentOfTheMembersOrder() {
    List<NodeId> reversed = new ArrayList<>(MEMBERS);
    java.util.Collections.reverse(reversed);
    for (int b = 0; b < 64; b++) {
      BucketId bucket = new BucketId(b);
      assertEquals(
          StandIns.order(MEMBERS, bucket, List.of()),
          StandIns.order(reversed, bucket, List.of()),
          "bucket " + b);
    }
  }

  @Test
  void firstStandInsSpreadOverTheNodes() {
    Map<NodeId, Integer> first = new HashMap<>();
    for (int b = 0; b < 1024; b++) {
      first.merge(StandIns.order(MEMBERS, new BucketId(b), List.of()).get(0), 1, Integer::sum);
    }
    assertEquals(MEMBERS.size(), first.size(), "every node is some bucket's first: " + first);
    first.forEach((node, n) -> assertTrue(n > 1024 / 6 / 2, node + " first for " + n));
  }

  @Test
  void nodesBelievedDownAreLeftOut() throws Exception {
    NodeHealth health =
        new NodeHealth(
            new NodeHealth.Settings(1, Duration.ofSeconds(1), Duration.ofSeconds(10)),
            new FakeClock(),
            (node, down) -> false);
    BucketId bucket = new BucketId(7);
    List<NodeId> replicas = MEMBERS.subList(0, 3);
    List<NodeId> all = StandIns.order(MEMBERS, bucket, replicas);
    NodeId down = all.get(0);
    health.finished(health.admit(down), Result.NODE_FAILURE, "Connection refused");

    StandIns standIns = StandIns.of(MEMBERS, bucket, replicas, health);
    assertEquals(all.subList(1, 3), standIns.nodes());
    assertFalse(standIns.isEmpty());
    assertTrue(StandIns.of(MEMBERS.subList(0, 3), bucket, replicas, health).isEmpty());
    assertEquals(new HashSet<>(all), Set.copyOf(StandIns.order(MEMBERS, bucket, replicas)));
  }
}
