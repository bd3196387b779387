package io.zynamo.it.bench;

import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresNode;
import java.util.List;
import java.util.Map;

/** How the benchmarks reach a group of nodes: the Zynamo driver's URL, or an in-process proxy. */
final class FrontEnds {

  private FrontEnds() {}

  /** The nodes as {@code host:port} seeds. */
  static List<String> seeds(List<PostgresNode> members) {
    return members.stream().map(n -> n.host() + ":" + n.port()).toList();
  }

  /** {@code jdbc:zynamo://seeds/postgres?properties}. */
  static String zynamoUrl(List<PostgresNode> members, String properties) {
    return "jdbc:zynamo://" + String.join(",", seeds(members)) + "/postgres?" + properties;
  }

  /** A proxy on a free port in front of {@code members}, creating the ring with {@code cluster}. */
  static ProxyServer proxy(List<PostgresNode> members, Map<String, String> cluster)
      throws InterruptedException {
    return ProxyServer.start(
        ProxyConfig.of(seeds(members)).withPort(0).withClusterProperties(cluster));
  }

  /** pgjdbc's URL for the proxy's {@code postgres} database. */
  static String pgjdbcTo(ProxyServer proxy) {
    return "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/postgres";
  }
}
