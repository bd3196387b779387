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
 * One node (N = 1): a bucket's only replica has nobody to send images to or be compared with, so
 * its inserts and updates capture no images, and {@code zynamo.repair()} still removes its
 * tombstones once they are older than the grace.
 */
@ZynamoCluster(nodes = 1)
class SingleReplicaIT {

  /**
   * The capture trigger takes a number of {@code zynamo.changes_seq_seq} for every image it
   * captures; inserts and updates take none, a deletion still does (its tombstone comes with it).
   */
  @Test
  void insertsAndUpdatesCaptureNoImagesADeletionDoes(PostgresCluster nodes) throws SQLException {
    String url =
        "jdbc:zynamo://" + NodeSql.seeds(nodes.nodes()) + "/postgres?user=postgres&replicas=1";
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE uncaptured (id bigint PRIMARY KEY, v text)");
      long before = captured(nodes);
      assertEquals(
          30,
          s.executeUpdate("INSERT INTO uncaptured SELECT g, 'a' FROM generate_series(1, 30) g"));
      assertEquals(10, s.executeUpdate("UPDATE uncaptured SET v = 'b' WHERE id <= 10"));
      c.setAutoCommit(false);
      assertEquals(1, s.executeUpdate("INSERT INTO uncaptured VALUES (31, 'c')"));
      c.commit();
      c.setAutoCommit(true);
      assertEquals(before, captured(nodes), "no image of an insert or update");
      assertEquals(1, s.executeUpdate("DELETE FROM uncaptured WHERE id = 31"));
      assertTrue(captured(nodes) > before, "a deletion captures");
      try (ResultSet rs =
          s.executeQuery("SELECT count(*), count(*) FILTER (WHERE v = 'b') FROM uncaptured")) {
        assertTrue(rs.next());
        assertEquals(30, rs.getLong(1));
        assertEquals(10, rs.getLong(2));
      }
    }
  }

  private static long captured(PostgresCluster nodes) throws SQLException {
    return Long.parseLong(
        NodeSql.string(nodes.node(0), "SELECT last_value FROM zynamo.changes_seq_seq"));
  }

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
