package io.zynamo.it;

import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.util.List;
import java.util.Map;

/** A proxy configuration in front of a test cluster, on a free port. */
final class ProxyFixture {

  private ProxyFixture() {}

  static ProxyConfig config(PostgresCluster nodes) {
    return config(nodes.nodes());
  }

  /** In front of some of a test's nodes (the others serve as plain PostgreSQL references). */
  static ProxyConfig config(List<PostgresNode> members) {
    return ProxyConfig.of(NodeSql.addresses(members))
        .withPort(0)
        .withClusterProperties(Map.of("replicas", "3", "readQuorum", "2", "writeQuorum", "2"));
  }
}
