package io.zynamo.driver.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetMetaDataImpl;
import javax.sql.rowset.RowSetProvider;

/** Result sets for tests: CachedRowSets of integer and text columns. */
final class Rows {

  private Rows() {}

  /**
   * Rows with these column labels; an Integer value makes an INTEGER column, anything else a
   * VARCHAR column (types taken from the first row, VARCHAR without rows).
   */
  static CachedRowSet of(String[] labels, Object[]... rows) throws SQLException {
    CachedRowSet set = RowSetProvider.newFactory().createCachedRowSet();
    RowSetMetaDataImpl meta = new RowSetMetaDataImpl();
    meta.setColumnCount(labels.length);
    for (int i = 0; i < labels.length; i++) {
      boolean integer = rows.length > 0 && rows[0][i] instanceof Integer;
      meta.setColumnName(i + 1, labels[i]);
      meta.setColumnLabel(i + 1, labels[i]);
      meta.setColumnType(i + 1, integer ? Types.INTEGER : Types.VARCHAR);
    }
    set.setMetaData(meta);
    // CachedRowSet inserts each row before the others here: insert the last one first.
    for (int r = rows.length - 1; r >= 0; r--) {
      Object[] row = rows[r];
      set.moveToInsertRow();
      for (int i = 0; i < row.length; i++) {
        set.updateObject(i + 1, row[i]);
      }
      set.insertRow();
      set.moveToCurrentRow();
    }
    set.beforeFirst();
    return set;
  }

  /** One INTEGER column {@code n} holding 1..count. */
  static ResultSet numbers(int count) throws SQLException {
    Object[][] rows = new Object[count][];
    for (int i = 0; i < count; i++) {
      rows[i] = new Object[] {i + 1};
    }
    return of(new String[] {"n"}, rows);
  }
}
