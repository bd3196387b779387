package io.zynamo.ring.clock;

import io.zynamo.ring.NodeId;
import io.zynamo.ring.clock.VectorClock.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Arbitrary vector clocks over small node pools, so that generated clocks overlap often. */
final class Clocks {

  private Clocks() {}

  static NodeId node(int index) {
    return new NodeId("n" + index);
  }

  static Arbitrary<NodeId> nodes() {
    return Arbitraries.integers().between(0, 5).map(Clocks::node);
  }

  /**
   * Clocks over 4 nodes whose timestamps are a function of (node, counter): one event always
   * carries one time, as in a real cluster, so clocks that compare EQUAL are also equal values.
   * Counters 0..3 (0 = absent) give 256 clocks, enough for equal pairs to turn up.
   */
  static Arbitrary<VectorClock> consistent() {
    List<Arbitrary<Optional<Entry>>> perNode = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      NodeId node = node(i);
      int index = i;
      perNode.add(
          Arbitraries.longs()
              .between(0, 3)
              .map(
                  c ->
                      c == 0 ? Optional.empty() : Optional.of(new Entry(node, c, 10 * c + index))));
    }
    return Combinators.combine(perNode).as(Clocks::present);
  }

  /** Clocks over 6 nodes with unrelated timestamps in 0..20, so timestamp ties are common. */
  static Arbitrary<VectorClock> messy() {
    List<Arbitrary<Optional<Entry>>> perNode = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      NodeId node = node(i);
      perNode.add(
          Combinators.combine(Arbitraries.longs().between(1, 5), Arbitraries.longs().between(0, 20))
              .as((counter, timestamp) -> new Entry(node, counter, timestamp))
              .optional(0.6));
    }
    return Combinators.combine(perNode).as(Clocks::present);
  }

  private static VectorClock present(List<Optional<Entry>> entries) {
    return VectorClock.of(entries.stream().flatMap(Optional::stream).toList());
  }
}
