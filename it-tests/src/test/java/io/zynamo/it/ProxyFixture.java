package io.zynamo.it;

import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.embedded.PostgresCluster;
import java.util.Map;

/** A proxy configuration in front of a test cluster, on a free port. */
final class ProxyFixture {

  private ProxyFixture() {}

  static ProxyConfig config(PostgresCluster nodes) {
    return ProxyConfig.of(NodeSql.addresses(nodes.nodes()))
        .withPort(0)
        .withClusterProperties(Map.of("replicas", "3", "readQuorum", "2", "writeQuorum", "2"));
  }
}
