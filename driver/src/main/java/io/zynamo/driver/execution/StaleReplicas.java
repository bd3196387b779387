package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Brings the replicas a {@link ReadRepair} found stale up to the newest state of their rows: the
 * newest images are fetched from the replica holding them and applied last-writer-wins on the stale
 * one ({@code zynamo.apply}), so a repair racing with a write never undoes it. Shared by read
 * repair ({@link KeyReader}) and anti-entropy ({@link AntiEntropy}).
 *
 * @param <B> a batch of row images
 */
final class StaleReplicas<B> {

  /** Rows fetched and applied per batch: bounds the size of one statement and its images. */
  static final int BATCH_ROWS = 1000;

  private final Cluster cluster;
  private final RowImages<B> images;

  StaleReplicas(Cluster cluster, RowImages<B> images) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.images = requireNonNull(images, "images");
  }

  /** What becomes of a node's failure: rethrown as it is, or as the caller needs it. */
  @FunctionalInterface
  interface Failure {
    SQLException of(NodeId node, SQLException e);
  }

  /** Repairs every stale replica; a node's failure ends the call unchanged. */
  Map<NodeId, Long> repair(TableDistribution table, ReadRepair repair) throws SQLException {
    return repair(table, repair, (node, e) -> e);
  }

  /**
   * Repairs every stale replica of {@code repair}, one after another; a node's failure (e.g. an
   * unreachable replica) ends the call, as {@code failure} makes it.
   *
   * @return per stale replica, how many images changed it
   */
  Map<NodeId, Long> repair(TableDistribution table, ReadRepair repair, Failure failure)
      throws SQLException {
    Map<NodeId, Long> applied = new LinkedHashMap<>();
    for (Map.Entry<NodeId, Set<UUID>> stale : repair.stale().entrySet()) {
      Map<NodeId, Set<UUID>> bySource = new TreeMap<>();
      for (UUID row : stale.getValue()) {
        NodeId source = repair.newest().get(row).replica();
        bySource.computeIfAbsent(source, s -> new TreeSet<>()).add(row);
      }
      long count = 0;
      for (Map.Entry<NodeId, Set<UUID>> source : bySource.entrySet()) {
        for (Set<UUID> rows : batches(source.getValue())) {
          count += copy(table, source.getKey(), stale.getKey(), rows, failure);
        }
      }
      applied.put(stale.getKey(), count);
    }
    return applied;
  }

  private long copy(
      TableDistribution table, NodeId source, NodeId target, Set<UUID> rows, Failure failure)
      throws SQLException {
    B batch;
    try (Connection c = cluster.pools().connection(source)) {
      batch = images.fetch(c, table, rows);
    } catch (SQLException e) {
      throw failure.of(source, e);
    }
    try (Connection c = cluster.pools().connection(target)) {
      return images.apply(c, batch);
    } catch (SQLException e) {
      throw failure.of(target, e);
    }
  }

  private static List<Set<UUID>> batches(Set<UUID> rows) {
    List<Set<UUID>> batches = new ArrayList<>();
    Set<UUID> current = new TreeSet<>();
    for (UUID row : rows) {
      current.add(row);
      if (current.size() == BATCH_ROWS) {
        batches.add(current);
        current = new TreeSet<>();
      }
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }
}
