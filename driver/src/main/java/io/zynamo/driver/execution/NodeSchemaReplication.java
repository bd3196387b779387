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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Row-image replication and table bookkeeping through the node schema's SQL (ADR 0001). */
public final class NodeSchemaReplication implements RowImages<List<ChangeRecord>>, TableSetup {

  private final NodeSchema schema;

  public NodeSchemaReplication(NodeSchema schema) {
    this.schema = requireNonNull(schema, "schema");
  }

  @Override
  public void stamp(Connection coordinator, BucketId bucket, long version, NodeId node)
      throws SQLException {
    try (PreparedStatement s =
        coordinator.prepareStatement(
            "SELECT set_config('zynamo.bucket', ?, true), set_config('zynamo.hlc', ?, true),"
                + " set_config('zynamo.node', ?, true)")) {
      s.setString(1, Integer.toString(bucket.value()));
      s.setString(2, Long.toString(version));
      s.setString(3, node.value());
      s.execute();
    }
  }

  @Override
  public List<ChangeRecord> drain(Connection coordinator) throws SQLException {
    return schema.drainChanges(coordinator);
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
    Map<String, List<ChangeRecord>> byTable = new LinkedHashMap<>();
    batch.forEach(r -> byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r));
    long applied = 0;
    for (Map.Entry<String, List<ChangeRecord>> table : byTable.entrySet()) {
      applied += schema.apply(replica, table.getKey(), table.getValue()).applied();
    }
    return applied;
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

  @Override
  public List<ChangeRecord> fetch(Connection replica, TableDistribution table, Set<UUID> rows)
      throws SQLException {
    String name = table.table().toString();
    UUID[] ids = rows.toArray(new UUID[0]);
    List<ChangeRecord> images = new ArrayList<>();
    try (PreparedStatement s =
        replica.prepareStatement(
            "SELECT to_jsonb(t)::text FROM " + name + " t WHERE zynamo_rowid = ANY(?)")) {
      s.setArray(1, replica.createArrayOf("uuid", ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          images.add(new ChangeRecord(name, ChangeOp.UPDATE, rs.getString(1)));
        }
      }
    }
    try (PreparedStatement s =
        replica.prepareStatement(
            "SELECT jsonb_build_object('zynamo_rowid', rowid, 'zynamo_bucket', bucket,"
                + " 'zynamo_version', version, 'zynamo_clock', clock)::text"
                + " FROM zynamo.tombstones WHERE table_name = ? AND rowid = ANY(?)")) {
      s.setString(1, name);
      s.setArray(2, replica.createArrayOf("uuid", ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          images.add(new ChangeRecord(name, ChangeOp.DELETE, rs.getString(1)));
        }
      }
    }
    return images;
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
