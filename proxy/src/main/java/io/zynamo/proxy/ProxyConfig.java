package io.zynamo.proxy;

import static java.util.Objects.requireNonNull;

import io.zynamo.proxy.auth.AuthMethod;
import io.zynamo.proxy.auth.Credential;
import io.zynamo.proxy.wire.MessageDecoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a proxy serves and how: where it listens, the PostgreSQL nodes of the cluster behind it, who
 * may connect, and its limits. Immutable; {@code with*} return changed copies.
 *
 * @param host the address to listen on ({@code 127.0.0.1} by default)
 * @param port the port; 0 picks a free one (tests)
 * @param nodes the seeds, {@code host:port} each: the engine learns the ring from them
 * @param clusterProperties engine and node connection properties for every session ({@code
 *     replicas}, {@code readQuorum}, {@code poolSize}...; see ZynamoProperty). With the property
 *     "user" (and "password") every session reaches the nodes as that user; without, as the user
 *     the client logged in as
 * @param auth how clients authenticate; {@link AuthMethod#TRUST} only on a loopback address
 * @param users the users and their secrets, for the password methods
 * @param maxMessageBytes the largest Query, Parse or Bind message accepted
 * @param maxConnections client connections served at once; more are refused with 53300
 * @param tls the certificate and key for TLS after SSLRequest; null: SSLRequest is refused
 * @param timeouts the statement and idle timeouts of every session
 */
public record ProxyConfig(
    String host,
    int port,
    List<String> nodes,
    Map<String, String> clusterProperties,
    AuthMethod auth,
    Map<String, Credential> users,
    int maxMessageBytes,
    int maxConnections,
    @Nullable Tls tls,
    Timeouts timeouts) {

  /**
   * How long a session may take; {@link Duration#ZERO}: no limit (the default of each, as in
   * PostgreSQL).
   *
   * @param statement each session's initial {@code statement_timeout} (a session may SET its own)
   * @param idleSession a session waiting for the client's next statement outside a transaction
   *     longer than this is closed (57P05, as PostgreSQL's {@code idle_session_timeout})
   * @param idleInTransaction a session waiting for the client inside a transaction block longer
   *     than this is closed, its transaction rolled back (25P03, as PostgreSQL's {@code
   *     idle_in_transaction_session_timeout})
   */
  public record Timeouts(Duration statement, Duration idleSession, Duration idleInTransaction) {
    public static final Timeouts NONE = new Timeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Timeouts {
      for (Duration d : List.of(statement, idleSession, idleInTransaction)) {
        if (d.isNegative()) {
          throw new IllegalArgumentException("timeout: " + d + " (expected >= 0)");
        }
      }
    }
  }

  /**
   * TLS for clients that ask for it (SSLRequest).
   *
   * @param certificate the PEM certificate chain
   * @param key the PEM PKCS#8 private key, unencrypted
   * @param required whether a client that does not ask for TLS is refused (28000)
   */
  public record Tls(Path certificate, Path key, boolean required) {
    public Tls {
      requireNonNull(certificate, "certificate");
      requireNonNull(key, "key");
    }
  }

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 6432;

  /** 16 MiB: far above what clients send for statements, far below the server's 1 GB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

  public static final int DEFAULT_MAX_CONNECTIONS = 100;

  public ProxyConfig {
    requireNonNull(host, "host");
    requireNonNull(auth, "auth");
    requireNonNull(timeouts, "timeouts");
    nodes = List.copyOf(nodes);
    clusterProperties = Collections.unmodifiableMap(new TreeMap<>(clusterProperties));
    users = Collections.unmodifiableMap(new TreeMap<>(users));
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected 0..65535)");
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes: none (expected at least one host:port)");
    }
    if (maxMessageBytes < MessageDecoder.SMALL_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes: "
              + maxMessageBytes
              + " (expected >= "
              + MessageDecoder.SMALL_MESSAGE_BYTES
              + ")");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected >= 1)");
    }
    if (auth == AuthMethod.TRUST && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "auth: trust on " + host + " (expected a loopback address, or a password method)");
    }
    if (auth != AuthMethod.TRUST && users.isEmpty()) {
      throw new IllegalArgumentException(
          "users: none (expected at least one for " + auth.configName() + ")");
    }
  }

  /** The defaults in front of {@code nodes}: 127.0.0.1:6432, trust. */
  public static ProxyConfig of(List<String> nodes) {
    return new ProxyConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        nodes,
        Map.of(),
        AuthMethod.TRUST,
        Map.of(),
        DEFAULT_MAX_MESSAGE_BYTES,
        DEFAULT_MAX_CONNECTIONS,
        null,
        Timeouts.NONE);
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  public ProxyConfig withHost(String newHost) {
    return new ProxyConfig(
        newHost,
        port,
        nodes,
        clusterProperties,
        auth,
        users,
        maxMessageBytes,
        maxConnections,
        tls,
        timeouts);
  }

  public ProxyConfig withPort(int newPort) {
    return new ProxyConfig(
        host,
        newPort,
        nodes,
        clusterProperties,
        auth,
        users,
        maxMessageBytes,
        maxConnections,
        tls,
        timeouts);
  }

  public ProxyConfig withClusterProperties(Map<String, String> properties) {
    return new ProxyConfig(
        host, port, nodes, properties, auth, users, maxMessageBytes, maxConnections, tls, timeouts);
  }

  public ProxyConfig withAuth(AuthMethod method, Map<String, Credential> newUsers) {
    return new ProxyConfig(
        host,
        port,
        nodes,
        clusterProperties,
        method,
        newUsers,
        maxMessageBytes,
        maxConnections,
        tls,
        timeouts);
  }

  public ProxyConfig withMaxMessageBytes(int bytes) {
    return new ProxyConfig(
        host, port, nodes, clusterProperties, auth, users, bytes, maxConnections, tls, timeouts);
  }

  public ProxyConfig withMaxConnections(int connections) {
    return new ProxyConfig(
        host,
        port,
        nodes,
        clusterProperties,
        auth,
        users,
        maxMessageBytes,
        connections,
        tls,
        timeouts);
  }

  public ProxyConfig withTls(@Nullable Tls newTls) {
    return new ProxyConfig(
        host,
        port,
        nodes,
        clusterProperties,
        auth,
        users,
        maxMessageBytes,
        maxConnections,
        newTls,
        timeouts);
  }

  public ProxyConfig withTimeouts(Timeouts newTimeouts) {
    return new ProxyConfig(
        host,
        port,
        nodes,
        clusterProperties,
        auth,
        users,
        maxMessageBytes,
        maxConnections,
        tls,
        newTimeouts);
  }

  /** The configuration without secrets: cluster passwords show as {@code ***}. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>(clusterProperties);
    shown.replaceAll(
        (k, v) -> k.toLowerCase(java.util.Locale.ROOT).contains("password") ? "***" : v);
    return "ProxyConfig["
        + host
        + ":"
        + port
        + ", nodes="
        + nodes
        + ", cluster="
        + shown
        + ", auth="
        + auth.configName()
        + ", users="
        + users.keySet()
        + ", maxMessageBytes="
        + maxMessageBytes
        + ", maxConnections="
        + maxConnections
        + ", tls="
        + tls
        + ", timeouts="
        + timeouts
        + "]";
  }
}
