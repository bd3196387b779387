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

/**
 * {@link RingGossip}'s nodes over direct connections, one per round and node, outside the pools:
 * statements holding every pooled connection of a node must not starve the rounds that keep the
 * ring lease, and a round must not wait on a node's pool for longer than its timeout.
 */
final class NodeRings implements RingGossip.Nodes {

  private final NodePools pools;
  private final Duration timeout;
  private final RingStore rings = new RingStore();
  private final InstanceStore instances = new InstanceStore();

  /**
   * @param timeout bounds the connect, the login and every read of a round's connection
   */
  NodeRings(NodePools pools, Duration timeout) {
    this.pools = requireNonNull(pools, "pools");
    this.timeout = requireNonNull(timeout, "timeout");
  }

  @Override
  public RingGossip.Node open(NodeId node) throws SQLException {
    return new Session(pools.direct(node, timeout));
  }

  private final class Session implements RingGossip.Node {
    private final Connection c;

    Session(Connection c) {
      this.c = c;
    }

    @Override
    public Optional<RingState> read() throws SQLException {
      return rings.read(c);
    }

    @Override
    public boolean store(Optional<RingState> held, RingState next) throws SQLException {
      return held.isEmpty()
          ? rings.create(c, next)
          : rings.compareAndSet(c, held.get().epoch(), next);
    }

    @Override
    public void beat(String id, long epoch) throws SQLException {
      instances.beat(c, id, epoch);
    }

    @Override
    public List<InstanceStore.Heartbeat> heartbeats(Duration lease) throws SQLException {
      return instances.seenWithin(c, lease);
    }

    @Override
    public void close() throws SQLException {
      c.close();
    }
  }
}
