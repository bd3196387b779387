package io.zynamo.ring.clock;

/**
 * How two vector clocks are ordered: the result of {@code a.compare(b)}, read as "a is ... b".
 *
 * <p>Only counters take part; the per-entry timestamps are pruning metadata and never decide
 * causality.
 */
public enum Causality {
  /** {@code a} happened before {@code b}: {@code b} descends {@code a} and differs from it. */
  BEFORE,
  /** {@code a} happened after {@code b}: {@code a} descends {@code b} and differs from it. */
  AFTER,
  /** Same history: every node has the same counter in {@code a} and {@code b}. */
  EQUAL,
  /**
   * Neither descends the other: each saw an update the other did not, so the two versions conflict
   * and must be reconciled.
   */
  CONCURRENT;

  /**
   * The same relation seen from the other side: {@code b.compare(a) == a.compare(b).reversed()}.
   */
  public Causality reversed() {
    return switch (this) {
      case BEFORE -> AFTER;
      case AFTER -> BEFORE;
      case EQUAL, CONCURRENT -> this;
    };
  }
}
