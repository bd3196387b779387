package io.zynamo.ring.clock;

import io.zynamo.ring.NodeId;
import io.zynamo.ring.clock.VectorClock.Entry;
import io.zynamo.ring.clock.VectorClock.Pruning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * A seeded generator of random vector clocks over small node pools, so that generated clocks
 * overlap often. Property tests run once per seed of {@link #seeds()}; a failing seed reproduces
 * exactly, because a generator's output depends on its seed alone. Surefire names invocations by
 * their 1-based index: {@code [n]} ran seed {@code n - 1}.
 */
final class Clocks {

  /** How many seeds, i.e. checks, each property test runs. */
  static final int SEEDS = 500;

  /** The characters of {@link #wide()} node ids: ASCII plus 2- and 3-byte UTF-8 characters. */
  private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz:/.-é中ß";

  private final Random random;

  Clocks(long seed) {
    this.random = new Random(spread(seed));
  }

  /**
   * SplitMix64's finalizer: the first values of {@code new Random(seed)} for consecutive seeds are
   * strongly correlated (its first {@code nextDouble()} lies in [0.7, 0.8) for every seed in
   * 0..499), so consecutive seeds are spread over all 64 bits first.
   */
  private static long spread(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The seeds every property test runs with: {@code 0 .. SEEDS - 1}. */
  static LongStream seeds() {
    return LongStream.range(0, SEEDS);
  }

  static NodeId node(int index) {
    return new NodeId("n" + index);
  }

  /** One of the 6 nodes {@link #messy()} draws from. */
  NodeId node() {
    return node(intBetween(0, 5));
  }

  /** A list of 0..{@code maxSize} nodes of {@link #node()}, repeats allowed. */
  List<NodeId> nodes(int maxSize) {
    int size = intBetween(0, maxSize);
    List<NodeId> nodes = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      nodes.add(node());
    }
    return nodes;
  }

  /**
   * Clocks over 4 nodes whose timestamps are a function of (node, counter): one event always
   * carries one time, as in a real cluster, so clocks that compare EQUAL are also equal values.
   * Counters 0..3 (0 = absent) give 256 clocks, enough for equal pairs to turn up.
   */
  VectorClock consistent() {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      long counter = longBetween(0, 3);
      if (counter > 0) {
        entries.add(new Entry(node(i), counter, 10 * counter + i));
      }
    }
    return VectorClock.of(entries);
  }

  /**
   * Clocks over 6 nodes, each present with probability 0.6, with counters 1..5 and unrelated
   * timestamps in 0..20, so timestamp ties are common.
   */
  VectorClock messy() {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long counter = longBetween(1, 5);
      long timestamp = longBetween(0, 20);
      if (random.nextDouble() < 0.6) {
        entries.add(new Entry(node(i), counter, timestamp));
      }
    }
    return VectorClock.of(entries);
  }

  /**
   * Up to 12 entries with any node ids (1..20 characters, multi-byte ones included), counters in
   * {@code 1..Long.MAX_VALUE} and timestamps in {@code 0..Long.MAX_VALUE}, edge values included.
   */
  VectorClock wide() {
    int size = intBetween(0, 12);
    Map<NodeId, Entry> entries = new LinkedHashMap<>();
    while (entries.size() < size) {
      NodeId node = nodeId(intBetween(1, 20));
      Entry entry = new Entry(node, wideLong(1), wideLong(0));
      entries.putIfAbsent(node, entry);
    }
    return VectorClock.of(entries.values());
  }

  /** Pruning policies with 1..7 entries and a minimum age of 0..15. */
  Pruning policy() {
    return new Pruning(intBetween(1, 7), longBetween(0, 15));
  }

  /** Uniform in {@code min..max}, both inclusive. */
  int intBetween(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  /** Uniform in {@code min..max}, both inclusive; {@code max < Long.MAX_VALUE}. */
  long longBetween(long min, long max) {
    return random.nextLong(min, max + 1);
  }

  private NodeId nodeId(int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    }
    return new NodeId(id.toString());
  }

  /**
   * A value in {@code min..Long.MAX_VALUE} ({@code min >= 0}): a quarter edge values (the two
   * smallest and the two largest), a quarter small, half spread over every magnitude.
   */
  private long wideLong(long min) {
    return switch (random.nextInt(4)) {
      case 0 -> {
        long[] edges = {min, min + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        yield edges[random.nextInt(edges.length)];
      }
      case 1 -> min + random.nextInt(100);
      default -> {
        // A random bit length, then a random value of at most that length.
        int bits = random.nextInt(64);
        long value = bits == 0 ? 0 : random.nextLong() >>> (64 - bits);
        yield Math.max(min, value);
      }
    };
  }
}
