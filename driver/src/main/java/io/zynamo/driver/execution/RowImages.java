package io.zynamo.driver.execution;

import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The node-side half of row-image replication (ADR 0001), behind a seam: stamp a coordinator's
 * transaction, collect the row images its statement produced, and apply them on other replicas.
 *
 * @param <B> a batch of captured row images
 */
public interface RowImages<B> {

  /**
   * Sets, for the current transaction, the routed bucket, the version and the coordinator, and
   * whether inserts and updates capture images at all: not when they would go nowhere (a bucket
   * whose only replica is the coordinator; deletions capture anyway, for their tombstones).
   */
  void stamp(Connection coordinator, BucketId bucket, long version, NodeId node, boolean capture)
      throws SQLException;

  /** Takes the row images the current transaction produced (they leave the capture table). */
  B drain(Connection coordinator) throws SQLException;

  /**
   * As {@link #drain}, and commits the transaction in the same round trip (a write of one piece
   * saves one round trip on its coordinator).
   */
  B drainAndCommit(Connection coordinator) throws SQLException;

  /** The images of several batches, in order, as one batch. */
  B concat(List<B> batches);

  /** Whether a batch holds no image (the statement changed no row). */
  boolean isEmpty(B batch);

  /** Applies images on a replica where they are newer than what it holds; returns how many. */
  long apply(Connection replica, B batch) throws SQLException;

  /**
   * Leaves images replica {@code owner} could not take as hints on the node of {@code holder}, for
   * {@link HintedHandoff} to hand over once it answers again.
   */
  void hint(Connection holder, NodeId owner, B batch) throws SQLException;

  /**
   * The versions a replica holds for the rows with these shard key values (without tombstones: see
   * {@link #tombstones}).
   */
  Digest digest(Connection replica, TableDistribution table, List<Object> keys) throws SQLException;

  /**
   * The versions of a replica's deletions of these rows: asked only for rows some replica holds and
   * this one lacks (a row no replica holds needs no repair, one every replica holds no tombstone).
   */
  Map<UUID, Long> tombstones(Connection replica, TableDistribution table, Set<UUID> rows)
      throws SQLException;

  /** The current images of these rows on a replica: copies, or deletions where it deleted them. */
  B fetch(Connection replica, TableDistribution table, Set<UUID> rows) throws SQLException;
}
