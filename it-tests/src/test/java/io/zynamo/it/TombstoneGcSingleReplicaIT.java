package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * On one node (N = 1) a bucket's only replica has nobody to be compared with, yet {@code
 * zynamo.repair()} still removes its tombstones once they are older than the grace.
 */
@ZynamoCluster(nodes = 1)
class TombstoneGcSingleReplicaIT {

  @Test
  void aSingleReplicasTombstonesAreRemovedAfterTheGrace(PostgresCluster nodes) throws SQLException {
    String url =
        "jdbc:zynamo://" + NodeSql.seeds(nodes.nodes()) + "/postgres?user=postgres&replicas=1";
    try (Connection keeping = DriverManager.getConnection(url);
        Connection collecting = DriverManager.getConnection(url + "&tombstoneGrace=0");
        Statement keep = keeping.createStatement();
        Statement collect = collecting.createStatement()) {
      keep.execute("CREATE TABLE single (id bigint PRIMARY KEY, v text)");
      keep.execute("INSERT INTO single SELECT g, 'v' || g FROM generate_series(1, 40) g");
      keep.execute("DELETE FROM single WHERE id <= 15");
      assertEquals(0, removed(keep), "younger than the default grace");
      assertEquals(15, tombstones(nodes));
      assertEquals(15, removed(collect));
      assertEquals(0, tombstones(nodes));
      try (ResultSet rs = collect.executeQuery("SELECT count(*), min(id) FROM single")) {
        assertTrue(rs.next());
        assertEquals(25, rs.getLong(1));
        assertEquals(16, rs.getLong(2));
      }
    }
  }

  private static long removed(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT zynamo.repair('single')")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getLong("buckets"), "no bucket has two replicas to compare");
      return rs.getLong("tombstones_removed");
    }
  }

  private static long tombstones(PostgresCluster nodes) throws SQLException {
    return Long.parseLong(
        NodeSql.string(
            nodes.node(0),
            "SELECT count(*) FROM zynamo.tombstones WHERE table_name = 'public.single'"));
  }
}
