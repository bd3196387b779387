package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Renders the measured placement figures that docs/ring.md shows (kept true by RingReportTest). */
final class RingReport {

  private static final int BUCKETS = 256;
  private final ColumnPlacement strategy = new ColumnPlacement();

  /** The M = 1..12, N = 3, one-host-per-node table: joins one node at a time. */
  String growthTable() {
    StringBuilder out = new StringBuilder();
    out.append("| M | C | max load / fair load | fan-out | ceil(M/C) | moved on join |")
        .append(" minimum | moved / minimum |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    List<Member> members = new ArrayList<>();
    Optional<Placement> previous = Optional.empty();
    for (int m = 1; m <= 12; m++) {
      members.add(RandomCluster.member(m, m, 100));
      Placement p = strategy.place(members, new ReplicationFactor(3), BUCKETS, previous);
      FairShare fair = new FairShare(members, p.columns(), BUCKETS);
      double maxRatio = 0;
      for (Map.Entry<NodeId, Integer> e : p.loads().entrySet()) {
        maxRatio = Math.max(maxRatio, e.getValue() / fair.shares().get(e.getKey()));
      }
      int fanOut = new CoveragePlanner().plan(p, new HashSet<>(p.nodes())).fanOut();
      String moved = "-";
      String minimum = "-";
      String ratio = "-";
      if (previous.isPresent()) {
        int count = PlacementInvariants.moved(previous.get(), p);
        double min = fair.shares().get(members.get(m - 1).node());
        moved = Integer.toString(count);
        minimum = format(min);
        ratio = format(count / min);
      }
      out.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %.3f | %d | %d | %s | %s | %s |%n",
              m,
              p.columns(),
              maxRatio,
              fanOut,
              PlacementInvariants.ceilDiv(m, p.columns()),
              moved,
              minimum,
              ratio));
      previous = Optional.of(p);
    }
    return out.toString();
  }

  /** Movement over the random clusters of the property test (same seeds and steps). */
  String randomMovement() {
    Map<String, List<Double>> ratios = new TreeMap<>();
    for (long seed : ColumnPlacementTest.seeds().toArray()) {
      RandomCluster cluster = RandomCluster.of(seed);
      Placement p =
          strategy.place(cluster.members(), cluster.replication(), BUCKETS, Optional.empty());
      for (Churn change : Churn.of(cluster)) {
        Placement after =
            strategy.place(change.after(), cluster.replication(), BUCKETS, Optional.of(p));
        ratios
            .computeIfAbsent(change.join() ? "join" : "leave", k -> new ArrayList<>())
            .add(
                PlacementInvariants.moved(p, after)
                    / change.minimumMove(cluster.replication(), BUCKETS));
        p = after;
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("| change | steps | p50 moved/min | p90 | max | share above 2x |\n")
        .append("|---|---|---|---|---|---|\n");
    ratios.forEach(
        (kind, list) -> {
          Collections.sort(list);
          long above = list.stream().filter(r -> r > 2.0).count();
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %.2f | %.2f | %.2f | %.1f%% |%n",
                  kind,
                  list.size(),
                  list.get(list.size() / 2),
                  list.get(list.size() * 9 / 10),
                  list.get(list.size() - 1),
                  100.0 * above / list.size()));
        });
    return out.toString();
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
