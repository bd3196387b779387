package io.zynamo.proxy;

import static java.util.Objects.requireNonNull;

import io.zynamo.proxy.wire.MessageDecoder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a proxy serves and how: where it listens, the PostgreSQL nodes of the cluster behind it, and
 * its limits. Immutable; {@code with*} return changed copies.
 *
 * @param host the address to listen on ({@code 127.0.0.1} by default: trust authentication is only
 *     safe for local clients)
 * @param port the port; 0 picks a free one (tests)
 * @param nodes the seeds, {@code host:port} each: the engine learns the ring from them
 * @param clusterProperties engine and node connection properties for every session ({@code
 *     replicas}, {@code readQuorum}, {@code poolSize}...; see ZynamoProperty)
 * @param maxMessageBytes the largest Query, Parse or Bind message accepted
 * @param maxConnections client connections served at once; more are refused with 53300
 */
public record ProxyConfig(
    String host,
    int port,
    List<String> nodes,
    Map<String, String> clusterProperties,
    int maxMessageBytes,
    int maxConnections) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 6432;

  /** 16 MiB: far above what clients send for statements, far below the server's 1 GB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

  public static final int DEFAULT_MAX_CONNECTIONS = 100;

  public ProxyConfig {
    requireNonNull(host, "host");
    nodes = List.copyOf(nodes);
    clusterProperties = Collections.unmodifiableMap(new TreeMap<>(clusterProperties));
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
  }

  /** The defaults in front of {@code nodes}: 127.0.0.1:6432. */
  public static ProxyConfig of(List<String> nodes) {
    return new ProxyConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        nodes,
        Map.of(),
        DEFAULT_MAX_MESSAGE_BYTES,
        DEFAULT_MAX_CONNECTIONS);
  }

  public ProxyConfig withHost(String newHost) {
    return new ProxyConfig(
        newHost, port, nodes, clusterProperties, maxMessageBytes, maxConnections);
  }

  public ProxyConfig withPort(int newPort) {
    return new ProxyConfig(
        host, newPort, nodes, clusterProperties, maxMessageBytes, maxConnections);
  }

  public ProxyConfig withClusterProperties(Map<String, String> properties) {
    return new ProxyConfig(host, port, nodes, properties, maxMessageBytes, maxConnections);
  }

  public ProxyConfig withMaxMessageBytes(int bytes) {
    return new ProxyConfig(host, port, nodes, clusterProperties, bytes, maxConnections);
  }

  public ProxyConfig withMaxConnections(int connections) {
    return new ProxyConfig(host, port, nodes, clusterProperties, maxMessageBytes, connections);
  }
}
