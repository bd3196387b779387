package io.zynamo.ring;

/**
 * N: how many replicas each bucket should have. The effective count is capped by the number of
 * distinct hosts, because two replicas of a bucket never share a host.
 */
public record ReplicationFactor(int value) {

  /** Largest supported N. */
  public static final int MAX = 16;

  public ReplicationFactor {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException("replicas: " + value + " (expected: 1.." + MAX + ")");
    }
  }

  /** {@code min(N, distinctHosts)}: the replicas each bucket really gets. */
  public int effective(int distinctHosts) {
    if (distinctHosts < 1) {
      throw new IllegalArgumentException("distinct hosts: " + distinctHosts + " (expected: >= 1)");
    }
    return Math.min(value, distinctHosts);
  }
}
