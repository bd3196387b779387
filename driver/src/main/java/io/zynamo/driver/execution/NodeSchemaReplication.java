package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.ChangeOp;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Row-image replication and table bookkeeping through the node schema's SQL (ADR 0001). */
public final class NodeSchemaReplication implements RowImages<List<ChangeRecord>>, TableSetup {

  /** The current images of some rows of a table (%s), as its capture trigger makes them. */
  private static final String ROW_IMAGES =
      "SELECT zynamo.row_image(t, c.columns)::text"
          + " FROM %s t, zynamo.json_columns(?::regclass) c(columns) WHERE t.zynamo_rowid = ANY(?)";

  /** {@link #ROW_IMAGES} on a node whose schema predates {@code zynamo.row_image}. */
  private static final String TO_JSONB_IMAGES =
      "SELECT to_jsonb(t)::text FROM %s t WHERE t.zynamo_rowid = ANY(?)";

  private static final String UNDEFINED_FUNCTION = "42883";

  private final NodeSchema schema;

  public NodeSchemaReplication(NodeSchema schema) {
    this.schema = requireNonNull(schema, "schema");
  }

  @Override
  public void stamp(
      Connection coordinator, BucketId bucket, long version, NodeId node, boolean capture)
      throws SQLException {
    try (PreparedStatement s =
        coordinator.prepareStatement(
            "SELECT set_config('zynamo.bucket', ?, true), set_config('zynamo.hlc', ?, true),"
                + " set_config('zynamo.node', ?, true), set_config('zynamo.capture', ?, true)")) {
      s.setString(1, Integer.toString(bucket.value()));
      s.setString(2, Long.toString(version));
      s.setString(3, node.value());
      s.setString(4, capture ? "on" : "off");
      s.execute();
    }
  }

  @Override
  public List<ChangeRecord> drain(Connection coordinator) throws SQLException {
    return schema.drainChanges(coordinator);
  }

  @Override
  public List<ChangeRecord> drainAndCommit(Connection coordinator) throws SQLException {
    return schema.drainChangesAndCommit(coordinator);
  }

  @Override
  public List<ChangeRecord> concat(List<List<ChangeRecord>> batches) {
    List<ChangeRecord> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }

  @Override
  public boolean isEmpty(List<ChangeRecord> batch) {
    return batch.isEmpty();
  }

  @Override
  public long apply(Connection replica, List<ChangeRecord> batch) throws SQLException {
    Map<String, List<ChangeRecord>> byTable = ChangeRecord.byTable(batch);
    long applied = 0;
    for (Map.Entry<String, List<ChangeRecord>> table : byTable.entrySet()) {
      applied += applyOnce(replica, table.getKey(), table.getValue());
    }
    return applied;
  }

