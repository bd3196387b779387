package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.auth.Authenticator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * What all sessions of one proxy share: the engine factory, the authenticator, the cancel keys, the
 * connection limit and the server version the nodes report (learned from the first session and then
 * sent to every client as {@code server_version}).
 */
public final class Sessions {

  private final ExecutorFactory factory;
  private final Authenticator authenticator;
  private final BackendKeys keys;
  private final int maxConnections;
  private final int maxMessageBytes;
  private final @Nullable SslContext tls;
  private final boolean tlsRequired;
  private final ProxyConfig.Timeouts timeouts;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicReference<@Nullable String> serverVersion = new AtomicReference<>();

  public Sessions(
      ExecutorFactory factory,
      Authenticator authenticator,
      BackendKeys keys,
      int maxConnections,
      int maxMessageBytes,
      @Nullable SslContext tls,
      boolean tlsRequired,
      ProxyConfig.Timeouts timeouts) {
    this.timeouts = requireNonNull(timeouts, "timeouts");
    this.factory = requireNonNull(factory, "factory");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.keys = requireNonNull(keys, "keys");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected >= 1)");
    }
    this.maxConnections = maxConnections;
    this.maxMessageBytes = maxMessageBytes;
    this.tls = tls;
    this.tlsRequired = tlsRequired;
    if (tlsRequired && tls == null) {
      throw new IllegalArgumentException("tlsRequired without a TLS context");
    }
  }

  /** The handler of a newly accepted connection. */
  public ConnectionHandler newHandler(Channel channel) {
    Replies replies = new Replies(channel);
    ExecutorFactory versioned = this::openRecordingVersion;
    Startup startup =
        new Startup(
            versioned,
            keys,
            () ->
                Startup.ServerParameters.of(
                    requireNonNull(serverVersion.get(), "serverVersion"),
                    TimeZone.getDefault().getID()),
            authenticator,
            timeouts.statement());
    Session.Timer timer =
        (task, delay) -> {
          var scheduled = channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
          return () -> scheduled.cancel(false);
        };
    return new ConnectionHandler(
        this,
        replies,
        new Session(startup, replies, maxMessageBytes, timeouts, timer),
        keys,
        tls,
        tlsRequired);
  }

  private StatementExecutor openRecordingVersion(String user, String database) throws SQLException {
    StatementExecutor executor = factory.open(user, database);
    if (serverVersion.get() == null) {
      try {
        serverVersion.compareAndSet(null, showServerVersion(executor));
      } catch (SQLException e) {
        executor.close();
        throw e;
      }
    }
    return executor;
  }

  /**
   * The nodes' version, asked through the engine like any statement (the engine's metadata would
   * keep a node connection for the whole session).
   */
  private static String showServerVersion(StatementExecutor executor) throws SQLException {
    Outcome outcome = executor.execute("SHOW server_version", List.of(), false);
    if (outcome instanceof Outcome.Rows rows) {
      try (ResultSet rs = rows.rows()) {
        if (rs.next() && rs.getString(1) != null) {
          return rs.getString(1);
        }
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.INTERNAL_ERROR, "SHOW server_version returned no row: " + outcome);
  }

  /** Counts a new connection; false (and not counted) when the limit is reached. */
  boolean admit() {
    if (connections.incrementAndGet() > maxConnections) {
      connections.decrementAndGet();
      return false;
    }
    return true;
  }

  void release() {
    connections.decrementAndGet();
  }

  /** Live connections. */
  public int connections() {
    return connections.get();
  }
}
