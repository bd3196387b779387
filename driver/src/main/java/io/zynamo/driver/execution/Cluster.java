package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.catalog.ClusterBootstrap;
import io.zynamo.driver.catalog.RingStore;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.ring.ColumnPlacement;
import io.zynamo.ring.ReplicationFactor;
import io.zynamo.ring.RingState;
import io.zynamo.ring.clock.HybridLogicalClock;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything one driver instance shares for one cluster: the node pools, the current ring (one
 * immutable snapshot, replaced whole), the threads that call replicas, and the hybrid clock that
 * stamps row versions.
 */
public final class Cluster implements AutoCloseable {

  private final NodePools pools;
  private final AtomicReference<RingState> ring;
  private final ExecutorService replicaThreads;
  private final ReplicaCalls calls;
  private final HybridLogicalClock clock;

  private Cluster(NodePools pools, RingState ring, Duration timeout, Clock wall) {
    this.pools = pools;
    this.ring = new AtomicReference<>(ring);
    this.replicaThreads = Executors.newCachedThreadPool(daemonThreads());
    this.calls = new ReplicaCalls(replicaThreads, timeout);
    this.clock = new HybridLogicalClock(wall);
  }

  /**
   * Connects to the seeds of a URL and learns (or, on an empty cluster, creates) the ring.
   *
   * @param installer installs the {@code zynamo} schema on a node that lacks it
   */
  public static Cluster open(ZynamoUrl url, ClusterBootstrap.SchemaInstaller installer, Clock wall)
      throws SQLException {
    requireNonNull(url, "url");
    NodePools pools =
        new NodePools(
            new NodePools.Settings(
                user(url),
                url.password().orElse(null),
                url.passThrough(),
                url.poolSize(),
                url.connectTimeout()));
    try {
      RingState ring =
          new ClusterBootstrap(
                  pools::connection, installer, new RingStore(), new ColumnPlacement(), wall)
              .load(url.seedNodes(), new ReplicationFactor(url.replicas()), url.bucketBits());
      quorums(url, ring);
      Duration timeout =
          url.socketTimeout().isZero() ? Duration.ofSeconds(30) : url.socketTimeout();
      return new Cluster(pools, ring, timeout.plus(url.connectTimeout()), wall);
    } catch (SQLException | RuntimeException e) {
      pools.close();
      throw e;
    }
  }

  /** The user on the nodes: the URL's, else the operating-system user, as pgjdbc defaults. */
  static String user(ZynamoUrl url) {
    return url.user().orElse(System.getProperty("user.name"));
  }

  /**
   * R and W of a connection to this cluster: checked against the ring's real replica count, not
   * only the URL's N; when not given, the defaults capped at that count (a 1-node cluster reads and
   * writes with R = W = 1).
   */
  public Quorums quorums(ZynamoUrl url) throws SQLException {
    return quorums(url, ring());
  }

  private static Quorums quorums(ZynamoUrl url, RingState ring) throws SQLException {
    int replicas = ring.placement().columns();
    int read = url.readQuorum(replicas);
    int write = url.writeQuorum(replicas);
    if (read > replicas || write > replicas) {
      throw ZynamoErrors.invalidValue(
          "readQuorum/writeQuorum",
          read + "/" + write,
          "at most the ring's " + replicas + " replicas per bucket");
    }
    return new Quorums(read, write);
  }

  /** A connection's read and write quorums. */
  public record Quorums(int read, int write) {}

  /** The current ring snapshot. */
  public RingState ring() {
    return ring.get();
  }

  /** Installs a newer ring snapshot; an older or equal one is ignored. */
  public void offer(RingState newer) {
    ring.accumulateAndGet(newer, RingState::merge);
  }

  public NodePools pools() {
    return pools;
  }

  public ReplicaCalls calls() {
    return calls;
  }

  public HybridLogicalClock clock() {
    return clock;
  }

  @Override
  public void close() {
    replicaThreads.shutdown();
    pools.close();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "zynamo-replica-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
