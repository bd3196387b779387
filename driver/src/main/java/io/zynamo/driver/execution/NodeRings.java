package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.InstanceStore;
import io.zynamo.driver.catalog.RingStore;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.RingState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link RingGossip}'s nodes over pooled connections: each call takes one and gives it back. */
final class NodeRings implements RingGossip.Nodes {

  private final NodePools pools;
  private final RingStore rings = new RingStore();
  private final InstanceStore instances = new InstanceStore();

  NodeRings(NodePools pools) {
    this.pools = requireNonNull(pools, "pools");
  }

  @Override
  public Optional<RingState> read(NodeId node) throws SQLException {
    try (Connection c = pools.connection(node)) {
      return rings.read(c);
    }
  }

  @Override
  public boolean store(NodeId node, Optional<RingState> held, RingState next) throws SQLException {
    try (Connection c = pools.connection(node)) {
      return held.isEmpty()
          ? rings.create(c, next)
          : rings.compareAndSet(c, held.get().epoch(), next);
    }
  }

  @Override
  public void beat(NodeId node, String id, long epoch) throws SQLException {
    try (Connection c = pools.connection(node)) {
      instances.beat(c, id, epoch);
    }
  }

  @Override
  public List<InstanceStore.Heartbeat> heartbeats(NodeId node, Duration lease) throws SQLException {
    try (Connection c = pools.connection(node)) {
      return instances.seenWithin(c, lease);
    }
  }
}
