package io.zynamo.ring;

import static io.zynamo.ring.PlacementInvariants.balance;
import static io.zynamo.ring.PlacementInvariants.coverage;
import static io.zynamo.ring.PlacementInvariants.distinctHosts;
import static io.zynamo.ring.PlacementInvariants.moved;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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
    Placement placement = place(cluster.members(), cluster.replication(), Optional.empty());
    int step = 0;
    for (Churn change : Churn.of(cluster)) {
      List<Member> next = change.after();
      Placement after = place(next, cluster.replication(), Optional.of(placement));
      distinctHosts(after, next, cluster.replication());
      coverage(after, next);
      balance(after, next);
      // Lumpy hosts and unequal weights can force the cover column to be rebuilt; this is the
      // bound reached there (docs/ring.md), a regression guard rather than the 2x target.
      double minimum = change.minimumMove(cluster.replication(), BUCKETS);
      int moved = moved(placement, after);
      assertTrue(
          moved <= 2 * minimum + 1.5 * next.size(),
          cluster + " step " + step++ + ": moved " + moved + " vs minimum " + minimum);
      placement = after;
    }
  }

  /**
   * One node per host, equal weights, M = 1..64, N = 1..5: each join moves at most twice the
   * joiner's fair share; each leave at most twice the leaver's share plus 4 buckets of rounding
   * slack (worst seen 2.34x: N=2, leaving M=57, 21 moved for a share of 8.98; docs/ring.md).
   */
  @ParameterizedTest(name = "N={0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void singleNodeChangesMoveAtMostTwiceTheMinimum(int replicas) {
    ReplicationFactor n = new ReplicationFactor(replicas);
    List<Member> members = new ArrayList<>();
    Optional<Placement> previous = Optional.empty();
    for (int m = 1; m <= 64; m++) {
      members.add(RandomCluster.member(m, m, 100));
      Placement placement = place(members, n, previous);
      if (previous.isPresent()) {
        double minimum = shareOf(members, members.get(m - 1), n);
        int moved = moved(previous.get(), placement);
        assertTrue(moved <= 2 * minimum, "join to M=" + m + ": moved " + moved + " vs " + minimum);
      }
      if (m >= 2) {
        List<Member> fewer = new ArrayList<>(members);
        Member gone = fewer.remove(m / 2);
        int moved = moved(placement, place(fewer, n, Optional.of(placement)));
        double minimum = shareOf(members, gone, n);
        assertTrue(
            moved <= 2 * minimum + 4, "leave from M=" + m + ": moved " + moved + " vs " + minimum);
      }
      previous = Optional.of(placement);
    }
  }

  private static double shareOf(List<Member> cluster, Member node, ReplicationFactor n) {
    return new Churn(cluster, cluster, node, true).minimumMove(n, BUCKETS);
  }

  private Placement place(List<Member> members, ReplicationFactor n, Optional<Placement> prev) {
    return strategy.place(members, n, BUCKETS, prev);
  }
}
