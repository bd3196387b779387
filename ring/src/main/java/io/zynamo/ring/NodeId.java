package io.zynamo.ring;

import static java.util.Objects.requireNonNull;

/**
 * Names one node: a PostgreSQL server and database that stores data, written {@code host:port/db}.
 *
 * <p>Node ids are compared as plain strings everywhere (placement tie-breaks, serialization), so
 * the same node must always be spelled the same way; {@link #of(String, int, String)} builds the
 * canonical spelling.
 */
public record NodeId(String value) implements Comparable<NodeId> {

  /** Longest accepted id; ids travel in the serialized ring and in error messages. */
  public static final int MAX_LENGTH = 255;

  public NodeId {
    requireNonNull(value, "value");
    if (value.isBlank() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "node id: '" + value + "' (expected: 1.." + MAX_LENGTH + " non-blank characters)");
    }
  }

  /** The canonical id {@code host:port/database}. */
  public static NodeId of(String host, int port, String database) {
    return new NodeId(host + ":" + port + "/" + database);
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
