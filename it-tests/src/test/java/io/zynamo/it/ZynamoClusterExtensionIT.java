package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import org.junit.jupiter.api.Test;

/** The extension hands one cluster per class to fields and parameters alike. */
@ZynamoCluster(nodes = 1)
class ZynamoClusterExtensionIT {

  static PostgresCluster classCluster;

  PostgresCluster instanceCluster;

  @Test
  void fieldsAndParametersGetTheSameStartedCluster(PostgresCluster parameter) {
    assertSame(classCluster, instanceCluster);
    assertSame(instanceCluster, parameter);
    assertEquals(1, parameter.nodes().size());
    assertTrue(parameter.node(0).isRunning());
  }

  @Test
  void clusterIsTemporary(PostgresCluster cluster) {
    assertTrue(cluster.isTemporary());
    assertTrue(cluster.directory().startsWith(System.getProperty("java.io.tmpdir")));
  }
}
