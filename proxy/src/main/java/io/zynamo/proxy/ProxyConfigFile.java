package io.zynamo.proxy;

import io.zynamo.proxy.auth.AuthMethod;
import io.zynamo.proxy.auth.Credential;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a proxy configuration file (Java properties, UTF-8), for a proxy in front of an existing
 * set of PostgreSQL servers:
 *
 * <pre>
 *   listen = 0.0.0.0:6432                     # default 127.0.0.1:6432
 *   nodes = db1:5432,db2:5432,db3:5432         # required: the seeds
 *   auth = scram-sha-256                      # trust | password | md5 | scram-sha-256
 *   user.alice = SCRAM-SHA-256$4096:...       # or md5..., or the password itself
 *   cluster.user = zynamo                     # node credentials; without, the client's user
 *   cluster.password = ...
 *   cluster.replicas = 3                      # any other engine or pgjdbc property
 *   maxConnections = 100
 *   maxMessageBytes = 16777216
 *   tls.certificate = /etc/zynamo/server.crt  # PEM; with tls.key: SSLRequest is answered 'S'
 *   tls.key = /etc/zynamo/server.key          # PEM PKCS#8, unencrypted
 *   tls.required = false                      # true: clients without TLS are refused
 *   statementTimeout = 0                      # each session's initial statement_timeout
 *   idleSessionTimeout = 0                    # close sessions idle longer (57P05)
 *   idleInTransactionTimeout = 0              # close sessions idle in a transaction (25P03)
 * </pre>
 *
 * Timeouts are milliseconds, or a number with a unit (ms, s, min, h, d); 0 is no limit.
 *
 * <p>{@code auth} defaults to scram-sha-256 when users are listed, else trust (loopback only). An
 * unknown key is an error, so a misspelt one is never silently ignored.
 */
public final class ProxyConfigFile {

  private static final List<String> KEYS =
      List.of(
          "listen",
          "nodes",
          "auth",
          "maxConnections",
          "maxMessageBytes",
          "tls.certificate",
          "tls.key",
          "tls.required",
          "statementTimeout",
          "idleSessionTimeout",
          "idleInTransactionTimeout");

  private ProxyConfigFile() {}

  /**
   * The configuration in {@code file}.
   *
   * @throws IllegalArgumentException naming the key at fault (never a secret)
   * @throws IOException if the file cannot be read
   */
  public static ProxyConfig load(Path file, Random random) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return parse(properties, random);
  }

  static ProxyConfig parse(Properties properties, Random random) {
    Map<String, String> cluster = new LinkedHashMap<>();
    Map<String, Credential> users = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
      String value = properties.getProperty(key).trim();
      if (key.startsWith("cluster.") && key.length() > "cluster.".length()) {
        cluster.put(key.substring("cluster.".length()), value);
      } else if (key.startsWith("user.") && key.length() > "user.".length()) {
        String user = key.substring("user.".length());
        users.put(user, Credential.parse(user, value, random));
      } else if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key '" + key + "' (expected " + KEYS + ", cluster.* or user.*)");
      }
    }
    String nodes = properties.getProperty("nodes", "").trim();
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("nodes: missing (expected host:port,host:port,...)");
    }
    String auth = properties.getProperty("auth");
    AuthMethod method =
        auth != null
            ? AuthMethod.forName(auth)
            : users.isEmpty() ? AuthMethod.TRUST : AuthMethod.SCRAM_SHA_256;
    ProxyConfig config =
        ProxyConfig.of(Arrays.stream(nodes.split(",", -1)).map(String::trim).toList())
            .withClusterProperties(cluster)
            .withAuth(method, users);
    String listen = properties.getProperty("listen");
    if (listen != null) {
      int colon = listen.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("listen: '" + listen + "' (expected host:port)");
      }
      config =
          config
              .withHost(listen.substring(0, colon).trim().replaceAll("^\\[|]$", ""))
              .withPort(number("listen port", listen.substring(colon + 1)));
    }
    String connections = properties.getProperty("maxConnections");
    if (connections != null) {
      config = config.withMaxConnections(number("maxConnections", connections));
    }
    config = config.withTls(tls(properties));
    String bytes = properties.getProperty("maxMessageBytes");
    if (bytes != null) {
      config = config.withMaxMessageBytes(number("maxMessageBytes", bytes));
    }
    return config.withTimeouts(
        new ProxyConfig.Timeouts(
            duration(properties, "statementTimeout"),
            duration(properties, "idleSessionTimeout"),
            duration(properties, "idleInTransactionTimeout")));
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|min|h|d)?");

  /** A timeout: milliseconds, or a number with a unit; zero when absent. */
  private static Duration duration(Properties properties, String key) {
    String value = properties.getProperty(key, "0").trim();
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          key + ": '" + value + "' (expected milliseconds, or a number with ms, s, min, h or d)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(n);
      case "min" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofMillis(n);
    };
  }

  /** tls.certificate and tls.key (PEM files), both or neither; tls.required needs them. */
  private static ProxyConfig.@Nullable Tls tls(Properties properties) {
    String certificate = properties.getProperty("tls.certificate");
    String key = properties.getProperty("tls.key");
    String required = properties.getProperty("tls.required", "false").trim();
    if (!required.equals("true") && !required.equals("false")) {
      throw new IllegalArgumentException(
          "tls.required: '" + required + "' (expected true or false)");
    }
    if (certificate == null && key == null) {
      if (required.equals("true")) {
        throw new IllegalArgumentException("tls.required without tls.certificate and tls.key");
      }
      return null;
    }
    if (certificate == null || key == null) {
      throw new IllegalArgumentException("tls.certificate and tls.key: both or neither");
    }
    return new ProxyConfig.Tls(
        Path.of(certificate.trim()), Path.of(key.trim()), Boolean.parseBoolean(required));
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' (expected a number)", e);
    }
  }
}
