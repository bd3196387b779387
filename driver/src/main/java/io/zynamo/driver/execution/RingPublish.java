package io.zynamo.driver.execution;

import io.zynamo.driver.catalog.RingStore;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.RingState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Stores a new ring state on every node that held or holds data: merged by vector clock with what
 * each node has, written by compare-and-set on the node's epoch; an unreachable node learns it by
 * gossip later.
 */
final class RingPublish {

  private final RingStore store = new RingStore();
  private final Cluster cluster;

  RingPublish(Cluster cluster) {
    this.cluster = cluster;
  }

  /** Publishes {@code next} and offers it to this instance; how many nodes stored it. */
  int publish(RingState next) {
    TreeSet<NodeId> nodes = new TreeSet<>(cluster.ring().nodes());
    nodes.addAll(next.nodes());
    int stored = 0;
    for (NodeId node : nodes) {
      try (Connection c = cluster.pools().connection(node)) {
        for (int attempt = 0; attempt < 3; attempt++) {
          Optional<RingState> held = store.read(c);
          if (held.isEmpty()) {
            if (store.create(c, next)) {
              stored++;
              break;
            }
            continue;
          }
          cluster.offer(held.get());
          RingState merged = held.get().merge(next);
          if (merged.equals(held.get())) {
            break; // the node has it, or something newer
          }
          if (store.compareAndSet(c, held.get().epoch(), merged)) {
            stored++;
            break;
          }
        }
      } catch (SQLException e) {
        // unreachable or refusing: gossip brings it the state later
      }
    }
    cluster.offer(next);
    return stored;
  }
}
