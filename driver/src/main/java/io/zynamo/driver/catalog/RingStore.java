package io.zynamo.driver.catalog;

import io.zynamo.ring.RingState;
import io.zynamo.ring.RingStateCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads and writes the ring state stored on one node, in the single row of {@code zynamo.ring}.
 *
 * <p>Changes are compare-and-set on the epoch, so two claimants cannot both replace the same state:
 * the second one sees that the epoch moved and must re-read.
 */
public final class RingStore {

  /** Whether the node has the table at all (a node never touched by Zynamo has not). */
  public boolean exists(Connection node) throws SQLException {
    try (PreparedStatement s = node.prepareStatement("SELECT to_regclass('zynamo.ring')");
        ResultSet rs = s.executeQuery()) {
      return rs.next() && rs.getString(1) != null;
    }
  }

  /** The node's ring state, if it has one. */
  public Optional<RingState> read(Connection node) throws SQLException {
    if (!exists(node)) {
      return Optional.empty();
    }
    try (PreparedStatement s = node.prepareStatement("SELECT state FROM zynamo.ring WHERE id = 1");
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      try {
        return Optional.of(RingStateCodec.decode(rs.getBytes(1)));
      } catch (IllegalArgumentException e) {
        throw new SQLException(
            "zynamo.ring holds an unreadable ring state: " + e.getMessage(), "XX001", e);
      }
    }
  }

  /** Stores a first ring state; false if the node already had one (which is kept). */
  public boolean create(Connection node, RingState state) throws SQLException {
    try (PreparedStatement s =
        node.prepareStatement(
            "INSERT INTO zynamo.ring (id, epoch, state) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING")) {
      s.setLong(1, state.epoch());
      s.setBytes(2, RingStateCodec.encode(state));
      return s.executeUpdate() == 1;
    }
  }

  /** Replaces the state only if the stored epoch is still {@code expectedEpoch}. */
  public boolean compareAndSet(Connection node, long expectedEpoch, RingState next)
      throws SQLException {
    try (PreparedStatement s =
        node.prepareStatement(
            "UPDATE zynamo.ring SET epoch = ?, state = ?, updated_at = now()"
                + " WHERE id = 1 AND epoch = ?")) {
      s.setLong(1, next.epoch());
      s.setBytes(2, RingStateCodec.encode(next));
      s.setLong(3, expectedEpoch);
      return s.executeUpdate() == 1;
    }
  }
}
