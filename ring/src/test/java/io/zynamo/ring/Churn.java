package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The reproducible join/leave sequence run on a {@link RandomCluster}: six steps, each adding a
 * node (on a new host two times in three, else on a random host that may exist) or removing a
 * random one. Shared by the property test and the report in docs/ring.md, so the two describe the
 * same runs.
 */
record Churn(List<Member> before, List<Member> after, Member changed, boolean join) {

  static final int STEPS = 6;

  static List<Churn> of(RandomCluster cluster) {
    Random random = new Random(cluster.seed());
    List<Churn> steps = new ArrayList<>();
    List<Member> members = new ArrayList<>(cluster.members());
    for (int step = 0; step < STEPS; step++) {
      boolean join = members.size() == 1 || random.nextBoolean();
      List<Member> next = new ArrayList<>(members);
      Member changed;
      if (join) {
        int host = random.nextInt(3) == 0 ? random.nextInt(100) : 100 + step;
        changed = RandomCluster.member(200 + step, host, 50 + random.nextInt(151));
        next.add(changed);
      } else {
        changed = next.remove(random.nextInt(next.size()));
      }
      steps.add(new Churn(List.copyOf(members), List.copyOf(next), changed, join));
      members = next;
    }
    return steps;
  }

  /** The theoretical minimum of copies: the joining or leaving node's fair share. */
  double minimumMove(ReplicationFactor n, int buckets) {
    List<Member> sized = join ? after : before;
    int hosts = (int) sized.stream().map(Member::host).distinct().count();
    return new FairShare(sized, n.effective(hosts), buckets).shares().get(changed.node());
  }
}
