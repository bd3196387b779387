package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node that died is removed: {@code zynamo.remove_node} copies its buckets from the other
 * replicas (N = 2 on 3 nodes), so every row, including those written while it was down, ends on
 * both remaining nodes, and the hints kept for it are dropped.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadNodeRemovalIT {

  private final PostgresCluster nodes;

  DeadNodeRemovalIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @Test
  void aStoppedNodeIsRemovedWithItsBucketsCopiedFromTheOtherReplicas() throws Exception {
    String url =
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes())
            + "/postgres?user=postgres&replicas=2&connectTimeout=1&probeInterval=1";
    PostgresNode dead = nodes.node(2);
    try (Connection c = DriverManager.getConnection(url)) {
      NodeSql.execute(c, "CREATE TABLE kv (id bigint PRIMARY KEY, v text)");
      NodeSql.execute(c, "INSERT INTO kv SELECT i, 'v' || i FROM generate_series(1, 300) i");
      dead.stop();
      try {
        for (int i = 301; i <= 320; i++) {
          NodeSql.execute(c, "INSERT INTO kv VALUES (" + i + ", 'during')");
        }
        NodeSql.execute(
            c, "SELECT * FROM zynamo.remove_node('" + dead.host() + ":" + dead.port() + "')");
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!"done".equals(NodeSql.string(c, "SELECT phase FROM zynamo.moves"))) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError(
                "the removal did not finish: "
                    + NodeSql.string(c, "SELECT waiting FROM zynamo.moves"));
          }
          Thread.sleep(200);
        }
        assertEquals("2", NodeSql.string(c, "SELECT count(*) FROM zynamo.nodes"));
        assertEquals("320", NodeSql.string(c, "SELECT count(*) FROM kv"));
        for (PostgresNode alive : nodes.nodes().subList(0, 2)) {
          assertEquals(
              "320",
              NodeSql.string(alive, "SELECT count(*) FROM kv"),
              "N = 2 on 2 nodes: every row on " + alive.name());
          assertEquals(
              "0",
              NodeSql.string(
                  alive,
                  "SELECT count(*) FROM zynamo.hints WHERE owner LIKE '%:" + dead.port() + "/%'"),
              "hints for the removed node on " + alive.name());
        }
      } finally {
        dead.start();
      }
    }
  }
}
