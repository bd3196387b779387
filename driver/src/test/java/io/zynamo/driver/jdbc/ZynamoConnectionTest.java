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
import io.zynamo.driver.execution.StatementExecutor;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ZynamoConnectionTest {

  private static final String URL =
      "jdbc:zynamo://h1:5432,h2:5433/app?user=alice&password=s3cret&ApplicationName=shop";

  private final FakeExecutor engine = new FakeExecutor();
  private final ZynamoConnection connection;

  ZynamoConnectionTest() throws SQLException {
    connection = new ZynamoConnection(engine, ZynamoUrl.parse(URL));
  }

  private static void assertState(String state, Executable call) {
    assertEquals(state, assertThrows(SQLException.class, call).getSQLState());
  }

  @Test
  void autocommitOffOpensATransactionOnTheFirstStatementAndCommitEndsIt() throws SQLException {
    assertTrue(connection.getAutoCommit());
    connection.setAutoCommit(false);
    assertFalse(connection.getAutoCommit());
    connection.commit(); // nothing open yet: nothing sent
    assertTrue(engine.calls.isEmpty());

    connection.createStatement().execute("UPDATE t SET v = 1 WHERE id = 1");
    connection.createStatement().execute("UPDATE t SET v = 2 WHERE id = 2");
    connection.commit();
    connection.createStatement().execute("SELECT 1");
    connection.rollback();

    assertEquals(
        List.of(
            "BEGIN",
            "UPDATE t SET v = 1 WHERE id = 1",
            "UPDATE t SET v = 2 WHERE id = 2",
            "COMMIT",
            "BEGIN",
            "SELECT 1",
            "ROLLBACK"),
        sqlSent());
  }

  @Test
  void savepointsAreQuotedIdentifiersAndNeedATransaction() throws SQLException {
    assertState("25P01", connection::setSavepoint);
    connection.setAutoCommit(false);

    Savepoint unnamed = connection.setSavepoint();
    Savepoint named = connection.setSavepoint("before \"x\"");
    connection.rollback(named);
    connection.releaseSavepoint(unnamed);

    assertEquals(1, unnamed.getSavepointId());
    assertEquals("before \"x\"", named.getSavepointName());
    assertEquals(
        List.of(
            "BEGIN",
            "SAVEPOINT \"JDBC_SAVEPOINT_1\"",
            "SAVEPOINT \"before \"\"x\"\"\"",
            "ROLLBACK TO SAVEPOINT \"before \"\"x\"\"\"",
            "RELEASE SAVEPOINT \"JDBC_SAVEPOINT_1\""),
        sqlSent());
  }

  @Test
  void commitOfAFailedTransactionRollsBackAndFails() throws SQLException {
    connection.setAutoCommit(false);
    connection.createStatement().execute("SELECT 1");
    engine.state = StatementExecutor.TransactionState.FAILED;

    assertState("25P02", connection::commit);
    assertEquals("ROLLBACK", engine.lastCall().sql());
  }

  @Test
  void autocommitBackOnCommitsTheOpenTransaction() throws SQLException {
    connection.setAutoCommit(false);
    connection.createStatement().execute("SELECT 1");
    connection.setAutoCommit(true);

    assertEquals(List.of("BEGIN", "SELECT 1", "COMMIT"), sqlSent());
  }

  private List<String> sqlSent() {
    return engine.calls.stream().map(FakeExecutor.Call::sql).toList();
  }

  @Test
  void commitAndRollbackFailAsPgjdbcWithAutocommitOn() {
    SQLException commit = assertThrows(SQLException.class, connection::commit);
    SQLException rollback = assertThrows(SQLException.class, connection::rollback);

    assertEquals("25P01", commit.getSQLState());
    assertEquals("Cannot commit when autoCommit is enabled.", commit.getMessage());
    assertEquals("25P01", rollback.getSQLState());
    assertEquals("Cannot rollback when autoCommit is enabled.", rollback.getMessage());
  }

  @Test
  void isolationLevelAndReadOnlyGoIntoBegin() throws SQLException {
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, connection.getTransactionIsolation());
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    connection.setReadOnly(true);
    connection.setAutoCommit(false);
    connection.createStatement().execute("SELECT 1");

    assertEquals("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", engine.calls.get(0).sql());
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ, connection.getTransactionIsolation());
    assertState(
        "25001", () -> connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED));
    assertState("22023", () -> connection.setTransactionIsolation(3));
  }

  @Test
  void onlyForwardOnlyReadOnlyStatementsInEitherHoldability() throws SQLException {
    int forward = ResultSet.TYPE_FORWARD_ONLY;
    int readOnly = ResultSet.CONCUR_READ_ONLY;

    Statement held =
        connection.createStatement(forward, readOnly, ResultSet.HOLD_CURSORS_OVER_COMMIT);

    assertEquals(ResultSet.HOLD_CURSORS_OVER_COMMIT, held.getResultSetHoldability());
    SQLException scroll =
        assertThrows(
            SQLFeatureNotSupportedException.class,
            () -> connection.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, readOnly));
    assertEquals("0A000", scroll.getSQLState());
    assertTrue(scroll.getMessage().contains("TYPE_SCROLL_INSENSITIVE"), scroll.getMessage());
    assertState(
        "0A000",
        () -> connection.prepareStatement("SELECT 1", forward, ResultSet.CONCUR_UPDATABLE));
    assertState("22023", () -> connection.createStatement(forward, readOnly, 0));
    assertState("0A000", () -> connection.prepareCall("CALL p()"));
  }

  @Test
  void everyMethodOfAClosedConnectionFailsWith08003() throws SQLException {
    connection.close();
    List<Executable> calls = new ArrayList<>();
    calls.add(connection::createStatement);
    calls.add(() -> connection.prepareStatement("SELECT 1"));
    calls.add(() -> connection.prepareStatement("SELECT 1", Statement.RETURN_GENERATED_KEYS));
    calls.add(() -> connection.prepareCall("CALL p()"));
    calls.add(() -> connection.nativeSQL("SELECT 1"));
    calls.add(connection::getAutoCommit);
    calls.add(() -> connection.setAutoCommit(true));
    calls.add(connection::commit);
    calls.add(connection::rollback);
    calls.add(connection::setSavepoint);
    calls.add(connection::getMetaData);
    calls.add(() -> connection.setReadOnly(true));
    calls.add(connection::isReadOnly);
    calls.add(connection::getCatalog);
    calls.add(connection::getSchema);
    calls.add(connection::getTransactionIsolation);
    calls.add(connection::getWarnings);
    calls.add(connection::getTypeMap);
    calls.add(connection::getHoldability);
    calls.add(() -> connection.getClientInfo("ApplicationName"));
    calls.add(() -> connection.createArrayOf("int4", new Object[0]));
    calls.add(connection::createBlob);
    calls.add(connection::getNetworkTimeout);

    for (Executable call : calls) {
      assertState("08003", call);
    }
    SQLClientInfoException info =
        assertThrows(SQLClientInfoException.class, () -> connection.setClientInfo("a", "b"));
    assertEquals("08003", info.getSQLState());
    assertEquals(Map.of("a", java.sql.ClientInfoStatus.REASON_UNKNOWN), info.getFailedProperties());
    assertFalse(connection.isValid(1));
    assertTrue(connection.isClosed());
  }

  @Test
  void closeClosesStatementsResultSetsAndTheEngineOnce() throws SQLException {
    engine.then(new Outcome.Rows(Rows.numbers(1)));
    Statement statement = connection.createStatement();
    ResultSet rs = statement.executeQuery("SELECT 1");
    Statement closedEarlier = connection.prepareStatement("SELECT 2");
    closedEarlier.close();

    connection.close();
    connection.close();

    assertTrue(statement.isClosed());
    assertTrue(rs.isClosed());
    assertEquals(1, engine.closeCount);
  }

  @Test
  void abortClosesAtOnceAndTheEngineOnTheExecutor() throws SQLException {
    List<Runnable> tasks = new ArrayList<>();

    connection.abort(tasks::add);

    assertTrue(connection.isClosed());
    assertEquals(0, engine.closeCount);
    tasks.forEach(Runnable::run);
    assertEquals(1, engine.closeCount);
    connection.abort(tasks::add);
    assertEquals(1, tasks.size());
  }

  @Test
  void isValidAsksTheEngine() throws SQLException {
    assertTrue(connection.isValid(2));
    engine.valid = false;

    assertFalse(connection.isValid(2));
    assertState("22023", () -> connection.isValid(-1));
  }

  @Test
  void settingsAndTheirLimits() throws SQLException {
    assertEquals("app", connection.getCatalog());
    connection.setCatalog("other");
    assertEquals("app", connection.getCatalog());
    assertEquals("public", connection.getSchema());
    connection.setSchema("public");
    assertState("0A000", () -> connection.setSchema("sales"));
    connection.setReadOnly(true);
    assertTrue(connection.isReadOnly());
    assertTrue(connection.getTypeMap().isEmpty());
    connection.setTypeMap(Map.of());
    assertState("0A000", () -> connection.setTypeMap(Map.of("point", Object.class)));
    connection.setNetworkTimeout(null, 1500);
    assertEquals(1500, connection.getNetworkTimeout());
    assertState("22023", () -> connection.setNetworkTimeout(null, -1));
    assertEquals("SELECT {fn now()}", connection.nativeSQL("SELECT {fn now()}"));
    assertNull(connection.getWarnings());
    assertEquals(ResultSet.CLOSE_CURSORS_AT_COMMIT, connection.getHoldability());
    assertState("0A000", connection::createClob);
    assertState("0A000", connection::createSQLXML);
    assertState("0A000", () -> connection.setShardingKey(null));
  }

  @Test
  void clientInfoIsStoredStartingFromTheUrlsApplicationName() throws SQLException {
    assertEquals("shop", connection.getClientInfo("ApplicationName"));

    connection.setClientInfo("ClientUser", "bob");
    connection.setClientInfo("ApplicationName", null);

    Properties expected = new Properties();
    expected.setProperty("ClientUser", "bob");
    assertEquals(expected, connection.getClientInfo());
    Properties replaced = new Properties();
    replaced.setProperty("ApplicationName", "batch");
    connection.setClientInfo(replaced);
    assertEquals(replaced, connection.getClientInfo());
  }

  @Test
  void createArrayOfMakesABindableArrayWithAPostgresLiteral() throws SQLException {
    Array array =
        connection.createArrayOf(
            "text", new Object[] {"a b", "say \"hi\"", null, "NULL", new Object[] {"x"}});

    assertEquals("text", array.getBaseTypeName());
    assertEquals(Types.VARCHAR, array.getBaseType());
    assertEquals("{\"a b\",\"say \\\"hi\\\"\",NULL,\"NULL\",{\"x\"}}", array.toString());
    assertArrayEquals(new Object[] {"say \"hi\"", null}, (Object[]) array.getArray(2, 2));
    assertEquals(Types.OTHER, connection.createArrayOf("hstore", new Object[0]).getBaseType());
    assertEquals(
        "{\"\\\\x0aff\"}",
        connection.createArrayOf("bytea", new Object[] {new byte[] {10, -1}}).toString());
    assertState("0A000", array::getResultSet);
    array.free();
    assertState("55000", array::getArray);
  }

  @Test
  void metadataForwardsButIsAboutZynamoWhereItMatters() throws SQLException {
    engine.metaData = nodeMetaData();

    DatabaseMetaData meta = connection.getMetaData();

    assertSame(connection, meta.getConnection());
    assertEquals(
        "jdbc:zynamo://h1:5432,h2:5433/app?user=alice&password=***&ApplicationName=shop",
        meta.getURL());
    assertEquals("Zynamo JDBC Driver", meta.getDriverName());
    assertEquals("0.1", meta.getDriverVersion());
    assertEquals(0, meta.getDriverMajorVersion());
    assertEquals(1, meta.getDriverMinorVersion());
    assertEquals("PostgreSQL", meta.getDatabaseProductName());
    assertEquals("alice", meta.getUserName());
    assertTrue(meta.supportsTransactions());
    assertTrue(meta.supportsSavepoints());
    assertTrue(meta.supportsTransactionIsolationLevel(Connection.TRANSACTION_READ_COMMITTED));
    assertFalse(meta.supportsTransactionIsolationLevel(Connection.TRANSACTION_SERIALIZABLE));
    assertTrue(meta.supportsResultSetType(ResultSet.TYPE_FORWARD_ONLY));
    assertFalse(meta.supportsResultSetType(ResultSet.TYPE_SCROLL_INSENSITIVE));
    assertFalse(meta.supportsStoredProcedures());
    ResultSet tables = meta.getTables(null, "public", "%", new String[] {"TABLE"});
    assertTrue(tables.next());
    assertEquals("orders", tables.getString(1));
  }

  /** A node's metadata: PostgreSQL, user alice, one table, and a foreign connection. */
  private static DatabaseMetaData nodeMetaData() {
    return (DatabaseMetaData)
        Proxy.newProxyInstance(
            ZynamoConnectionTest.class.getClassLoader(),
            new Class<?>[] {DatabaseMetaData.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getDatabaseProductName" -> "PostgreSQL";
                  case "getUserName" -> "alice";
                  case "getTables" -> Rows.of(new String[] {"TABLE_NAME"}, new Object[] {"orders"});
                  case "supportsTransactions", "supportsStoredProcedures" -> true;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
