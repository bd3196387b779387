package io.zynamo.driver;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Engine;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} for one Zynamo cluster, configured with setters as pools and frameworks
 * expect: {@link #setUrl}, {@link #setUser}, {@link #setPassword}, {@link #setLoginTimeout}.
 *
 * <p>The user, password and login timeout are passed as connection properties, so a value in the
 * URL's query wins over them, the same rule as {@code DriverManager.getConnection(url, user,
 * password)} (see {@link ZynamoUrl}). Not thread-safe to configure; safe to use once configured.
 */
public final class ZynamoDataSource implements DataSource {

  private final ConnectionFactory factory;
  private volatile @Nullable String url;
  private volatile @Nullable String user;
  private volatile @Nullable String password;
  private volatile int loginTimeoutSeconds;
  private volatile @Nullable PrintWriter logWriter;

  /** A data source with its own engine: its connections share one set of node pools. */
  public ZynamoDataSource() {
    this(new Engine(Clock.systemUTC())::open);
  }

  /** A data source over {@code factory} (tests give a fake engine). */
  ZynamoDataSource(ConnectionFactory factory) {
    this.factory = requireNonNull(factory, "factory");
  }

  /** The {@code jdbc:zynamo://...} URL of the cluster. */
  public void setUrl(@Nullable String url) {
    this.url = url;
  }

  public @Nullable String getUrl() {
    return url;
  }

  public void setUser(@Nullable String user) {
    this.user = user;
  }

  public @Nullable String getUser() {
    return user;
  }

  /** Write-only: there is no getter, so the password cannot be read back or logged by a tool. */
  public void setPassword(@Nullable String password) {
    this.password = password;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connect(user, password);
  }

  /** A connection as this user; the URL's own {@code user} and {@code password}, if any, win. */
  @Override
  public Connection getConnection(@Nullable String username, @Nullable String password)
      throws SQLException {
    return connect(username, password);
  }

  private Connection connect(@Nullable String username, @Nullable String secret)
      throws SQLException {
    String target = url;
    if (target == null || !ZynamoUrl.accepts(target)) {
      throw ZynamoErrors.create(
          ZynamoSqlState.INVALID_PARAMETER_VALUE,
          "url: "
              + (target == null ? "not set" : "not a Zynamo URL")
              + " (expected: jdbc:zynamo://host:port,.../database)");
    }
    Properties info = new Properties();
    if (username != null) {
      info.setProperty(ZynamoProperty.USER.propertyName(), username);
    }
    if (secret != null) {
      info.setProperty(ZynamoProperty.PASSWORD.propertyName(), secret);
    }
    if (loginTimeoutSeconds > 0) {
      info.setProperty(
          ZynamoProperty.LOGIN_TIMEOUT.propertyName(), Integer.toString(loginTimeoutSeconds));
    }
    return ZynamoDriver.open(factory, ZynamoUrl.parse(target, info));
  }

  /** Seconds {@code getConnection} may take, 0 (the default) for the URL's or DriverManager's. */
  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    if (seconds < 0) {
      throw ZynamoErrors.invalidValue("loginTimeout", Integer.toString(seconds), ">= 0 seconds");
    }
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  /** Stored for {@link #getLogWriter()}; Zynamo writes nothing to it. */
  @Override
  public void setLogWriter(@Nullable PrintWriter out) {
    logWriter = out;
  }

  @Override
  public @Nullable PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw (SQLFeatureNotSupportedException)
        ZynamoErrors.create(
            ZynamoSqlState.FEATURE_NOT_SUPPORTED,
            "getParentLogger is not supported: Zynamo does not log through java.util.logging");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.FEATURE_NOT_SUPPORTED, "not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
