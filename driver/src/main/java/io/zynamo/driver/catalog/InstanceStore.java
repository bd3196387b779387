package io.zynamo.driver.catalog;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the heartbeats of driver and proxy instances stored on one node, in {@code
 * zynamo.instances} (node schema version 10): one row per instance, with the ring epoch it routes
 * statements with.
 */
public final class InstanceStore {

  /**
   * One instance's row on one node.
   *
   * @param seen when the node last heard from it, by the node's clock
   */
  public record Heartbeat(String id, long epoch, Instant seen) {
    public Heartbeat {
      requireNonNull(id, "id");
      requireNonNull(seen, "seen");
    }
  }

  /**
   * Rows older than this are deleted by the next heartbeat on the node: their instances stopped (a
   * live one beats every gossip interval), and no lease is this long.
   */
  static final String FORGET_AFTER = "1 day";

  /**
   * Records that instance {@code id} routes with ring epoch {@code epoch}, now, and forgets the
   * instances the node has not heard from for {@link #FORGET_AFTER}.
   */
  public void beat(Connection node, String id, long epoch) throws SQLException {
    try (PreparedStatement s =
        node.prepareStatement(
            "WITH gone AS (DELETE FROM zynamo.instances WHERE seen < now() - interval '"
                + FORGET_AFTER
                + "')"
                + " INSERT INTO zynamo.instances AS i (id, epoch, seen) VALUES (?, ?, now())"
                + " ON CONFLICT (id) DO UPDATE SET epoch = EXCLUDED.epoch, seen = now()")) {
      s.setString(1, id);
      s.setLong(2, epoch);
      s.executeUpdate();
    }
  }

  /** The rows the node saw within {@code lease} of its own {@code now()}. */
  public List<Heartbeat> seenWithin(Connection node, Duration lease) throws SQLException {
    try (PreparedStatement s =
        node.prepareStatement(
            "SELECT id, epoch, seen FROM zynamo.instances"
                + " WHERE seen >= now() - make_interval(secs => ?)")) {
      s.setDouble(1, lease.toMillis() / 1000.0);
      List<Heartbeat> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new Heartbeat(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()));
        }
      }
      return rows;
    }
  }
}