  /**
   * One table's images. PostgreSQL fails an {@code INSERT ... ON CONFLICT (zynamo_rowid)} of a row
   * that a concurrent transaction inserted a moment before with 23505 on another unique index (the
   * table's primary key) instead of taking the conflict path: two appliers of the same new row at
   * once (read repair racing a write's replication, two handoffs). Once that transaction committed,
   * the row is there and applying again takes the conflict path (the newest version wins), so an
   * apply in its own transaction is retried once; inside a caller's transaction the error stands.
   */
  private long applyOnce(Connection replica, String table, List<ChangeRecord> images)
      throws SQLException {
    try {
      return schema.apply(replica, table, images).applied();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || !replica.getAutoCommit()) {
        throw e;
      }
      try {
        return schema.apply(replica, table, images).applied();
      } catch (SQLException again) {
        again.addSuppressed(e);
        throw again;
      }
    }
  }

  /** PostgreSQL's unique_violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  @Override
  public void hint(Connection holder, NodeId owner, List<ChangeRecord> batch) throws SQLException {
    schema.storeHints(holder, owner.value(), batch);
  }

  @Override
  public Digest digest(Connection replica, TableDistribution table, List<Object> keys)
      throws SQLException {
    List<Object> distinct = List.copyOf(new LinkedHashSet<>(keys));
    String sql =
        "SELECT zynamo_rowid, zynamo_version FROM "
            + table.table()
            + " WHERE "
            + quote(requireNonNull(table.shardColumn()))
            + " IN ("
            + String.join(", ", Collections.nCopies(distinct.size(), "?"))
            + ")";
    Map<UUID, Long> rows = new HashMap<>();
    try (PreparedStatement s = replica.prepareStatement(sql)) {
      int i = 0;
      for (Object key : distinct) {
        s.setObject(++i, key);
      }
      readVersions(s, rows);
    }
    return new Digest(rows, Map.of());
  }

  @Override
  public Map<UUID, Long> tombstones(Connection replica, TableDistribution table, Set<UUID> rows)
      throws SQLException {
    Map<UUID, Long> tombstones = new HashMap<>();
    try (PreparedStatement s =
        replica.prepareStatement(
            "SELECT rowid, version FROM zynamo.tombstones WHERE table_name = ? AND rowid = ANY (?)")) {
      s.setString(1, table.table().toString());
      s.setArray(2, replica.createArrayOf("uuid", rows.toArray(new UUID[0])));
      readVersions(s, tombstones);
    }
    return tombstones;
  }

  private static void readVersions(PreparedStatement s, Map<UUID, Long> into) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        into.put(rs.getObject(1, UUID.class), rs.getLong(2));
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A row's image is {@code zynamo.row_image}, the image its capture trigger makes (schema
   * version 5: JSON null told from SQL NULL). A node still on an older schema (it was unreachable
   * when the driver connected and installed the newer files) lacks the function; its images are
   * {@code to_jsonb} of the row, as its own trigger captures them.
   */
  @Override
  public List<ChangeRecord> fetch(Connection replica, TableDistribution table, Set<UUID> rows)
      throws SQLException {
    String name = table.table().toString();
    UUID[] ids = rows.toArray(new UUID[0]);
    Array idArray = replica.createArrayOf("uuid", ids);
    List<ChangeRecord> images = new ArrayList<>();
    try {
      fetchRows(replica, ROW_IMAGES.formatted(name), name, images, name, idArray);
    } catch (SQLException e) {
      if (!UNDEFINED_FUNCTION.equals(e.getSQLState())) {
        throw e;
      }
      images.clear();
      fetchRows(replica, TO_JSONB_IMAGES.formatted(name), name, images, idArray);
    }
    try (PreparedStatement s =
        replica.prepareStatement(
            "SELECT jsonb_build_object('zynamo_rowid', rowid, 'zynamo_bucket', bucket,"
                + " 'zynamo_version', version, 'zynamo_clock', clock)::text"
                + " FROM zynamo.tombstones WHERE table_name = ? AND rowid = ANY(?)")) {
      s.setString(1, name);
      s.setArray(2, idArray);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          images.add(new ChangeRecord(name, ChangeOp.DELETE, rs.getString(1)));
        }
      }
    }
    return images;
  }

  private static void fetchRows(
      Connection replica, String sql, String name, List<ChangeRecord> into, Object... parameters)
      throws SQLException {
    try (PreparedStatement s = replica.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          into.add(new ChangeRecord(name, ChangeOp.UPDATE, rs.getString(1)));
        }
      }
    }
  }

  @Override
  public void shard(Connection node, ObjectName table, String column) throws SQLException {
    schema.shardTable(node, TableCatalog.qualified(table).toString(), column);
  }

  @Override
  public void reference(Connection node, ObjectName table) throws SQLException {
    schema.referenceTable(node, TableCatalog.qualified(table).toString());
  }

  @Override
  public void forget(Connection node, ObjectName table) throws SQLException {
    String name = TableCatalog.qualified(table).toString();
    for (String sql :
        List.of(
            "DELETE FROM zynamo.tables WHERE name = ?",
            "DELETE FROM zynamo.tombstones WHERE table_name = ?",
            "DELETE FROM zynamo.conflicts WHERE table_name = ?")) {
      try (PreparedStatement s = node.prepareStatement(sql)) {
        s.setString(1, name);
        s.executeUpdate();
      }
    }
  }

  private static String quote(String identifier) {
    return new ObjectName(null, identifier).toString();
  }
}
