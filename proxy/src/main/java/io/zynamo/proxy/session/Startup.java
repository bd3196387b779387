package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.proxy.auth.Authenticator;
import io.zynamo.proxy.wire.BackendMessage;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationOk;
import io.zynamo.proxy.wire.BackendMessage.BackendKeyData;
import io.zynamo.proxy.wire.BackendMessage.NegotiateProtocolVersion;
import io.zynamo.proxy.wire.BackendMessage.ParameterStatus;
import io.zynamo.proxy.wire.BackendMessage.ReadyForQuery;
import io.zynamo.proxy.wire.BackendMessage.TransactionStatus;
import io.zynamo.proxy.wire.FrontendMessage;
import io.zynamo.proxy.wire.FrontendMessage.PasswordMessage;
import io.zynamo.proxy.wire.FrontendMessage.StartupMessage;
import io.zynamo.proxy.wire.Utf8;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The start of a session (protocol 55.2.1): checks the protocol version and the user, opens the
 * engine for the user and database, then sends AuthenticationOk, the ParameterStatus values clients
 * cache, BackendKeyData and ReadyForQuery. Authentication is trust: the proxy serves loopback
 * clients of the embedded default; password methods come with the configuration file. The
 * parameters are read once the engine is open, which is when the server version is known.
 */
final class Startup {

  /** Where the exchange stands. */
  enum State {
    EXPECT_STARTUP,
    EXPECT_PASSWORD,
    READY,
    FAILED
  }

  private final ExecutorFactory factory;
  private final BackendKeys keys;
  private final Supplier<ServerParameters> parameters;
  private final Authenticator authenticator;
  private final Duration statementTimeout;
  private State state = State.EXPECT_STARTUP;
  private @Nullable StartupMessage startup;
  private Authenticator.@Nullable Exchange exchange;
  private BackendKeys.@Nullable Key key;

  Startup(
      ExecutorFactory factory,
      BackendKeys keys,
      Supplier<ServerParameters> parameters,
      Authenticator authenticator,
      Duration statementTimeout) {
    this.statementTimeout = requireNonNull(statementTimeout, "statementTimeout");
    this.factory = requireNonNull(factory, "factory");
    this.keys = requireNonNull(keys, "keys");
    this.parameters = requireNonNull(parameters, "parameters");
    this.authenticator = requireNonNull(authenticator, "authenticator");
  }

  State state() {
    return state;
  }

  /**
   * Handles one message of the startup phase; returns the session's engine once the session is
   * ready, else null: waiting for a password ({@link State#EXPECT_PASSWORD}) or failed after a
   * FATAL ErrorResponse ({@link State#FAILED}; the caller closes the connection).
   */
  @Nullable StatementExecutor handle(
      FrontendMessage message, Replies replies, BackendKeys.Cancellable session) {
    if (state == State.EXPECT_STARTUP && message instanceof StartupMessage startupMessage) {
      return begin(startupMessage, replies, session);
    }
    if (state == State.EXPECT_PASSWORD && message instanceof PasswordMessage password) {
      return step(requireNonNull(exchange).next(password.data()), replies, session);
    }
    return fail(
        replies,
        ZynamoSqlState.PROTOCOL_VIOLATION,
        "invalid message during startup: " + message.getClass().getSimpleName());
  }

  private @Nullable StatementExecutor begin(
      StartupMessage message, Replies replies, BackendKeys.Cancellable session) {
    if (message.majorVersion() != 3) {
      return fail(
          replies,
          ZynamoSqlState.FEATURE_NOT_SUPPORTED,
          "unsupported frontend protocol "
              + message.majorVersion()
              + "."
              + message.minorVersion()
              + ": server supports 3.0 to 3.0");
    }
    String user = message.parameters().getOrDefault("user", "");
    if (user.isEmpty()) {
      return fail(
          replies,
          ZynamoSqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "no PostgreSQL user name specified in startup packet");
    }
    String encoding = message.parameters().get("client_encoding");
    if (encoding != null && !Utf8.isUtf8Name(encoding)) {
      return fail(
          replies,
          ZynamoSqlState.FEATURE_NOT_SUPPORTED,
          "client_encoding \""
              + encoding
              + "\" is not supported by the proxy (expected UTF8; set PGCLIENTENCODING=UTF8)");
    }
    startup = message;
    negotiate(message, replies);
    Authenticator.Exchange started = authenticator.begin(user);
    exchange = started;
    return step(started.first(), replies, session);
  }

  private @Nullable StatementExecutor step(
      Authenticator.Step step, Replies replies, BackendKeys.Cancellable session) {
    if (step instanceof Authenticator.Challenge challenge) {
      state = State.EXPECT_PASSWORD;
      replies.send(challenge.message());
      replies.flush();
      return null;
    }
    if (step instanceof Authenticator.Failure failure) {
      return fail(replies, failure.state(), failure.message());
    }
    BackendMessage last = ((Authenticator.Success) step).last();
    if (last != null) {
      replies.send(last);
    }
    return open(requireNonNull(startup), replies, session);
  }

  private @Nullable StatementExecutor open(
      StartupMessage message, Replies replies, BackendKeys.Cancellable session) {
    String user = message.parameters().get("user");
    String database = message.parameters().getOrDefault("database", "");
    StatementExecutor executor;
    try {
      executor = factory.open(user, database.isEmpty() ? user : database);
    } catch (SQLException e) {
      state = State.FAILED;
      replies.send(ErrorResponses.fatal(e));
      return null;
    }
    try {
      String timeout = statementTimeout(message.parameters());
      if (timeout != null) {
        executor.execute(
            "SET statement_timeout = '" + timeout.replace("'", "''") + "'", List.of(), false);
      }
    } catch (SQLException e) {
      state = State.FAILED;
      replies.send(ErrorResponses.fatal(e));
      try {
        executor.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      return null;
    }
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
    state = State.READY;
    return executor;
  }

  private @Nullable StatementExecutor fail(
      Replies replies, ZynamoSqlState sqlState, String message) {
    state = State.FAILED;
    replies.send(ErrorResponses.of("FATAL", sqlState, message));
    return null;
  }

  /** {@code -c statement_timeout=5s} or {@code --statement_timeout=5s} in the options. */
  private static final Pattern TIMEOUT_OPTION =
      Pattern.compile("(?:^|\\s)(?:-c\\s*|--)statement_timeout=(\\S+)");

  /**
   * The session's initial statement timeout: the client's (a {@code statement_timeout} startup
   * parameter, as node-postgres sends it, or in {@code options}, as libpq's {@code PGOPTIONS}),
   * else the proxy's; null: none.
   */
  private @Nullable String statementTimeout(Map<String, String> parameters) {
    String given = parameters.get("statement_timeout");
    if (given != null) {
      return given;
    }
    Matcher option = TIMEOUT_OPTION.matcher(parameters.getOrDefault("options", ""));
    if (option.find()) {
      return option.group(1);
    }
    return statementTimeout.isZero() ? null : statementTimeout.toMillis() + "ms";
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
