package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.HostId;
import io.zynamo.ring.NodeId;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where a node is: the host, port and database that its {@link NodeId} ({@code host:port/db}, with
 * IPv6 hosts in brackets) names.
 */
public record NodeAddress(String host, int port, String database) {

  public NodeAddress {
    requireNonNull(host, "host");
    requireNonNull(database, "database");
    if (host.isBlank() || database.isBlank()) {
      throw new IllegalArgumentException("node address: empty host or database");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("node port: " + port + " (expected: 1..65535)");
    }
  }

  /** Parses {@code host:port/db} or {@code [v6]:port/db}. */
  public static NodeAddress of(NodeId node) {
    String id = node.value();
    int slash = id.lastIndexOf('/');
    int colon = slash < 0 ? -1 : id.lastIndexOf(':', slash);
    if (slash < 0 || colon < 0) {
      throw new IllegalArgumentException("node id: '" + id + "' (expected: host:port/database)");
    }
    String host = id.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new NodeAddress(
          host, Integer.parseInt(id.substring(colon + 1, slash)), id.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("node id: '" + id + "' (expected: a numeric port)", e);
    }
  }

  /** The canonical node id of this address. */
  public NodeId nodeId() {
    return new NodeId(hostPart() + ":" + port + "/" + database);
  }

  /** The pgjdbc URL of this node. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + hostPart() + ":" + port + "/" + database;
  }

  /**
   * The failure domain of this node: its host, except that nodes on a loopback address count as
   * separate hosts ({@code host:port}), so a local cluster can model several machines. Nodes
   * sharing a real address share a host and never hold two replicas of one bucket.
   */
  public HostId failureDomain() {
    return new HostId(isLoopback() ? hostPart() + ":" + port : host);
  }

  private boolean isLoopback() {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!host.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 || ch == '.' || ch == ':')) {
      return false; // a name: resolving it here would cost a DNS lookup on every connect
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private String hostPart() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
