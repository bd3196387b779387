package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.NodeId;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Where a node's pool gets its physical connections: pgjdbc's driver with the node's properties,
 * then {@link NodePools.NewConnections} on each new connection before the pool hands it out (a node
 * may have come back without its data, see {@link NodeRebuild}).
 */
final class NodeDataSource implements DataSource {

  private final NodeId node;
  private final Properties properties;
  private final Supplier<NodePools.NewConnections> check;
  private volatile int loginTimeout;

  /**
   * @param properties pgjdbc's properties, user and password included
   * @param check the check of the moment (none while the ring is not known yet)
   */
  NodeDataSource(NodeId node, Properties properties, Supplier<NodePools.NewConnections> check) {
    this.node = requireNonNull(node, "node");
    this.properties = requireNonNull(properties, "properties");
    this.check = requireNonNull(check, "check");
  }

  @Override
  public Connection getConnection() throws SQLException {
    Properties login = new Properties();
    properties.stringPropertyNames().forEach(k -> login.setProperty(k, properties.getProperty(k)));
    if (loginTimeout > 0 && !login.containsKey("loginTimeout")) {
      login.setProperty("loginTimeout", Integer.toString(loginTimeout));
    }
    String url = NodeAddress.of(node).jdbcUrl();
    Connection c = new org.postgresql.Driver().connect(url, login);
    if (c == null) {
      throw new SQLException("node " + node + ": pgjdbc does not accept " + url, "08001");
    }
    try {
      check.get().check(node, c);
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("a node's user is fixed by its pool", "0A000");
  }

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public @org.jspecify.annotations.Nullable PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // pgjdbc logs through java.util.logging.
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("java.util.logging", "0A000");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName(), "0A000");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
