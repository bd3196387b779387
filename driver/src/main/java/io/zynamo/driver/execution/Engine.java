package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.ring.NodeId;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens connections' engines, sharing one {@link Cluster} (node pools, ring, replica threads) per
 * cluster and user among all connections of one driver instance.
 */
public final class Engine implements AutoCloseable {

  /** What makes two URLs the same cluster for pooling: the seeds, the database and the user. */
  private record ClusterKey(List<NodeId> seeds, String database, String user) {}

  /** At least this long for the catalog reads of a {@link NodeRebuild} on its donor. */
  private static final Duration DONOR_TIMEOUT = Duration.ofSeconds(10);

  private final Clock clock;
  private final NodeSchema schema = NodeSchema.bundled();

  /** How often a bucket move looks again at what it waits for. */
  private static final Duration MOVE_POLL = Duration.ofMillis(200);

  private final Map<ClusterKey, Cluster> clusters = new HashMap<>();

  public Engine(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  /** The engine of one new connection to the cluster {@code url} names. */
  public StatementExecutor open(ZynamoUrl url) throws SQLException {
    Cluster cluster = cluster(url);
    Cluster.Quorums quorums = cluster.quorums(url);
    NodeSchemaReplication replication = new NodeSchemaReplication(schema);
    return new ClusterSession<List<ChangeRecord>>(
            cluster, replication, replication, quorums.read(), quorums.write(), quorums.sloppy())
        .withTombstoneGrace(url.tombstoneGrace());
  }

  private synchronized Cluster cluster(ZynamoUrl url) throws SQLException {
    ClusterKey key =
        new ClusterKey(
            url.seedNodes().stream().sorted().toList(), url.database(), Cluster.user(url));
    Cluster cluster = clusters.get(key);
    if (cluster == null) {
      cluster = Cluster.open(url, schema::install, clock);
      clusters.put(key, cluster);
      AntiEntropy<List<ChangeRecord>> repair =
          new AntiEntropy<>(
              cluster, new NodeSchemaReplication(schema), clock, url.tombstoneGrace());
      cluster.repairEvery(url.repairInterval(), repair::runQuietly);
      cluster.handOffEvery(url.recoveryInterval(), new HintedHandoff(cluster, schema));
      Duration donorTimeout =
          url.connectTimeout().compareTo(DONOR_TIMEOUT) > 0 ? url.connectTimeout() : DONOR_TIMEOUT;
      Cluster rebuilt = cluster;
      cluster
          .pools()
          .checkNewConnections(
              new NodeRebuild(
                  cluster,
                  schema,
                  donorTimeout,
                  node ->
                      rebuilt.repairSoon(() -> repair.runQuietly(new RepairScope(null, node)))));
      Duration lease = RingGossip.lease(url.gossipInterval());
      cluster.moveWith(
          new BucketMover<>(
              rebuilt,
              repair,
              epoch -> List.copyOf(instancesBehind(rebuilt, epoch, lease)),
              rebuilt::publish,
              clock,
              MOVE_POLL,
              url.moveRate()));
    }
    return cluster;
  }

  /**
   * The other instances still routing with a ring older than {@code epoch} (this one is counted by
   * the mover itself); none when gossip is off, since instances then do not report themselves.
   */
  private static java.util.SortedSet<String> instancesBehind(
      Cluster cluster, long epoch, Duration lease) throws SQLException {
    if (lease.isZero()) {
      return new java.util.TreeSet<>();
    }
    java.util.SortedSet<String> behind =
        new java.util.TreeSet<>(cluster.instancesBehind(epoch, lease));
    behind.remove(cluster.instanceId());
    return behind;
  }

  @Override
  public synchronized void close() {
    clusters.values().forEach(Cluster::close);
    clusters.clear();
  }
}
