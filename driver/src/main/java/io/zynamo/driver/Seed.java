package io.zynamo.driver;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.NodeId;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One host listed in a Zynamo URL: a node the driver asks for the ring.
 *
 * <p>The host is kept in one canonical spelling (lower case; an IPv6 address without brackets), so
 * that {@code H1:5432} and {@code h1} are the same seed. Names are not resolved and IPv6 spellings
 * not unified: {@code localhost} and {@code 127.0.0.1}, or {@code ::1} and {@code 0:0:0:0:0:0:0:1},
 * stay two seeds.
 *
 * @param host a host name, an IPv4 address or an IPv6 address (no brackets)
 * @param port 1..65535
 */
public record Seed(String host, int port) {

  /** PostgreSQL's port, used when a URL names none. */
  public static final int DEFAULT_PORT = 5432;

  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9._-]+");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(%[a-z0-9._-]+)?");

  public Seed {
    requireNonNull(host, "host");
    host = host.toLowerCase(Locale.ROOT);
    if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "host: '"
              + host
              + "' (expected: a host name, an IPv4 address or an IPv6 address in brackets)");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
  }

  /** The seed on PostgreSQL's default port. */
  public static Seed of(String host) {
    return new Seed(host, DEFAULT_PORT);
  }

  /** The node this seed names in {@code database}: {@code host:port/database}. */
  public NodeId nodeId(String database) {
    return NodeId.of(hostForUrl(), port, database);
  }

  /** The host as a URL writes it: an IPv6 address in brackets. */
  public String hostForUrl() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  /** {@code host:port}, IPv6 in brackets: {@code [::1]:5432}. */
  @Override
  public String toString() {
    return hostForUrl() + ":" + port;
  }
}
