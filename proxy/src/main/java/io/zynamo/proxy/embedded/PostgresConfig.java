package io.zynamo.proxy.embedded;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How local PostgreSQL servers are configured and started: durability, limits, preferred ports,
 * start timeout, where the binaries are cached and extra server settings.
 *
 * <p>Immutable; derive variants with the {@code with*} methods, starting from {@link #forTests()}
 * or {@link #durableDefaults()}.
 *
 * @param durable keep fsync and full_page_writes on; tests turn them off (committed data then
 *     survives a server crash but not a machine crash)
 * @param maxConnections the server's {@code max_connections}
 * @param maxPreparedTransactions {@code max_prepared_transactions}, needed by two-phase commit
 * @param firstPreferredPort node i prefers port {@code firstPreferredPort + i} when it is free on
 *     first start; 0 means any free port
 * @param startTimeout how long {@code pg_ctl start} may wait for a server to accept connections
 * @param cacheRoot the folder holding the unpacked binaries and the initdb template
 * @param extraSettings further {@code postgresql.conf} settings, applied last
 */
public record PostgresConfig(
    boolean durable,
    int maxConnections,
    int maxPreparedTransactions,
    int firstPreferredPort,
    Duration startTimeout,
    Path cacheRoot,
    Map<String, String> extraSettings) {

  public PostgresConfig {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected >= 1)");
    }
    if (maxPreparedTransactions < 0) {
      throw new IllegalArgumentException(
          "maxPreparedTransactions: " + maxPreparedTransactions + " (expected >= 0)");
    }
    if (firstPreferredPort < 0 || firstPreferredPort > 65535) {
      throw new IllegalArgumentException(
          "firstPreferredPort: " + firstPreferredPort + " (expected 0 for any, or 1..65535)");
    }
    requireNonNull(startTimeout, "startTimeout");
    if (startTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("startTimeout: " + startTimeout + " (expected >= 1s)");
    }
    requireNonNull(cacheRoot, "cacheRoot");
    extraSettings = Collections.unmodifiableMap(new LinkedHashMap<>(extraSettings));
  }

  /** Throw-away servers: no fsync, small shared buffers, any free ports. */
  public static PostgresConfig forTests() {
    return new PostgresConfig(
        false,
        100,
        64,
        0,
        Duration.ofSeconds(60),
        defaultCacheRoot(),
        Map.of("shared_buffers", "32MB"));
  }

  /** Servers that keep their data safe across crashes: fsync on, any free ports. */
  public static PostgresConfig durableDefaults() {
    return forTests().withDurable(true).withExtraSettings(Map.of());
  }

  /** {@code java.io.tmpdir}: it is world-searchable, unlike {@code $HOME} of root. */
  public static Path defaultCacheRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  public PostgresConfig withDurable(boolean value) {
    return new PostgresConfig(
        value,
        maxConnections,
        maxPreparedTransactions,
        firstPreferredPort,
        startTimeout,
        cacheRoot,
        extraSettings);
  }

  public PostgresConfig withFirstPreferredPort(int value) {
    return new PostgresConfig(
        durable,
        maxConnections,
        maxPreparedTransactions,
        value,
        startTimeout,
        cacheRoot,
        extraSettings);
  }

  public PostgresConfig withStartTimeout(Duration value) {
    return new PostgresConfig(
        durable,
        maxConnections,
        maxPreparedTransactions,
        firstPreferredPort,
        value,
        cacheRoot,
        extraSettings);
  }

  public PostgresConfig withCacheRoot(Path value) {
    return new PostgresConfig(
        durable,
        maxConnections,
        maxPreparedTransactions,
        firstPreferredPort,
        startTimeout,
        value,
        extraSettings);
  }

  public PostgresConfig withExtraSettings(Map<String, String> value) {
    return new PostgresConfig(
        durable,
        maxConnections,
        maxPreparedTransactions,
        firstPreferredPort,
        startTimeout,
        cacheRoot,
        value);
  }

  /**
   * The server settings for one node listening on {@code port}, in the order they are written.
   *
   * <p>{@code unix_socket_directories} is empty so nodes never collide on {@code /tmp/.s.PGSQL.*};
   * {@code wal_level = logical} is set now because changing it later needs a restart.
   */
  public Map<String, String> serverSettings(int port) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("listen_addresses", "127.0.0.1");
    settings.put("port", Integer.toString(port));
    settings.put("unix_socket_directories", "");
    settings.put("max_connections", Integer.toString(maxConnections));
    settings.put("max_prepared_transactions", Integer.toString(maxPreparedTransactions));
    settings.put("wal_level", "logical");
    String onOff = durable ? "on" : "off";
    settings.put("fsync", onOff);
    settings.put("full_page_writes", onOff);
    // Always on: a commit then writes its WAL to the OS before returning, so with fsync off it
    // still survives a crash of the server (not of the machine). Off would lose the last commits
    // on an immediate stop, and tests crash nodes on purpose.
    settings.put("synchronous_commit", "on");
    settings.putAll(extraSettings);
    return settings;
  }
}
