package io.zynamo.driver.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.execution.Outcome;
import java.sql.BatchUpdateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ZynamoStatementTest {

  private final FakeExecutor engine = new FakeExecutor();
  private final ZynamoConnection connection;

  ZynamoStatementTest() throws SQLException {
    connection = new ZynamoConnection(engine, ZynamoUrl.parse("jdbc:zynamo://h1:5432/app"));
  }

  private static void assertState(String state, Executable call) {
    assertEquals(state, assertThrows(SQLException.class, call).getSQLState());
  }

  @Test
  void executeOfAQueryHasExactlyOneResultThenNoMore() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(2)));
    Statement st = connection.createStatement();

    assertTrue(st.execute("SELECT n FROM t"));
    ResultSet rs = st.getResultSet();
    assertSame(st, rs.getStatement());
    assertEquals(-1, st.getUpdateCount());
    assertFalse(st.getMoreResults());
    assertTrue(rs.isClosed());
    assertNull(st.getResultSet());
    assertEquals(-1, st.getUpdateCount());
    assertEquals(-1L, st.getLargeUpdateCount());
    assertEquals(List.of(new FakeExecutor.Call("SELECT n FROM t", List.of(), false)), engine.calls);
  }

  @Test
  void executeOfAnUpdateHasItsCountThenNoMore() throws SQLException {
    engine.then(new Outcome.Count(3, null));
    Statement st = connection.createStatement();

    assertFalse(st.execute("UPDATE t SET v = 1"));
    assertNull(st.getResultSet());
    assertEquals(3, st.getUpdateCount());
    assertFalse(st.getMoreResults());
    assertEquals(-1, st.getUpdateCount());
  }

  @Test
  void keepCurrentResultLeavesTheResultSetOpenUntilTheNextExecution() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(1)));
    Statement st = connection.createStatement();
    st.execute("SELECT 1");
    ResultSet rs = st.getResultSet();

    assertFalse(st.getMoreResults(Statement.KEEP_CURRENT_RESULT));
    assertFalse(rs.isClosed());
    st.execute("SELECT 2");
    assertTrue(rs.isClosed());
    assertState("22023", () -> st.getMoreResults(42));
  }

  @Test
  void aStatementWithoutACountCountsZeroAndAHugeCountIsSuccessNoInfo() throws SQLException {
    engine.then(new Outcome.Count(-1, null)).then(new Outcome.Count(5_000_000_000L, null));
    Statement st = connection.createStatement();

    assertEquals(0, st.executeUpdate("CREATE TABLE t (id int)"));
    assertEquals(0, st.getUpdateCount());
    assertEquals(Statement.SUCCESS_NO_INFO, st.executeUpdate("DELETE FROM big"));
    assertEquals(5_000_000_000L, st.getLargeUpdateCount());
  }

  @Test
  void executeQueryWithoutRowsFailsAsPgjdbcAfterRunning() throws SQLException {
    Statement st = connection.createStatement();

    SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("DELETE FROM t"));

    assertEquals("02000", e.getSQLState());
    assertEquals("No results were returned by the query.", e.getMessage());
    assertEquals(1, engine.calls.size());
  }

  @Test
  void executeUpdateOfAQueryFailsAsPgjdbcAndClosesTheRows() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(1)));
    Statement st = connection.createStatement();

    SQLException e = assertThrows(SQLException.class, () -> st.executeUpdate("SELECT 1"));

    assertEquals("0100E", e.getSQLState());
    assertEquals("A result was returned when none was expected.", e.getMessage());
    assertNull(st.getResultSet());
  }

  @Test
  void returningRowsNobodyAskedForAreTheResultSet() throws SQLException {
    engine.then(new Outcome.Count(1, Rows.numbers(1)));
    Statement st = connection.createStatement();

    ResultSet rs = st.executeQuery("INSERT INTO t VALUES (1) RETURNING n");

    assertTrue(rs.next());
    assertEquals(1, rs.getInt(1));
  }

  @Test
  void generatedKeysAreTheReturnedRowsWhenAskedFor() throws SQLException {
    engine.then(new Outcome.Count(1, Rows.of(new String[] {"id", "v"}, new Object[] {7, "a"})));
    Statement st = connection.createStatement();

    assertEquals(
        1, st.executeUpdate("INSERT INTO t (v) VALUES ('a')", Statement.RETURN_GENERATED_KEYS));

    assertTrue(engine.lastCall().generatedKeys());
    ResultSet keys = st.getGeneratedKeys();
    assertSame(st, keys.getStatement());
    assertTrue(keys.next());
    assertEquals(7, keys.getInt("id"));
    assertEquals(2, keys.getMetaData().getColumnCount());
  }

  @Test
  void generatedKeysByNameOrIndexAreThoseColumnsInThatOrder() throws SQLException {
    String[] labels = {"id", "v", "created"};
    engine
        .then(new Outcome.Count(1, Rows.of(labels, new Object[] {7, "a", "now"})))
        .then(new Outcome.Count(1, Rows.of(labels, new Object[] {8, "b", "now"})));
    Statement st = connection.createStatement();

    st.executeUpdate("INSERT ...", new String[] {"V", "id"});
    ResultSet byName = st.getGeneratedKeys();
    assertTrue(engine.lastCall().generatedKeys());
    assertEquals(2, byName.getMetaData().getColumnCount());
    assertTrue(byName.next());
    assertEquals("a", byName.getString(1));
    assertEquals(7, byName.getInt(2));

    st.execute("INSERT ...", new int[] {1});
    ResultSet byIndex = st.getGeneratedKeys();
    assertEquals(1, byIndex.getMetaData().getColumnCount());
    assertTrue(byIndex.next());
    assertEquals(8, byIndex.getInt(1));
    assertState("42703", () -> byIndex.getString("v"));
  }

  @Test
  void aKeyNameMissingFromTheWrittenRowsFailsWhenTheKeysAreRead() throws SQLException {
    engine.then(new Outcome.Count(1, Rows.of(new String[] {"id"}, new Object[] {7})));
    Statement st = connection.createStatement();

    st.executeUpdate("INSERT ...", new String[] {"uuid"});

    SQLException e = assertThrows(SQLException.class, st::getGeneratedKeys);
    assertEquals("42703", e.getSQLState());
    assertEquals(
        "generated key \"uuid\": not a column of the written rows (expected one of: id)",
        e.getMessage());
  }

  @Test
  void withoutKeysGetGeneratedKeysIsEmptyWithoutColumns() throws SQLException {
    Statement st = connection.createStatement();
    st.executeUpdate("INSERT INTO t VALUES (1)");

    ResultSet keys = st.getGeneratedKeys();

    assertFalse(engine.lastCall().generatedKeys());
    assertEquals(0, keys.getMetaData().getColumnCount());
    assertFalse(keys.next());
    assertState("24000", () -> keys.getInt(1));
    assertState("22023", () -> st.execute("INSERT", 7));
  }

  @Test
  void keysAskedForButNotReturnedAreEmpty() throws SQLException {
    Statement st = connection.createStatement();

    st.execute("CREATE TABLE t (id int)", Statement.RETURN_GENERATED_KEYS);

    assertFalse(st.getGeneratedKeys().next());
  }

  @Test
  void maxRowsStopsTheResultSet() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(5)));
    Statement st = connection.createStatement();
    st.setMaxRows(2);

    ResultSet rs = st.executeQuery("SELECT n FROM t");

    assertTrue(rs.next());
    assertTrue(rs.next());
    assertTrue(rs.isLast());
    assertEquals(2, rs.getInt(1));
    assertFalse(rs.next());
    assertTrue(rs.isAfterLast());
    assertEquals(0, rs.getRow());
    assertState("24000", () -> rs.getInt(1));
    assertState("22023", () -> st.setMaxRows(-1));
  }

  @Test
  void resultSetsAreForwardOnlyAndReadOnly() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(2)));
    ResultSet rs = connection.createStatement().executeQuery("SELECT n FROM t");

    assertEquals(ResultSet.TYPE_FORWARD_ONLY, rs.getType());
    assertEquals(ResultSet.CONCUR_READ_ONLY, rs.getConcurrency());
    assertState("24000", rs::previous);
    assertState("24000", () -> rs.absolute(1));
    assertState("24000", rs::beforeFirst);
    assertTrue(rs.next());
    assertThrows(SQLFeatureNotSupportedException.class, () -> rs.updateInt(1, 5));
    assertState("0A000", rs::insertRow);
    assertState("22023", () -> rs.setFetchDirection(ResultSet.FETCH_REVERSE));
  }

  @Test
  void batchRunsEachStatementInOrderAndClearsItself() throws SQLException {
    engine.then(new Outcome.Count(2, null)).then(new Outcome.Count(-1, null));
    Statement st = connection.createStatement();
    st.addBatch("UPDATE a SET v = 1");
    st.addBatch("CREATE INDEX i ON a (v)");

    assertArrayEquals(new int[] {2, 0}, st.executeBatch());
    assertEquals(2, engine.calls.size());
    assertEquals("CREATE INDEX i ON a (v)", engine.lastCall().sql());
    assertArrayEquals(new long[0], st.executeLargeBatch());
    assertEquals(2, engine.calls.size());
  }

  @Test
  void aBatchFailureStopsAndReportsTheCountsSoFarWithTheCausesState() throws SQLException {
    SQLException cause = new SQLException("node n2: duplicate key", "23505");
    engine.then(new Outcome.Count(1, null)).then(new Outcome.Count(4, null)).then(cause);
    Statement st = connection.createStatement();
    for (String sql : new String[] {"INSERT 1", "UPDATE 2", "INSERT 3", "INSERT 4"}) {
      st.addBatch(sql);
    }

    BatchUpdateException e = assertThrows(BatchUpdateException.class, st::executeBatch);

    assertArrayEquals(new int[] {1, 4}, e.getUpdateCounts());
    assertArrayEquals(new long[] {1, 4}, e.getLargeUpdateCounts());
    assertEquals("23505", e.getSQLState());
    assertSame(cause, e.getCause());
    assertSame(cause, e.getNextException());
    assertEquals("batch entry 3 of 4: node n2: duplicate key", e.getMessage());
    assertEquals(3, engine.calls.size());
    assertArrayEquals(new int[0], st.executeBatch());
  }

  @Test
  void aBatchEntryReturningRowsFailsAsExecuteUpdateWould() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(1)));
    Statement st = connection.createStatement();
    st.addBatch("SELECT 1");

    BatchUpdateException e = assertThrows(BatchUpdateException.class, st::executeBatch);

    assertEquals("0100E", e.getSQLState());
    assertArrayEquals(new int[0], e.getUpdateCounts());
  }

  @Test
  void aClosedStatementFailsWith08003AndClosesItsResultSet() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(1)));
    Statement st = connection.createStatement();
    ResultSet rs = st.executeQuery("SELECT 1");

    st.close();
    st.close();

    assertTrue(st.isClosed());
    assertTrue(rs.isClosed());
    assertState("08003", () -> st.execute("SELECT 1"));
    assertState("08003", st::getResultSet);
    assertState("08003", st::getUpdateCount);
    assertState("08003", () -> st.addBatch("SELECT 1"));
    assertState("08003", st::getConnection);
    assertState("08003", rs::next);
    assertState("08003", () -> rs.getInt(1));
    assertEquals(1, engine.calls.size());
  }

  @Test
  void closeOnCompletionClosesTheStatementWithItsLastResultSet() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(1)));
    Statement st = connection.createStatement();
    st.closeOnCompletion();
    ResultSet rs = st.executeQuery("SELECT 1");

    assertFalse(st.isClosed());
    rs.close();

    assertTrue(st.isClosed());
  }

  @Test
  void executingAgainClosesThePreviousResultSet() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(1)));
    Statement st = connection.createStatement();
    ResultSet first = st.executeQuery("SELECT 1");

    st.executeUpdate("DELETE FROM t");

    assertTrue(first.isClosed());
  }

  @Test
  void unsupportedStatementFeaturesFailWith0A000AndHintsAreStored() throws SQLException {
    Statement st = connection.createStatement();

    st.cancel(); // nothing runs: nothing to cancel, as in pgjdbc
    assertState("0A000", () -> st.setCursorName("c"));
    assertState("0A000", () -> st.setMaxFieldSize(10));
    st.setMaxFieldSize(0);
    st.setQueryTimeout(30);
    st.setFetchSize(100);
    st.setFetchDirection(ResultSet.FETCH_UNKNOWN);
    st.setEscapeProcessing(false);
    assertEquals(30, st.getQueryTimeout());
    assertEquals(100, st.getFetchSize());
    assertEquals(ResultSet.FETCH_UNKNOWN, st.getFetchDirection());
    assertState("22023", () -> st.setQueryTimeout(-1));
    assertState("22023", () -> st.setFetchSize(-1));
    assertState("22023", () -> st.setFetchDirection(0));
    assertFalse(st.isPoolable());
    assertSame(connection, st.getConnection());
    assertNull(st.getWarnings());
    assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, st.getResultSetHoldability());
  }

  @Test
  void anEngineFailurePassesThroughUnchanged() throws SQLException {
    SQLException failure = new SQLException("bucket 3: read answered by 1 of 3", "ZY001");
    engine.then(failure);

    SQLException e =
        assertThrows(SQLException.class, () -> connection.createStatement().execute("SELECT 1"));

    assertSame(failure, e);
  }
}
