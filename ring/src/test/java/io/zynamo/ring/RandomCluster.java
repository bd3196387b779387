package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Reproducible random clusters for property tests: the seed alone rebuilds the case. */
record RandomCluster(List<Member> members, ReplicationFactor replication, long seed) {

  static RandomCluster of(long seed) {
    Random random = new Random(seed);
    int nodes = 1 + random.nextInt(64);
    int hosts = 1 + random.nextInt(nodes);
    boolean equalWeights = random.nextInt(3) == 0;
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      // The first `hosts` nodes open one host each, so exactly `hosts` distinct hosts exist.
      int host = i < hosts ? i : random.nextInt(hosts);
      int weight = equalWeights ? 100 : 50 + random.nextInt(151);
      members.add(member(i, host, weight));
    }
    return new RandomCluster(members, new ReplicationFactor(1 + random.nextInt(5)), seed);
  }

  static Member member(int node, int host, int weight) {
    return Member.up(
        new NodeId(String.format("n%02d", node)), new HostId(String.format("h%02d", host)), weight);
  }

  int distinctHosts() {
    return (int) members.stream().map(Member::host).distinct().count();
  }

  @Override
  public String toString() {
    return "seed "
        + seed
        + ": M="
        + members.size()
        + " hosts="
        + distinctHosts()
        + " N="
        + replication.value();
  }
}
