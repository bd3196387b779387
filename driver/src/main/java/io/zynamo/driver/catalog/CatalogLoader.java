package io.zynamo.driver.catalog;

import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.SequenceColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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

  /**
   * The columns whose default comes from a sequence: an identity column's own sequence, or the
   * sequence a default expression depends on, with that expression (Zynamo fills only a plain
   * {@code nextval('s'::regclass)}).
   */
  private static final String SEQUENCE_COLUMNS =
      "SELECT a.attrelid, a.attname, a.attidentity, pg_get_expr(d.adbin, d.adrelid),"
          + " format('%I.%I', sn.nspname, sc.relname)"
          + " FROM pg_attribute a"
          + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
          + " JOIN pg_depend dep ON dep.refclassid = 'pg_class'::regclass AND ("
          + "  (a.attidentity <> '' AND dep.classid = 'pg_class'::regclass"
          + "   AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'i')"
          + "  OR (dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid))"
          + " JOIN pg_class sc ON sc.relkind = 'S' AND sc.oid = CASE"
          + "  WHEN dep.classid = 'pg_class'::regclass THEN dep.objid ELSE dep.refobjid END"
          + " JOIN pg_namespace sn ON sn.oid = sc.relnamespace"
          + " WHERE a.attrelid = ANY(?) AND a.attnum > 0 AND NOT a.attisdropped"
          + " AND a.attname NOT LIKE 'zynamo\\_%' ORDER BY a.attrelid, a.attnum";

  /** A default that is one call of nextval on a sequence, as pg_get_expr prints it. */
  private static final Pattern PLAIN_NEXTVAL =
      Pattern.compile("nextval\\('(?:[^']|'')+'::regclass\\)");

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
      readSequenceColumns(node, rows);
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

  private static void readSequenceColumns(Connection node, Map<Long, Row> rows)
      throws SQLException {
    try (PreparedStatement s = node.prepareStatement(SEQUENCE_COLUMNS)) {
      s.setArray(1, node.createArrayOf("oid", rows.keySet().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String identity = rs.getString(3);
          boolean isIdentity = identity != null && !identity.isEmpty();
          String expression = rs.getString(4);
          boolean plain = isIdentity || PLAIN_NEXTVAL.matcher(expression).matches();
          List<SequenceColumn> columns = rows.get(rs.getLong(1)).sequenceColumns;
          String name = rs.getString(2);
          if (!columns.isEmpty() && columns.get(columns.size() - 1).column().equals(name)) {
            // a default over several sequences: not a plain nextval, not filled
            columns.set(columns.size() - 1, new SequenceColumn(name, null, false));
            continue;
          }
          columns.add(
              new SequenceColumn(name, plain ? rs.getString(5) : null, "a".equals(identity)));
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
    final List<SequenceColumn> sequenceColumns = new ArrayList<>();
    @Nullable String shardType;

    Row(ObjectName name, String kind, @Nullable String shardColumn) {
      this.name = name;
      this.kind = kind;
      this.shardColumn = shardColumn;
    }

    TableDistribution distribution() throws SQLException {
      if (kind.equals("reference")) {
        return TableDistribution.reference(name, columns).withSequenceColumns(sequenceColumns);
      }
      if (shardColumn == null || shardType == null) {
        throw new SQLException(
            "zynamo.tables: " + name + " is sharded by " + shardColumn + ", which it lacks",
            "XX000");
      }
      return TableDistribution.sharded(name, shardColumn, shardType, columns)
          .withSequenceColumns(sequenceColumns);
    }
  }
}
