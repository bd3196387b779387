package io.zynamo.ring;

import static io.zynamo.ring.PlacementInvariants.balance;
import static io.zynamo.ring.PlacementInvariants.coverage;
import static io.zynamo.ring.PlacementInvariants.distinctHosts;
import static io.zynamo.ring.PlacementInvariants.moved;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ColumnPlacementTest {

  private static final int BUCKETS = 256;
  private final ColumnPlacement strategy = new ColumnPlacement();

  static LongStream seeds() {
    return LongStream.range(0, 300);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void freshPlacementHoldsInvariants(long seed) {
    RandomCluster cluster = RandomCluster.of(seed);
    Placement placement = place(cluster.members(), cluster.replication(), Optional.empty());
    distinctHosts(placement, cluster.members(), cluster.replication());
    coverage(placement, cluster.members());
    balance(placement, cluster.members());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void joinsAndLeavesHoldInvariants(long seed) {
    RandomCluster cluster = RandomCluster.of(seed);
    Random random = new Random(seed);
    List<Member> members = new ArrayList<>(cluster.members());
    Placement placement = place(members, cluster.replication(), Optional.empty());
    for (int step = 0; step < 6; step++) {
      boolean join = members.size() == 1 || random.nextBoolean();
      List<Member> next = new ArrayList<>(members);
      if (join) {
        int host = random.nextInt(3) == 0 ? random.nextInt(100) : 100 + step;
        next.add(RandomCluster.member(200 + step, host, 50 + random.nextInt(151)));
      } else {
        next.remove(random.nextInt(next.size()));
      }
      Placement after = place(next, cluster.replication(), Optional.of(placement));
      distinctHosts(after, next, cluster.replication());
      coverage(after, next);
      balance(after, next);
      moved(placement, after);
      members = next;
      placement = after;
    }
  }

  private Placement place(List<Member> members, ReplicationFactor n, Optional<Placement> prev) {
    return strategy.place(members, n, BUCKETS, prev);
  }
}
