package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.zynamo.driver.execution.NodeHealth.Admission;
import io.zynamo.driver.execution.NodeHealth.Result;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HikariCP pool per node, created on first use and shared by every connection of one driver
 * instance to the same cluster.
 *
 * <p>Pools are cheap to keep: {@code minimumIdle} is 0, so a node that is never asked costs no
 * connection, and an idle pool shrinks back to nothing.
 *
 * <p>Every request for a connection goes through {@link NodeHealth}: a node believed down fails
 * fast instead of costing a connect timeout, and each outcome (a connection, a failure to connect,
 * an established connection breaking mid-statement) feeds the detector.
 *
 * <p>Each new physical connection passes {@link NewConnections} before any request gets it: once
 * the ring is known, {@link NodeRebuild} puts Zynamo's layer back on a node that lost its data.
 */
public final class NodePools implements AutoCloseable {

  /** A check of each new physical connection to a node, before the pool hands it out. */
  @FunctionalInterface
  public interface NewConnections {
    /** Makes the node fit to use, or throws (the connection is then closed, never used). */
    void check(NodeId node, Connection connection) throws SQLException;
  }

  private final Settings settings;
  private final NodeHealth health;
  private final Map<NodeId, HikariDataSource> pools = new ConcurrentHashMap<>();
  private volatile NewConnections newConnections = (node, connection) -> {};
  private volatile boolean closed;

  /**
   * How to reach nodes.
   *
   * @param user the PostgreSQL user on every node
   * @param password its password, or null
   * @param passThrough pgjdbc properties given to every node connection (ssl, timeouts...)
   * @param maxPerNode most pooled connections per node
   * @param connectTimeout how long to wait for a connection to a node
   */
  public record Settings(
      String user,
      @org.jspecify.annotations.Nullable String password,
      Properties passThrough,
      int maxPerNode,
      Duration connectTimeout) {

    public Settings {
      requireNonNull(user, "user");
      passThrough = copy(requireNonNull(passThrough, "passThrough"));
      requireNonNull(connectTimeout, "connectTimeout");
      if (maxPerNode < 1) {
        throw new IllegalArgumentException("pool size: " + maxPerNode + " (expected: >= 1)");
      }
    }

    private static Properties copy(Properties source) {
      Properties copy = new Properties();
      source.stringPropertyNames().forEach(k -> copy.setProperty(k, source.getProperty(k)));
      return copy;
    }

    @Override
    public String toString() {
      return "Settings[user="
          + user
          + ", maxPerNode="
          + maxPerNode
          + ", connectTimeout="
          + connectTimeout
          + "]"; // never the password
    }
  }

  public NodePools(Settings settings, NodeHealth health) {
    this.settings = requireNonNull(settings, "settings");
    this.health = requireNonNull(health, "health");
  }

  /**
   * A pooled connection to a node; the caller closes it to return it. Fails fast with {@code 08001}
   * when the node is believed down (see {@link NodeHealth}).
   */
  public Connection connection(NodeId node) throws SQLException {
    if (closed) {
      throw new SQLException("node pools are closed", "08003");
    }
    Admission admission = health.admit(node);
    Result result = Result.INCONCLUSIVE;
    String reason = "";
    try {
      if (health.state(node) != NodeHealth.State.UP) {
        // Tried although believed down (a trial, or some bucket's last hope): one direct attempt
        // first, which a refused port fails at once, where the pool would retry for its whole
        // connection timeout, on every request.
        probe(node, settings.connectTimeout());
      }
      HikariDataSource pool = pools.get(node); // no method reference to allocate once it exists
      if (pool == null) {
        pool = pools.computeIfAbsent(node, this::newPool);
      }
      Connection c = pool.getConnection();
      result = Result.SUCCESS;
      return c;
    } catch (SQLException e) {
      result = isNodeFailure(e) ? Result.NODE_FAILURE : Result.INCONCLUSIVE;
      reason = reason(e);
      throw e;
    } finally {
      health.finished(admission, result, reason);
    }
  }

  /**
   * Whether a failure to get a pooled connection means the node is unreachable. HikariCP's timeout
   * without a cause is not one: no connection attempt failed, every pooled connection was busy.
   */
  static boolean isNodeFailure(SQLException e) {
    boolean poolBusy =
        e instanceof SQLTransientConnectionException
            && e.getCause() == null
            && e.getSQLState() == null;
    return !poolBusy && NodeFailures.isUnreachable(e);
  }

  /**
   * Checks every new physical connection with {@code check} from now on, and retires the pooled
   * connections made before, so that none escapes it (those of the ring's bootstrap).
   */
  public void checkNewConnections(NewConnections check) {
    newConnections = requireNonNull(check, "check");
    pools.values().forEach(p -> p.getHikariPoolMXBean().softEvictConnections());
  }

  /**
   * One light probe: a fresh connection (outside the pool) that must log in and answer {@code
   * SELECT 1} within {@code timeout}, so that a server still starting up does not count as up.
   */
  public void probe(NodeId node, Duration timeout) throws SQLException {
    try (Connection c = direct(node, timeout);
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    }
  }

  /**
   * A fresh connection outside the pool and its checks, whose connect, login and every read are
   * bounded by {@code timeout}; the caller closes it.
   */
  public Connection direct(NodeId node, Duration timeout) throws SQLException {
    Properties properties = login();
    String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
    properties.setProperty("connectTimeout", seconds);
    properties.setProperty("loginTimeout", seconds);
    properties.setProperty("socketTimeout", seconds);
    String url = NodeAddress.of(node).jdbcUrl();
    return requireNonNull(new org.postgresql.Driver().connect(url, properties), url);
  }

  /** The pass-through properties with the user and password. */
  private Properties login() {
    Properties properties = Settings.copy(settings.passThrough());
    properties.setProperty("user", settings.user());
    if (settings.password() != null) {
      properties.setProperty("password", settings.password());
    }
    return properties;
  }

  private static String reason(SQLException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
  }

  private HikariDataSource newPool(NodeId node) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("zynamo " + node);
    config.setDataSource(new NodeDataSource(node, login(), () -> newConnections));
    config.setMaximumPoolSize(settings.maxPerNode());
    config.setMinimumIdle(0);
    config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
    config.setInitializationFailTimeout(-1); // a down node must not fail pool creation
    config.setExceptionOverride(new BrokenConnections(node));
    return new HikariDataSource(config);
  }

  @Override
  public void close() {
    closed = true;
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }

  /**
   * Sees every SQLException of a pooled connection (HikariCP calls it before deciding to evict):
   * one that means the node went away makes the node suspect. HikariCP's own decision is kept.
   */
  private final class BrokenConnections implements SQLExceptionOverride {
    private final NodeId node;

    BrokenConnections(NodeId node) {
      this.node = node;
    }

    @java.lang.Override // a bare @Override would name SQLExceptionOverride.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
      if (e.getSQLState() != null && NodeFailures.isUnreachable(e)) {
        health.broken(node, reason(e));
      }
      return SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
  }
}
