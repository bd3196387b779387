package io.zynamo.ring;

import io.zynamo.ring.membership.Member;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Gives every node a home column (one of C failure domains, each holding one full copy).
 *
 * <p>Nodes keep their previous home column when the column count is unchanged; a new node joins its
 * host's column, or, on a new host, the column with the least capacity (longest-processing-time
 * first, which for equal nodes keeps column sizes within one). The result must have a <em>cover
 * column</em>: at most {@code ceil(M/C)} nodes whose capacity (sum of targets) reaches {@code B},
 * so a scan of it contacts at most {@code ceil(M/C)} nodes. When it does not (unequal weights
 * balance capacity but not node counts), {@link CoverChoice} picks the cover column's members
 * directly: whole hosts if possible, otherwise single nodes, which splits a host over two columns.
 * That stays safe because the bucket fill never puts two replicas of a bucket on one host.
 */
final class HomeColumns {

  private final int columns;
  private final int bucketCount;
  private final List<Member> owners;
  private final Map<NodeId, Integer> targets;

  HomeColumns(List<Member> owners, Map<NodeId, Integer> targets, int columns, int bucketCount) {
    this.owners = owners;
    this.targets = targets;
    this.columns = columns;
    this.bucketCount = bucketCount;
  }

  /** The home column of every node. */
  Map<NodeId, Integer> assign(Optional<Placement> previous) {
    Map<NodeId, Integer> home = new HashMap<>();
    previous
        .filter(p -> p.columns() == columns)
        .ifPresent(
            p ->
                owners.stream()
                    .filter(m -> p.contains(m.node()))
                    .forEach(m -> home.put(m.node(), p.homeColumn(m.node()))));
    List<Member> newcomers = new ArrayList<>();
    for (Member m : owners) {
      if (!home.containsKey(m.node())) {
        hostColumn(m.host(), home)
            .ifPresentOrElse(c -> home.put(m.node(), c), () -> newcomers.add(m));
      }
    }
    placeLargestFirst(byHost(newcomers), home, c -> true);
    if (!hasCoverColumn(home)) {
      moveNewcomersToKeepCover(newcomers, home);
    }
    if (!hasCoverColumn(home)) {
      rebuildAroundCover(home);
    }
    return home;
  }

  /**
   * The cheap repair: a newcomer that broke the cover column (say, a node joining a host in it)
   * tries each other column instead, as a node split from its host. Moving only new nodes moves no
   * data that is already placed.
   */
  private void moveNewcomersToKeepCover(List<Member> newcomers, Map<NodeId, Integer> home) {
    for (Member m : newcomers) {
      int original = home.get(m.node());
      for (int c = 0; c < columns && !hasCoverColumn(home); c++) {
        home.put(m.node(), c);
      }
      if (!hasCoverColumn(home)) {
        home.put(m.node(), original);
      } else {
        return;
      }
    }
  }

  private Optional<Integer> hostColumn(HostId host, Map<NodeId, Integer> home) {
    return owners.stream()
        .filter(m -> m.host().equals(host) && home.containsKey(m.node()))
        .map(m -> home.get(m.node()))
        .findFirst();
  }

  private static SortedMap<String, List<Member>> byHost(List<Member> members) {
    SortedMap<String, List<Member>> groups = new TreeMap<>();
    members.forEach(m -> groups.computeIfAbsent(m.host().value(), h -> new ArrayList<>()).add(m));
    return groups;
  }

  private static SortedMap<String, List<Member>> byNode(List<Member> members) {
    SortedMap<String, List<Member>> groups = new TreeMap<>();
    members.forEach(m -> groups.put(m.node().value(), List.of(m)));
    return groups;
  }

  /**
   * Assigns each group (a host, or one node) whole, largest capacity first, to the lightest column.
   */
  private void placeLargestFirst(
      SortedMap<String, List<Member>> groups, Map<NodeId, Integer> home, IntPredicate allowed) {
    List<List<Member>> ordered = new ArrayList<>(groups.values());
    ordered.sort(Comparator.comparing((List<Member> g) -> -capacity(g)));
    for (List<Member> group : ordered) {
      int[] capacity = capacities(home);
      int[] sizes = sizes(home);
      int best = -1;
      for (int c = 0; c < columns; c++) {
        if (allowed.test(c)
            && (best < 0
                || capacity[c] < capacity[best]
                || (capacity[c] == capacity[best] && sizes[c] < sizes[best]))) {
          best = c;
        }
      }
      for (Member m : group) {
        home.put(m.node(), best);
      }
    }
  }

  /**
   * For the column t that keeps the most nodes in place, makes the chosen groups column t and
   * spreads the nodes displaced from t over the other columns.
   */
  private void rebuildAroundCover(Map<NodeId, Integer> home) {
    // Whole hosts keep failure domains tidy; single nodes may keep more nodes in place.
    CoverChoice best = bestChoice(byHost(owners), home, true);
    CoverChoice byNodes = bestChoice(byNode(owners), home, false);
    if (best == null || (byNodes != null && byNodes.kept() > best.kept())) {
      best = byNodes;
    }
    if (best == null) {
      throw new IllegalStateException(
          "no " + bound() + " nodes hold " + bucketCount + " buckets: targets " + targets);
    }
    List<Member> displaced = new ArrayList<>();
    for (Member m : owners) {
      if (best.groups().contains(groupKey(best, m))) {
        home.put(m.node(), best.column());
      } else if (home.get(m.node()) == best.column()) {
        home.remove(m.node());
        displaced.add(m);
      }
    }
    final int cover = best.column();
    placeLargestFirst(best.byHost() ? byHost(displaced) : byNode(displaced), home, c -> c != cover);
  }

  private static String groupKey(CoverChoice choice, Member m) {
    return choice.byHost() ? m.host().value() : m.node().value();
  }

  private @Nullable CoverChoice bestChoice(
      SortedMap<String, List<Member>> groups, Map<NodeId, Integer> home, boolean byHost) {
    CoverChoice best = null;
    for (int t = 0; t < columns; t++) {
      CoverChoice choice = CoverChoice.find(t, groups, home, targets, bound(), bucketCount, byHost);
      if (choice != null && (best == null || choice.kept() > best.kept())) {
        best = choice;
      }
    }
    return best;
  }

  private int capacity(List<Member> group) {
    return group.stream().mapToInt(m -> targets.get(m.node())).sum();
  }

  private int bound() {
    return (owners.size() + columns - 1) / columns;
  }

  /** Whether some column's own nodes can hold its whole copy within {@code ceil(M/C)} nodes. */
  boolean hasCoverColumn(Map<NodeId, Integer> home) {
    int[] capacity = capacities(home);
    int[] sizes = sizes(home);
    for (int c = 0; c < columns; c++) {
      if (sizes[c] <= bound() && capacity[c] >= bucketCount) {
        return true;
      }
    }
    return false;
  }

  private int[] capacities(Map<NodeId, Integer> home) {
    int[] capacity = new int[columns];
    home.forEach((node, c) -> capacity[c] += targets.get(node));
    return capacity;
  }

  private int[] sizes(Map<NodeId, Integer> home) {
    int[] sizes = new int[columns];
    home.forEach((node, c) -> sizes[c]++);
    return sizes;
  }
}
