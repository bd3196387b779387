package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

/**
 * Names a physical machine (a failure domain): several nodes may share one host, but a bucket never
 * has two replicas on one host.
 */
public record HostId(String value) implements Comparable<HostId> {

  public HostId {
    requireNonNull(value, "value");
    if (value.isBlank() || value.length() > NodeId.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "host id: '" + value + "' (expected: 1.." + NodeId.MAX_LENGTH + " non-blank characters)");
    }
  }

  @Override
  public int compareTo(HostId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
