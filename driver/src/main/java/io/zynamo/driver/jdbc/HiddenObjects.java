package io.zynamo.driver.jdbc;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;

/**
 * Leaves Zynamo's own objects out of metadata results: the {@code zynamo} schema (catalog tables
 * and functions) and the internal {@code zynamo_*} columns and indexes, so tools list exactly the
 * user's tables and columns. Metadata results are small, so the kept rows are copied into a {@link
 * CachedRowSet} (JDK) with the node's column layout.
 */
final class HiddenObjects {

  static final String SCHEMA = "zynamo";
  static final String PREFIX = "zynamo_";

  /** Columns whose value, when it names a Zynamo object, hides the row. */
  private static final String[] SCHEMA_COLUMNS = {
    "TABLE_SCHEM", "FUNCTION_SCHEM", "PROCEDURE_SCHEM"
  };

  private static final String[] NAME_COLUMNS = {"COLUMN_NAME", "INDEX_NAME"};

  private HiddenObjects() {}

  /** A copy of {@code rows} without the rows that describe Zynamo's own objects. */
  static ResultSet filter(ResultSet rows) throws SQLException {
    try (ResultSet source = rows) {
      ResultSetMetaData meta = source.getMetaData();
      int[] schemaColumns = find(meta, SCHEMA_COLUMNS);
      int[] nameColumns = find(meta, NAME_COLUMNS);
      CachedRowSet kept = RowSetProvider.newFactory().createCachedRowSet();
      kept.populate(source);
      kept.beforeFirst();
      while (kept.next()) {
        if (hidden(kept, schemaColumns, nameColumns)) {
          kept.deleteRow();
        }
      }
      kept.setShowDeleted(false);
      kept.beforeFirst();
      return kept;
    }
  }

  private static boolean hidden(ResultSet row, int[] schemaColumns, int[] nameColumns)
      throws SQLException {
    for (int column : schemaColumns) {
      if (SCHEMA.equals(row.getString(column))) {
        return true;
      }
    }
    for (int column : nameColumns) {
      String name = row.getString(column);
      if (name != null && name.toLowerCase(Locale.ROOT).contains(PREFIX)) {
        return true;
      }
    }
    return false;
  }

  private static int[] find(ResultSetMetaData meta, String[] labels) throws SQLException {
    int[] found = new int[labels.length];
    int n = 0;
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      for (String label : labels) {
        if (label.equalsIgnoreCase(meta.getColumnLabel(i))) {
          found[n++] = i;
        }
      }
    }
    return java.util.Arrays.copyOf(found, n);
  }
}
