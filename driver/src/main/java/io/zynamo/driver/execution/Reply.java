package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.NodeId;

/** One replica's successful answer. */
public record Reply<T>(NodeId node, T value) {
  public Reply {
    requireNonNull(node, "node");
    requireNonNull(value, "value");
  }
}
