package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Executes a write routed to one bucket (ADR 0001): once, on the coordinator (the first replica in
 * the preference list that accepts a connection), in a transaction that also stamps the rows and
 * captures their images; then the images go to the other replicas, and the write is acknowledged
 * once W replicas (the coordinator counting as one) have it.
 */
final class KeyWriter<B> {

  private final Cluster cluster;
  private final RowImages<B> images;

  KeyWriter(Cluster cluster, RowImages<B> images) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.images = requireNonNull(images, "images");
  }

  /**
   * Writes through the first reachable of {@code replicas} and replicates to the others.
   *
   * @param bucket the routed bucket (stamped on the rows; for a reference table, any label)
   * @param replicas the bucket's preference list, or every node for a reference table
   */
  Outcome write(
      BucketId bucket,
      List<NodeId> replicas,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys,
      int writeQuorum)
      throws SQLException {
    Coordinator coordinator =
        connectCoordinator(bucket, replicas, writeQuorum, cluster.clock().now());
    Connection c = coordinator.connection();
    Holder<B> captured = new Holder<>();
    // Returned to the pool when the outcome is done with; a transaction that did not commit is
    // rolled back first, explicitly rather than trusting the pool to.
    AutoCloseable release =
        () -> {
          if (captured.value == null) {
            CloseAll.close(c::rollback, c);
          } else {
            c.close();
          }
        };
    Outcome outcome;
    try {
      outcome =
          NodeStatements.run(
              c,
              sql,
              parameters,
              generatedKeys,
              () -> {
                B batch = images.drain(c);
                c.commit();
                captured.value = batch;
              },
              release);
    } catch (SQLException e) {
      if (!c.isClosed()) {
        CloseAll.close(release);
      }
      throw ZynamoErrors.fromNode(coordinator.node(), e);
    }
    replicate(bucket, replicas, coordinator.node(), captured.value, writeQuorum);
    return outcome;
  }

  private void replicate(
      BucketId bucket, List<NodeId> replicas, NodeId coordinator, @Nullable B batch, int quorum)
      throws SQLException {
    if (batch == null || images.isEmpty(batch)) {
      return;
    }
    List<NodeId> others = new ArrayList<>(replicas);
    others.remove(coordinator);
    cluster
        .calls()
        .write(
            bucket,
            others,
            Math.max(0, quorum - 1),
            node -> {
              try (Connection replica = cluster.pools().connection(node)) {
                return images.apply(replica, batch);
              }
            });
  }

  /**
   * The first replica that accepts a connection and the transaction's first round trip (begin and
   * stamp). Until then nothing was written, so an unreachable replica just hands over to the next.
   */
  private Coordinator connectCoordinator(
      BucketId bucket, List<NodeId> replicas, int quorum, long version) throws SQLException {
    List<SQLException> failures = new ArrayList<>();
    for (NodeId node : replicas) {
      Connection c = null;
      try {
        c = cluster.pools().connection(node);
        c.setAutoCommit(false);
        images.stamp(c, bucket, version, node);
        return new Coordinator(node, c);
      } catch (SQLException e) {
        if (c != null) {
          CloseAll.close(c);
        }
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        failures.add(e);
      }
      if (replicas.size() - failures.size() < quorum) {
        break;
      }
    }
    throw ZynamoErrors.quorumNotMet(
        bucket,
        "write",
        replicas,
        List.of(),
        quorum,
        Map.of(),
        failures.isEmpty() ? null : failures.get(0));
  }

  private record Coordinator(NodeId node, Connection connection) {}

  private static final class Holder<T> {
    @Nullable T value;
  }
}
