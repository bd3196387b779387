package io.zynamo.driver.execution;

import io.zynamo.driver.routing.RoutePlan;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes routed by key, as a session runs them: on their own (each statement commits,
 * {@link Direct}) or inside the session's open transaction ({@link ClusterTransaction}).
 */
interface KeyAccess {

  /** Runs the pieces of one write; their outcomes as one (counts add up). */
  Outcome write(List<KeyWriter.Piece> pieces, boolean generatedKeys, int writeQuorum)
      throws SQLException;

  /** Runs a query routed to one bucket. */
  Outcome read(
      RoutePlan.SingleBucket route, String sql, List<@Nullable Object> parameters, int readQuorum)
      throws SQLException;

  /** Runs a query whose keys fall in several buckets, cut down per node; rows concatenated. */
  Outcome read(RoutePlan.MultiBucket plan, KeyReader.Cutter cutter, int readQuorum)
      throws SQLException;

  /**
   * Fails when a cluster-wide read (which runs outside any transaction, on every node's committed
   * rows) would miss what this access wrote; nothing to check by default.
   */
  default void checkCoverage() throws SQLException {}

  /** Each statement on its own: written through W replicas, read from R. */
  record Direct<B>(KeyWriter<B> writer, KeyReader<B> reader) implements KeyAccess {

    @Override
    public Outcome write(List<KeyWriter.Piece> pieces, boolean generatedKeys, int writeQuorum)
        throws SQLException {
      return writer.write(pieces, generatedKeys, writeQuorum);
    }

    @Override
    public Outcome read(
        RoutePlan.SingleBucket route, String sql, List<@Nullable Object> parameters, int readQuorum)
        throws SQLException {
      return reader.read(route, sql, parameters, readQuorum);
    }

    @Override
    public Outcome read(RoutePlan.MultiBucket plan, KeyReader.Cutter cutter, int readQuorum)
        throws SQLException {
      return reader.read(plan, cutter, readQuorum);
    }
  }
}
