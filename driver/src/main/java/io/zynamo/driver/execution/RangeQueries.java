package io.zynamo.driver.execution;

import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.BucketId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The node-side hash tree of anti-entropy ({@code 007-anti-entropy.sql}): hashes of buckets and of
 * row-id ranges, and the row states of a range, each computed by one query on the node; and the
 * removal of old tombstones in ranges found equal ({@code 009-tombstone-gc.sql}).
 */
final class RangeQueries {

  private RangeQueries() {}

  /** Per bucket number, what the replica holds in each of {@code buckets}. */
  static Map<Integer, RangeHash> bucketHashes(
      Connection replica, TableDistribution table, List<BucketId> buckets) throws SQLException {
    Short[] numbers = buckets.stream().map(b -> (short) b.value()).toArray(Short[]::new);
    return hashes(replica, table, numbers, RowRange.ALL, -1, 1);
  }

  /** Per child number (0..15) of {@code range}, what the replica holds in it in one bucket. */
  static Map<Integer, RangeHash> childHashes(
      Connection replica, TableDistribution table, BucketId bucket, RowRange range)
      throws SQLException {
    Short[] numbers = {(short) bucket.value()};
    return hashes(replica, table, numbers, range, range.digits(), 2);
  }

  private static Map<Integer, RangeHash> hashes(
      Connection replica,
      TableDistribution table,
      Short[] buckets,
      RowRange range,
      int digit,
      int keyColumn)
      throws SQLException {
    Map<Integer, RangeHash> hashes = new HashMap<>();
    try (PreparedStatement s =
        replica.prepareStatement(
            "SELECT bucket, part, rows, hash FROM zynamo.range_hashes(?::regclass, ?::int2[], ?::uuid, ?::uuid, ?)")) {
      bind(s, replica, table, buckets, range);
      s.setInt(5, digit);
      try (ResultSet rs = StatementCancel.executing(s::cancel, s::executeQuery)) {
        while (rs.next()) {
          hashes.put(rs.getInt(keyColumn), new RangeHash(rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return hashes;
  }

  /**
   * What the replica holds in a range of a bucket, row by row: rows at their versions, and
   * deletions (with the tombstone's version) of rows it no longer holds.
   */
  static Digest digest(Connection replica, TableDistribution table, BucketId bucket, RowRange range)
      throws SQLException {
    Map<UUID, Long> rows = new HashMap<>();
    Map<UUID, Long> deleted = new HashMap<>();
    try (PreparedStatement s =
        replica.prepareStatement(
            "SELECT rowid, state FROM zynamo.row_states(?::regclass, ?::int2[], ?::uuid, ?::uuid)")) {
      bind(s, replica, table, new Short[] {(short) bucket.value()}, range);
      try (ResultSet rs = StatementCancel.executing(s::cancel, s::executeQuery)) {
        while (rs.next()) {
          long state = rs.getLong(2);
          if (state < 0) {
            deleted.put(rs.getObject(1, UUID.class), -state);
          } else {
            rows.put(rs.getObject(1, UUID.class), state);
          }
        }
      }
    }
    return new Digest(rows, deleted);
  }

  /**
   * Removes, on one replica, the tombstones of {@code table} in {@code ranges} whose version is
   * below {@code olderThan}; how many ({@code zynamo.collect_tombstones}).
   */
  static long collectTombstones(
      Connection replica,
      TableDistribution table,
      List<TombstoneHorizon.Range> ranges,
      long olderThan)
      throws SQLException {
    try (PreparedStatement s =
        replica.prepareStatement(
            "SELECT zynamo.collect_tombstones(?::regclass, ?::int2[], ?::uuid[], ?::uuid[], ?)")) {
      s.setString(1, table.table().toString());
      s.setArray(
          2,
          replica.createArrayOf(
              "int2", ranges.stream().map(r -> (short) r.bucket().value()).toArray(Short[]::new)));
      s.setArray(
          3, replica.createArrayOf("uuid", ranges.stream().map(r -> r.range().lower()).toArray()));
      s.setArray(
          4, replica.createArrayOf("uuid", ranges.stream().map(r -> r.range().upper()).toArray()));
      s.setLong(5, olderThan);
      try (ResultSet rs = StatementCancel.executing(s::cancel, s::executeQuery)) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void bind(
      PreparedStatement s,
      Connection replica,
      TableDistribution table,
      Short[] buckets,
      RowRange range)
      throws SQLException {
    s.setString(1, table.table().toString());
    s.setArray(2, replica.createArrayOf("int2", buckets));
    s.setObject(3, range.lower());
    s.setObject(4, range.upper());
  }
}
