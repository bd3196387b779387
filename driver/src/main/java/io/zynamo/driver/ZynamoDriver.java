package io.zynamo.driver;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Engine;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.jdbc.ZynamoConnection;
import io.zynamo.driver.result.CloseAll;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC driver for {@code jdbc:zynamo://} URLs: parses the URL ({@link ZynamoUrl}), has the
 * {@link ConnectionFactory} open the engine and hands out a {@link ZynamoConnection} over it.
 *
 * <p>As the JDBC specification asks, {@link #connect} returns null for a URL of another driver, so
 * that {@code DriverManager} asks the next one. Not JDBC compliant ({@link #jdbcCompliant()}):
 * there are no transactions yet.
 */
public final class ZynamoDriver implements Driver {

  private final ConnectionFactory factory;

  static {
    try {
      // The one static JDBC asks for: DriverManager finds us through META-INF/services, which
      // loads this class; its instance (with its own engine) is the registered driver.
      DriverManager.registerDriver(new ZynamoDriver());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A driver with its own engine: connections to one cluster share its node pools. */
  public ZynamoDriver() {
    this(new Engine(Clock.systemUTC())::open);
  }

  /** A driver over {@code factory} (tests give a fake engine). */
  ZynamoDriver(ConnectionFactory factory) {
    this.factory = requireNonNull(factory, "factory");
  }

  /**
   * A connection to the cluster {@code url} names, or null when the URL is not a {@code
   * jdbc:zynamo:} one.
   *
   * @param info properties such as {@code user} and {@code password}; the URL's own win
   * @throws SQLException {@code 22023} for a malformed URL or property (never showing a password),
   *     or the factory's failure
   */
  @Override
  public @Nullable Connection connect(String url, @Nullable Properties info) throws SQLException {
    if (!ZynamoUrl.accepts(url)) {
      return null;
    }
    ZynamoUrl parsed = ZynamoUrl.parse(url, info);
    return open(factory, parsed);
  }

  /** Opens the engine and wraps it; the engine is closed again if wrapping fails. */
  static Connection open(ConnectionFactory factory, ZynamoUrl url) throws SQLException {
    StatementExecutor executor = factory.open(url);
    if (executor == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.INTERNAL_ERROR, "connection factory returned no engine for " + url);
    }
    try {
      return new ZynamoConnection(executor, url);
    } catch (RuntimeException e) {
      CloseAll.closeAfter(e, executor);
      throw e;
    }
  }

  @Override
  public boolean acceptsURL(@Nullable String url) {
    return ZynamoUrl.accepts(url);
  }

  /**
   * Every Zynamo property with its value as the URL and {@code info} give it (or its default), as
   * pgjdbc lists all of its properties for any URL; a password's value is never returned. When the
   * URL does not parse, the values come from {@code info} alone.
   */
  @Override
  public DriverPropertyInfo[] getPropertyInfo(@Nullable String url, @Nullable Properties info) {
    Map<ZynamoProperty, String> given = givenProperties(url, info);
    return Arrays.stream(ZynamoProperty.values())
        .map(p -> p.toDriverPropertyInfo(given.get(p)))
        .toArray(DriverPropertyInfo[]::new);
  }

  private static Map<ZynamoProperty, String> givenProperties(
      @Nullable String url, @Nullable Properties info) {
    if (url != null && ZynamoUrl.accepts(url)) {
      try {
        return ZynamoUrl.parse(url, info).properties();
      } catch (SQLException e) {
        // Fall back to info alone: getPropertyInfo helps build a URL that does parse.
      }
    }
    Map<ZynamoProperty, String> fromInfo = new EnumMap<>(ZynamoProperty.class);
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        ZynamoProperty.forName(name).ifPresent(p -> fromInfo.put(p, info.getProperty(name)));
      }
    }
    return fromInfo;
  }

  @Override
  public int getMajorVersion() {
    return DriverVersion.MAJOR;
  }

  @Override
  public int getMinorVersion() {
    return DriverVersion.MINOR;
  }

  /** False: JDBC compliance requires transactions, which Zynamo does not offer yet. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw (SQLFeatureNotSupportedException)
        ZynamoErrors.create(
            ZynamoSqlState.FEATURE_NOT_SUPPORTED,
            "getParentLogger is not supported: Zynamo does not log through java.util.logging");
  }
}
