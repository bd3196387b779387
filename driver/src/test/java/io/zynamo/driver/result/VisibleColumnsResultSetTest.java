package io.zynamo.driver.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetMetaDataImpl;
import javax.sql.rowset.RowSetProvider;
import org.junit.jupiter.api.Test;

class VisibleColumnsResultSetTest {

  /** A node's row: id, zynamo_bucket, name, zynamo_rowid (internal columns interleaved). */
  private static ResultSet nodeResult() throws SQLException {
    return nodeResult("id", "zynamo_bucket", "name", "ZYNAMO_ROWID");
  }

  /** The same row under other labels. */
  private static ResultSet nodeResult(String... labels) throws SQLException {
    CachedRowSet rows = RowSetProvider.newFactory().createCachedRowSet();
    RowSetMetaDataImpl meta = new RowSetMetaDataImpl();
    int[] types = {Types.INTEGER, Types.SMALLINT, Types.VARCHAR, Types.VARCHAR};
    meta.setColumnCount(labels.length);
    for (int i = 0; i < labels.length; i++) {
      meta.setColumnName(i + 1, labels[i]);
      meta.setColumnLabel(i + 1, labels[i]);
      meta.setColumnType(i + 1, types[i]);
    }
    rows.setMetaData(meta);
    rows.moveToInsertRow();
    rows.updateInt(1, 42);
    rows.updateShort(2, (short) 17);
    rows.updateString(3, "ada");
    rows.updateString(4, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    rows.insertRow();
    rows.moveToCurrentRow();
    rows.beforeFirst();
    return rows;
  }

  @Test
  void showsOnlyTheUsersColumnsByIndex() throws SQLException {
    ResultSet rs = new VisibleColumnsResultSet(nodeResult(), null);
    assertTrue(rs.next());
    assertEquals(42, rs.getInt(1));
    assertEquals("ada", rs.getString(2));
    SQLException e = assertThrows(SQLException.class, () -> rs.getString(3));
    assertEquals("22023", e.getSQLState());
    assertFalse(rs.next());
  }

  @Test
  void showsEveryColumnWhenNoneIsInternalAndSkipsALeadingInternalOne() throws SQLException {
    ResultSetMetaData all =
        new VisibleColumnsResultSet(nodeResult("id", "bucket", "name", "rowid"), null)
            .getMetaData();
    assertEquals(4, all.getColumnCount());
    assertEquals("rowid", all.getColumnLabel(4));
    ResultSet rs = new VisibleColumnsResultSet(nodeResult("zynamo_id", "b", "name", "r"), null);
    assertEquals(3, rs.getMetaData().getColumnCount());
    assertEquals("b", rs.getMetaData().getColumnLabel(1));
    assertTrue(rs.next());
    assertEquals(17, rs.getShort(1));
    assertEquals("ada", rs.getString(2));
  }

  @Test
  void metadataListsTheUsersColumnsOnly() throws SQLException {
    ResultSetMetaData meta = new VisibleColumnsResultSet(nodeResult(), null).getMetaData();
    assertEquals(2, meta.getColumnCount());
    assertEquals("id", meta.getColumnLabel(1));
    assertEquals("name", meta.getColumnLabel(2));
    assertEquals(Types.VARCHAR, meta.getColumnType(2));
  }

  @Test
  void metadataOfADescribedStatementHidesInternalColumns() throws SQLException {
    ResultSetMetaData meta = VisibleColumnsResultSet.visibleMetaData(nodeResult().getMetaData());
    assertEquals(2, meta.getColumnCount());
    assertEquals("id", meta.getColumnLabel(1));
    assertEquals("name", meta.getColumnLabel(2));
  }

  @Test
  void internalColumnsAreUnknownByLabelWhateverTheCase() throws SQLException {
    ResultSet rs = new VisibleColumnsResultSet(nodeResult(), null);
    assertTrue(rs.next());
    assertEquals("ada", rs.getString("name"));
    assertEquals(2, rs.findColumn("name"));
    for (String hidden : new String[] {"zynamo_bucket", "Zynamo_RowId"}) {
      SQLException e = assertThrows(SQLException.class, () -> rs.getString(hidden));
      assertEquals("42703", e.getSQLState());
    }
    assertNull(rs.getStatement());
  }

  @Test
  void aSelectionShowsTheChosenUserColumnsInTheChosenOrder() throws SQLException {
    ResultSet rs = VisibleColumnsResultSet.selecting(nodeResult(), null, new int[] {2, 1});

    assertTrue(rs.next());
    assertEquals("ada", rs.getString(1));
    assertEquals(42, rs.getInt(2));
    assertEquals(1, rs.findColumn("name"));
    assertEquals(42, rs.getInt("id"));
    assertEquals("name", rs.getMetaData().getColumnLabel(1));
    assertEquals(2, rs.getMetaData().getColumnCount());
  }

  @Test
  void columnsLeftOutOfASelectionDoNotExist() throws SQLException {
    ResultSet rs = VisibleColumnsResultSet.selecting(nodeResult(), null, new int[] {1});

    assertTrue(rs.next());
    SQLException byLabel = assertThrows(SQLException.class, () -> rs.getString("name"));
    assertEquals("42703", byLabel.getSQLState());
    assertEquals("column \"name\" does not exist", byLabel.getMessage());
    assertEquals("22023", assertThrows(SQLException.class, () -> rs.getString(2)).getSQLState());
    SQLException badIndex =
        assertThrows(
            SQLException.class,
            () -> VisibleColumnsResultSet.selecting(nodeResult(), null, new int[] {3}));
    assertEquals("column index: 3 (expected: 1..2)", badIndex.getMessage());
  }
}
