package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationOk;
import io.zynamo.proxy.wire.BackendMessage.BackendKeyData;
import io.zynamo.proxy.wire.BackendMessage.NegotiateProtocolVersion;
import io.zynamo.proxy.wire.BackendMessage.ParameterStatus;
import io.zynamo.proxy.wire.BackendMessage.ReadyForQuery;
import io.zynamo.proxy.wire.BackendMessage.TransactionStatus;
import io.zynamo.proxy.wire.FrontendMessage.StartupMessage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The start of a session (protocol 55.2.1): checks the protocol version and the user, opens the
 * engine for the user and database, then sends AuthenticationOk, the ParameterStatus values clients
 * cache, BackendKeyData and ReadyForQuery. Authentication is trust: the proxy serves loopback
 * clients of the embedded default; password methods come with the configuration file. The
 * parameters are read once the engine is open, which is when the server version is known.
 */
final class Startup {

  private final ExecutorFactory factory;
  private final BackendKeys keys;
  private final Supplier<ServerParameters> parameters;
  private BackendKeys.@Nullable Key key;

  Startup(ExecutorFactory factory, BackendKeys keys, Supplier<ServerParameters> parameters) {
    this.factory = requireNonNull(factory, "factory");
    this.keys = requireNonNull(keys, "keys");
    this.parameters = requireNonNull(parameters, "parameters");
  }

  /**
   * Runs the startup exchange; returns the session's engine, or null after a FATAL ErrorResponse
   * (the caller closes the connection).
   */
  @Nullable StatementExecutor begin(
      StartupMessage message, Replies replies, BackendKeys.Cancellable session) {
    if (message.majorVersion() != 3) {
      replies.send(
          ErrorResponses.of(
              "FATAL",
              "0A000",
              "unsupported frontend protocol "
                  + message.majorVersion()
                  + "."
                  + message.minorVersion()
                  + ": server supports 3.0 to 3.0"));
      return null;
    }
    String user = message.parameters().getOrDefault("user", "");
    if (user.isEmpty()) {
      replies.send(
          ErrorResponses.of(
              "FATAL", "28000", "no PostgreSQL user name specified in startup packet"));
      return null;
    }
    String database = message.parameters().getOrDefault("database", "");
    StatementExecutor executor;
    try {
      executor = factory.open(user, database.isEmpty() ? user : database);
    } catch (SQLException e) {
      replies.send(ErrorResponses.fatal(e));
      return null;
    }
    negotiate(message, replies);
    replies.send(new AuthenticationOk());
    parameters
        .get()
        .forSession(message.parameters())
        .forEach((name, value) -> replies.send(new ParameterStatus(name, value)));
    BackendKeys.Key registered = keys.register(session);
    key = registered;
    replies.send(new BackendKeyData(registered.processId(), registered.secretKey()));
    replies.send(new ReadyForQuery(TransactionStatus.IDLE));
    replies.flush();
    return executor;
  }

  /** A newer minor version or protocol options ({@code _pq_.x}): say what this server speaks. */
  private static void negotiate(StartupMessage message, Replies replies) {
    List<String> options = new ArrayList<>();
    message.parameters().keySet().stream().filter(n -> n.startsWith("_pq_.")).forEach(options::add);
    if (message.minorVersion() > 0 || !options.isEmpty()) {
      replies.send(new NegotiateProtocolVersion(0, options));
    }
  }

  /** The session ended: its cancel key is no longer valid. */
  void end() {
    BackendKeys.Key registered = key;
    key = null;
    if (registered != null) {
      keys.unregister(registered);
    }
  }

  /** The ParameterStatus values of every session, plus the client's own application_name. */
  record ServerParameters(Map<String, String> values) {

    ServerParameters {
      values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** What the nodes run with: pgjdbc sets DateStyle ISO and the JVM's time zone on them. */
    static ServerParameters of(String serverVersion, String timeZone) {
      Map<String, String> values = new LinkedHashMap<>();
      values.put("server_version", serverVersion);
      values.put("server_encoding", "UTF8");
      values.put("client_encoding", "UTF8");
      values.put("DateStyle", "ISO, MDY");
      values.put("IntervalStyle", "postgres");
      values.put("integer_datetimes", "on");
      values.put("standard_conforming_strings", "on");
      values.put("TimeZone", timeZone);
      values.put("is_superuser", "off");
      return new ServerParameters(values);
    }

    Map<String, String> forSession(Map<String, String> startup) {
      Map<String, String> session = new LinkedHashMap<>(values);
      session.put("application_name", startup.getOrDefault("application_name", ""));
      session.put("session_authorization", startup.getOrDefault("user", ""));
      return session;
    }
  }
}
