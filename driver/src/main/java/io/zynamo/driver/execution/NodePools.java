package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
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
 */
public final class NodePools implements AutoCloseable {

  private final Settings settings;
  private final Map<NodeId, HikariDataSource> pools = new ConcurrentHashMap<>();
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

  public NodePools(Settings settings) {
    this.settings = requireNonNull(settings, "settings");
  }

  /** A pooled connection to a node; the caller closes it to return it. */
  public Connection connection(NodeId node) throws SQLException {
    if (closed) {
      throw new SQLException("node pools are closed", "08003");
    }
    return pools.computeIfAbsent(node, this::newPool).getConnection();
  }

  private HikariDataSource newPool(NodeId node) {
    NodeAddress address = NodeAddress.of(node);
    HikariConfig config = new HikariConfig();
    config.setPoolName("zynamo " + node);
    config.setJdbcUrl(address.jdbcUrl());
    config.setUsername(settings.user());
    if (settings.password() != null) {
      config.setPassword(settings.password());
    }
    config.setDataSourceProperties(Settings.copy(settings.passThrough()));
    config.setMaximumPoolSize(settings.maxPerNode());
    config.setMinimumIdle(0);
    config.setConnectionTimeout(Math.max(250, settings.connectTimeout().toMillis()));
    config.setInitializationFailTimeout(-1); // a down node must not fail pool creation
    return new HikariDataSource(config);
  }

  @Override
  public void close() {
    closed = true;
    pools.values().forEach(HikariDataSource::close);
    pools.clear();
  }
}
