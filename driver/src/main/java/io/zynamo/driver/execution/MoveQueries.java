package io.zynamo.driver.execution;

import io.zynamo.driver.catalog.CatalogLoader;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.BucketId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SortedSet;

/** The node-side statements of a bucket move ({@link BucketMover}). */
final class MoveQueries {

  private MoveQueries() {}

  /** Whether the table holds a row on this node. */
  static boolean hasRows(Connection node, TableDistribution table) throws SQLException {
    try (Statement s = node.createStatement();
        ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT FROM " + table.table() + ")")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /**
   * Deletes, in one transaction and without capturing changes or tombstones ({@code
   * zynamo.applying}), the rows and tombstones of sharded tables outside {@code held}, and with
   * {@code everything} the reference tables' rows too (a node removed from the ring).
   *
   * @return the rows deleted
   */
  static long deleteOtherBuckets(Connection node, SortedSet<BucketId> held, boolean everything)
      throws SQLException {
    Short[] buckets = held.stream().map(b -> (short) b.value()).toArray(Short[]::new);
    boolean autoCommit = node.getAutoCommit();
    node.setAutoCommit(false);
    long deleted = 0;
    try {
      try (Statement s = node.createStatement()) {
        s.execute("SET LOCAL zynamo.applying = 'on'");
      }
      for (TableDistribution t : new CatalogLoader().load(node).all()) {
        boolean sharded = t.kind() == TableDistribution.Kind.SHARDED;
        if (!sharded && !everything) {
          continue;
        }
        String where = sharded ? " WHERE NOT (zynamo_bucket = ANY (?::int2[]))" : "";
        try (PreparedStatement s = node.prepareStatement("DELETE FROM " + t.table() + where)) {
          if (sharded) {
            s.setArray(1, node.createArrayOf("int2", buckets));
          }
          deleted += s.executeUpdate();
        }
        try (PreparedStatement s =
            node.prepareStatement(
                "DELETE FROM zynamo.tombstones WHERE table_name = ?"
                    + (sharded ? " AND NOT (bucket = ANY (?::int2[]))" : ""))) {
          s.setString(1, t.table().toString());
          if (sharded) {
            s.setArray(2, node.createArrayOf("int2", buckets));
          }
          s.executeUpdate();
        }
      }
      node.commit();
      return deleted;
    } catch (SQLException | RuntimeException e) {
      node.rollback();
      throw e;
    } finally {
      node.setAutoCommit(autoCommit);
    }
  }

  /** Drops the hints a node keeps for a member removed from the ring. */
  static void dropHintsFor(Connection node, String owner) throws SQLException {
    try (PreparedStatement s = node.prepareStatement("DELETE FROM zynamo.hints WHERE owner = ?")) {
      s.setString(1, owner);
      s.executeUpdate();
    }
  }
}
