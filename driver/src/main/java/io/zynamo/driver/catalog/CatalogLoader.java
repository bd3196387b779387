package io.zynamo.driver.catalog;

import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the distributed tables from one node's {@code zynamo.tables} into a {@link TableCatalog},
 * with each table's user columns (in order, internal {@code zynamo_*} ones left out) and the shard
 * column's type from PostgreSQL's own catalog.
 */
public final class CatalogLoader {

  private static final String TABLES =
      "SELECT c.oid, n.nspname, c.relname, t.kind, t.shard_column"
          + " FROM zynamo.tables t"
          + " JOIN pg_class c ON c.oid = to_regclass(t.name)"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace";

  private static final String COLUMNS =
      "SELECT attrelid, attname, format_type(atttypid, atttypmod) FROM pg_attribute"
          + " WHERE attrelid = ANY(?) AND attnum > 0 AND NOT attisdropped"
          + " AND attname NOT LIKE 'zynamo\\_%' ORDER BY attrelid, attnum";

  /** The catalog as the node sees it. */
  public TableCatalog load(Connection node) throws SQLException {
    Map<Long, Row> rows = new LinkedHashMap<>();
    try (PreparedStatement s = node.prepareStatement(TABLES);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.put(
            rs.getLong(1),
            new Row(
                new ObjectName(rs.getString(2), rs.getString(3)),
                rs.getString(4),
                rs.getString(5)));
      }
    }
    if (!rows.isEmpty()) {
      readColumns(node, rows);
    }
    List<TableDistribution> tables = new ArrayList<>();
    for (Row row : rows.values()) {
      tables.add(row.distribution());
    }
    return new TableCatalog(tables);
  }

  private static void readColumns(Connection node, Map<Long, Row> rows) throws SQLException {
    try (PreparedStatement s = node.prepareStatement(COLUMNS)) {
      s.setArray(1, node.createArrayOf("oid", rows.keySet().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          Row row = rows.get(rs.getLong(1));
          row.columns.add(rs.getString(2));
          if (rs.getString(2).equals(row.shardColumn)) {
            row.shardType = rs.getString(3);
          }
        }
      }
    }
  }

  /** One table while its columns are being read. */
  private static final class Row {
    final ObjectName name;
    final String kind;
    final @Nullable String shardColumn;
    final List<String> columns = new ArrayList<>();
    @Nullable String shardType;

    Row(ObjectName name, String kind, @Nullable String shardColumn) {
      this.name = name;
      this.kind = kind;
      this.shardColumn = shardColumn;
    }

    TableDistribution distribution() throws SQLException {
      if (kind.equals("reference")) {
        return TableDistribution.reference(name, columns);
      }
      if (shardColumn == null || shardType == null) {
        throw new SQLException(
            "zynamo.tables: " + name + " is sharded by " + shardColumn + ", which it lacks",
            "XX000");
      }
      return TableDistribution.sharded(name, shardColumn, shardType, columns);
    }
  }
}
