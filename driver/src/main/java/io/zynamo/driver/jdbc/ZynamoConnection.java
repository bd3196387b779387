package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.sql.SqlFrontend;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A JDBC connection to a Zynamo cluster: the JDBC surface over one {@link StatementExecutor}, which
 * does all routing and execution. Statements run one at a time: calls from several threads wait
 * their turn, as on a pgjdbc connection.
 *
 * <p>What Zynamo does not do yet is refused, never imitated:
 *
 * <ul>
 *   <li><b>Transactions</b>: with {@code setAutoCommit(false)} the first statement opens a cluster
 *       transaction (see {@code docs/sql-support.md}), with the isolation level set here and READ
 *       ONLY when {@link #setReadOnly} asked for it (as pgjdbc sends {@code BEGIN READ ONLY});
 *       savepoints work inside it. {@code commit()} or {@code rollback()} with autocommit on fail
 *       as in pgjdbc ({@code 25P01}).
 *   <li><b>Result sets</b> are {@code TYPE_FORWARD_ONLY} and {@code CONCUR_READ_ONLY}; asking for
 *       others fails with {@code 0A000} (JDBC would allow a downgrade with a warning; a failure is
 *       harder to miss).
 *   <li>{@code prepareCall}, type maps, {@code Blob}/{@code Clob}/{@code NClob}/{@code SQLXML}/
 *       {@code Struct} factories, JDBC sharding keys and schemas other than {@code public}: {@code
 *       0A000}.
 * </ul>
 *
 * <p>Stored but not applied yet: {@code readOnly} (a hint, as pgjdbc's default {@code
 * readOnlyMode=transaction} applies it only inside transactions), client info (not sent to the
 * nodes), the network timeout. A closed connection fails every call with {@code 08003}, except
 * {@code close}, {@code isClosed}, {@code isValid}, {@code abort} and the wrapper methods.
 */
public final class ZynamoConnection implements Connection {

  /** pgjdbc's default. */
  private static final int DEFAULT_HOLDABILITY = ResultSet.CLOSE_CURSORS_AT_COMMIT;

  private static final String PUBLIC_SCHEMA = "public";

  private final StatementExecutor executor;
  private final ZynamoUrl url;
  private final SqlFrontend frontend = new SqlFrontend();
  private final ReentrantLock executing = new ReentrantLock();

  /** The statement whose SQL the engine runs now, for {@link #cancel(ZynamoStatement)}. */
  private volatile @Nullable ZynamoStatement runningFor;

  private final Set<ZynamoStatement> statements = ConcurrentHashMap.newKeySet();
  private final Properties clientInfo = new Properties();
  private volatile boolean closed;
  private boolean readOnly;
  private volatile boolean autoCommit = true;
  private int isolation = TRANSACTION_READ_COMMITTED;

  /** {@code BEGIN}'s modes for {@link #isolation}; empty for the nodes' default. */
  private String isolationModes = "";

  private int savepointCount;
  private int holdability = DEFAULT_HOLDABILITY;
  private int networkTimeoutMillis;

  /**
   * A connection over an engine the driver opened for {@code url}.
   *
   * @param url what the metadata reports ({@code getURL()}, passwords hidden) and where the
   *     database name and an {@code ApplicationName} client info come from
   */
  public ZynamoConnection(StatementExecutor executor, ZynamoUrl url) {
    this.executor = requireNonNull(executor, "executor");
    this.url = requireNonNull(url, "url");
    String applicationName = url.passThroughValues().get(ClientInfo.APPLICATION_NAME);
    if (applicationName != null) {
      clientInfo.setProperty(ClientInfo.APPLICATION_NAME, applicationName);
    }
  }

  private void checkOpen() throws SQLException {
    if (closed) {
      throw JdbcErrors.closed("connection");
    }
  }

  /** Runs one statement of the connection's own (COMMIT, SET...) on the engine. */
  Outcome execute(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    return execute(null, sql, parameters, generatedKeys);
  }

  /**
   * Runs one statement of {@code owner} (null: the connection's own) on the engine, one at a time
   * per connection.
   */
  Outcome execute(
      @Nullable ZynamoStatement owner,
      String sql,
      List<@Nullable Object> parameters,
      boolean generatedKeys)
      throws SQLException {
    requireNonNull(sql, "sql");
    checkOpen();
    executing.lock();
    try {
      checkOpen();
      beginIfNeeded();
      runningFor = owner;
      Outcome outcome;
      try {
        outcome = executor.execute(sql, parameters, generatedKeys);
      } finally {
        runningFor = null;
      }
      if (outcome == null) {
        throw ZynamoErrors.create(
            ZynamoSqlState.INTERNAL_ERROR,
            "the engine returned no outcome (expected: rows or count)");
      }
      return outcome;
    } finally {
      executing.unlock();
    }
  }

  /**
   * Cancels {@code statement}'s SQL if the engine runs it now, on every node running part of it
   * (57014); nothing otherwise, as in pgjdbc.
   */
  void cancel(ZynamoStatement statement) {
    if (runningFor == statement) {
      executor.cancel();
    }
  }

  /** With autocommit off and no transaction open, opens one, as pgjdbc's implicit BEGIN. */
  private void beginIfNeeded() throws SQLException {
    if (!autoCommit && executor.transactionState() == StatementExecutor.TransactionState.IDLE) {
      String modes = readOnly ? (isolationModes + " READ ONLY").strip() : isolationModes;
      executor.execute(modes.isEmpty() ? "BEGIN" : "BEGIN " + modes, List.of(), false);
    }
  }

  /** Runs a batch as one unit on the engine when it can; see {@link StatementExecutor}. */
  Optional<long[]> executeBatch(
      ZynamoStatement owner, List<StatementExecutor.BatchStatement> statements)
      throws SQLException {
    checkOpen();
    executing.lock();
    try {
      checkOpen();
      beginIfNeeded();
      runningFor = owner;
      return executor.executeBatch(statements);
    } finally {
      runningFor = null;
      executing.unlock();
    }
  }

  SqlFrontend frontend() {
    return frontend;
  }

  void statementClosed(ZynamoStatement statement) {
    statements.remove(statement);
  }

  private <S extends ZynamoStatement> S register(S statement) {
    statements.add(statement);
    return statement;
  }

  @Override
  public Statement createStatement() throws SQLException {
    return createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
  }

  @Override
  public Statement createStatement(int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return createStatement(resultSetType, resultSetConcurrency, holdability);
  }

  @Override
  public Statement createStatement(
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    checkOpen();
    ResultSetKind.check(resultSetType, resultSetConcurrency, resultSetHoldability);
    return register(new ZynamoStatement(this, resultSetHoldability, false));
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    return prepare(sql, KeyColumns.NONE, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    return prepareStatement(sql, resultSetType, resultSetConcurrency, holdability);
  }

  @Override
  public PreparedStatement prepareStatement(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    checkOpen();
    ResultSetKind.check(resultSetType, resultSetConcurrency, resultSetHoldability);
    return prepare(sql, KeyColumns.NONE, resultSetHoldability);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    return prepare(sql, KeyColumns.of(autoGeneratedKeys), holdability);
  }

  /** Generated keys: the written rows' columns at these indexes (see {@link KeyColumns}). */
  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    return prepare(sql, KeyColumns.ofIndexes(columnIndexes), holdability);
  }

  /** Generated keys: the written rows' columns with these names (see {@link KeyColumns}). */
  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    return prepare(sql, KeyColumns.ofNames(columnNames), holdability);
  }

  private PreparedStatement prepare(String sql, KeyColumns keys, int resultSetHoldability)
      throws SQLException {
    checkOpen();
    requireNonNull(sql, "sql");
    return register(new ZynamoPreparedStatement(this, sql, keys, resultSetHoldability));
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    throw callsNotSupported();
  }

  @Override
  public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency)
      throws SQLException {
    throw callsNotSupported();
  }

  @Override
  public CallableStatement prepareCall(
      String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    throw callsNotSupported();
  }

  private SQLException callsNotSupported() throws SQLException {
    checkOpen();
    return JdbcErrors.notSupported(
        "prepareCall is not supported: run procedures and functions with CALL or SELECT through"
            + " prepareStatement");
  }

  /** The SQL as given: JDBC escapes are left to the node connections (see ZynamoStatement). */
  @Override
  public String nativeSQL(String sql) throws SQLException {
    checkOpen();
    return requireNonNull(sql, "sql");
  }

  /**
   * With autocommit off, the first statement opens a transaction (as pgjdbc sends BEGIN before it),
   * with this connection's isolation level; switching autocommit back on commits it (JDBC).
   */
  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    checkOpen();
    if (autoCommit == this.autoCommit) {
      return;
    }
    if (autoCommit && executor.transactionState() != StatementExecutor.TransactionState.IDLE) {
      commit();
    }
    this.autoCommit = autoCommit;
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit;
  }

  /**
   * Commits the open transaction (nothing to do when none is open yet). A transaction that failed
   * is rolled back instead and the commit fails with {@code 25P02}, as in pgjdbc.
   */
  @Override
  public void commit() throws SQLException {
    checkOpen();
    if (autoCommit) {
      throw ZynamoErrors.create(
          ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION, "Cannot commit when autoCommit is enabled.");
    }
    StatementExecutor.TransactionState state = executor.transactionState();
    if (state == StatementExecutor.TransactionState.FAILED) {
      execute("ROLLBACK", List.of(), false);
      throw ZynamoErrors.create(
          ZynamoSqlState.IN_FAILED_SQL_TRANSACTION,
          "The transaction failed earlier and was rolled back, so it cannot be committed.");
    }
    if (state == StatementExecutor.TransactionState.ACTIVE) {
      execute("COMMIT", List.of(), false);
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    if (autoCommit) {
      throw ZynamoErrors.create(
          ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION, "Cannot rollback when autoCommit is enabled.");
    }
    if (executor.transactionState() != StatementExecutor.TransactionState.IDLE) {
      execute("ROLLBACK", List.of(), false);
    }
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    execute("ROLLBACK TO SAVEPOINT " + savepointOf(savepoint).identifier(), List.of(), false);
  }

  @Override
  public Savepoint setSavepoint() throws SQLException {
    checkSavepointAllowed();
    return setSavepoint(new ZynamoSavepoint(++savepointCount, null));
  }

  @Override
  public Savepoint setSavepoint(String name) throws SQLException {
    checkSavepointAllowed();
    return setSavepoint(new ZynamoSavepoint(0, requireNonNull(name, "name")));
  }

  private void checkSavepointAllowed() throws SQLException {
    checkOpen();
    if (autoCommit) {
      throw ZynamoErrors.create(
          ZynamoSqlState.NO_ACTIVE_SQL_TRANSACTION,
          "Cannot establish a savepoint in auto-commit mode.");
    }
  }

  private Savepoint setSavepoint(ZynamoSavepoint savepoint) throws SQLException {
    execute("SAVEPOINT " + savepoint.identifier(), List.of(), false);
    return savepoint;
  }

  @Override
  public void releaseSavepoint(Savepoint savepoint) throws SQLException {
    execute("RELEASE SAVEPOINT " + savepointOf(savepoint).identifier(), List.of(), false);
  }

  private ZynamoSavepoint savepointOf(Savepoint savepoint) throws SQLException {
    checkOpen();
    if (savepoint instanceof ZynamoSavepoint own) {
      return own;
    }
    throw ZynamoErrors.invalidValue(
        "savepoint", String.valueOf(savepoint), "a savepoint set on this connection");
  }

  /**
   * Any level PostgreSQL knows: READ UNCOMMITTED runs as READ COMMITTED, as in PostgreSQL;
   * SERIALIZABLE is refused when the next transaction begins on a cluster of several nodes.
   */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    String modes =
        switch (level) {
          case TRANSACTION_READ_UNCOMMITTED -> "ISOLATION LEVEL READ UNCOMMITTED";
          case TRANSACTION_READ_COMMITTED -> "ISOLATION LEVEL READ COMMITTED";
          case TRANSACTION_REPEATABLE_READ -> "ISOLATION LEVEL REPEATABLE READ";
          case TRANSACTION_SERIALIZABLE -> "ISOLATION LEVEL SERIALIZABLE";
          default ->
              throw ZynamoErrors.invalidValue(
                  "transaction isolation level",
                  Integer.toString(level),
                  "a Connection.TRANSACTION_ level other than NONE");
        };
    if (executor.transactionState() != StatementExecutor.TransactionState.IDLE) {
      throw ZynamoErrors.create(
          ZynamoSqlState.ACTIVE_SQL_TRANSACTION,
          "Cannot change transaction isolation level in the middle of a transaction.");
    }
    isolation = level;
    isolationModes = modes;
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return isolation;
  }

  /**
   * Closes every open statement (and so its result sets), then the engine. A second close does
   * nothing.
   */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    SQLException failure = closeStatements();
    try {
      executor.close();
    } catch (SQLException e) {
      if (failure != null) {
        e.addSuppressed(failure);
      }
      throw e;
    }
    if (failure != null) {
      throw failure;
    }
  }

  private @Nullable SQLException closeStatements() {
    SQLException failure = null;
    for (ZynamoStatement statement : List.copyOf(statements)) {
      try {
        statement.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    statements.clear();
    return failure;
  }

  /**
   * Marks the connection closed at once and closes the engine on {@code executor}; a failure to
   * close is thrown there, wrapped in an IllegalStateException, as nobody waits for it here.
   */
  @Override
  public void abort(Executor executor) throws SQLException {
    if (executor == null) {
      throw ZynamoErrors.invalidValue("abort executor", "null", "an Executor");
    }
    if (closed) {
      return;
    }
    closed = true;
    closeStatements();
    executor.execute(
        () -> {
          try {
            this.executor.close();
          } catch (SQLException e) {
            throw new IllegalStateException("closing the aborted connection failed", e);
          }
        });
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** False once closed; otherwise whether the cluster answers within the timeout. */
  @Override
  public boolean isValid(int timeoutSeconds) throws SQLException {
    if (timeoutSeconds < 0) {
      throw ZynamoErrors.invalidValue("timeout", Integer.toString(timeoutSeconds), ">= 0 seconds");
    }
    return !closed && executor.isValid(timeoutSeconds);
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    return new ZynamoDatabaseMetaData(executor.metaData(), this, url);
  }

  /** Stored; transactions opened with autocommit off are then READ ONLY, as in pgjdbc. */
  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    this.readOnly = readOnly;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return readOnly;
  }

  /** Ignored, as pgjdbc ignores it: a connection serves one database. */
  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
  }

  /** The database every node serves. */
  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return url.database();
  }

  /** Only {@code public}; choosing another schema is not supported yet. */
  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    if (!PUBLIC_SCHEMA.equals(schema)) {
      throw JdbcErrors.notSupported(
          "setSchema(\"" + schema + "\") is not supported yet (only \"public\")");
    }
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return PUBLIC_SCHEMA;
  }

  @Override
  public @Nullable SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
  }

  /** Empty: user-defined type mappings are not supported. */
  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    checkOpen();
    return new HashMap<>();
  }

  @Override
  public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    checkOpen();
    if (map != null && !map.isEmpty()) {
      throw JdbcErrors.notSupported("type maps are not supported (only an empty one)");
    }
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
    ResultSetKind.checkHoldability(holdability);
    this.holdability = holdability;
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    return holdability;
  }

  @Override
  public void setClientInfo(String name, @Nullable String value) throws SQLClientInfoException {
    ClientInfo.set(clientInfo, closed, name, value);
  }

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {
    ClientInfo.replace(clientInfo, closed, properties);
  }

  @Override
  public @Nullable String getClientInfo(String name) throws SQLException {
    checkOpen();
    return clientInfo.getProperty(name);
  }

  @Override
  public Properties getClientInfo() throws SQLException {
    checkOpen();
    Properties copy = new Properties();
    copy.putAll(clientInfo);
    return copy;
  }

  /** An array value for {@code setArray} or {@code setObject}; see {@link ZynamoArray}. */
  @Override
  public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    checkOpen();
    return new ZynamoArray(typeName, elements);
  }

  @Override
  public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    throw notCreatable("Struct", "bind a row value as text or as separate parameters");
  }

  @Override
  public Blob createBlob() throws SQLException {
    throw notCreatable("Blob", "bind byte[] (setBytes) for bytea");
  }

  @Override
  public Clob createClob() throws SQLException {
    throw notCreatable("Clob", "bind a String (setString) for text");
  }

  @Override
  public NClob createNClob() throws SQLException {
    throw notCreatable("NClob", "bind a String (setNString) for text");
  }

  @Override
  public SQLXML createSQLXML() throws SQLException {
    throw notCreatable("SQLXML", "bind the document as a String");
  }

  private SQLException notCreatable(String type, String instead) throws SQLException {
    checkOpen();
    return JdbcErrors.notSupported("create" + type + " is not supported: " + instead);
  }

  /** Stored only: the engine does not apply it to node connections yet. */
  @Override
  public void setNetworkTimeout(@Nullable Executor executor, int milliseconds) throws SQLException {
    checkOpen();
    if (milliseconds < 0) {
      throw ZynamoErrors.invalidValue(
          "network timeout", Integer.toString(milliseconds), ">= 0 milliseconds");
    }
    networkTimeoutMillis = milliseconds;
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return networkTimeoutMillis;
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey) throws SQLException {
    throw shardingKeysNotSupported();
  }

  @Override
  public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey)
      throws SQLException {
    throw shardingKeysNotSupported();
  }

  @Override
  public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException {
    throw shardingKeysNotSupported();
  }

  @Override
  public boolean setShardingKeyIfValid(
      ShardingKey shardingKey, ShardingKey superShardingKey, int timeout) throws SQLException {
    throw shardingKeysNotSupported();
  }

  private SQLException shardingKeysNotSupported() throws SQLException {
    checkOpen();
    return JdbcErrors.notSupported(
        "JDBC sharding keys are not supported: Zynamo routes each statement by the shard key"
            + " values in it");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw JdbcErrors.notAWrapperFor(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  /** For logs: the URL with secrets hidden. */
  @Override
  public String toString() {
    return "ZynamoConnection " + url + (closed ? " (closed)" : "");
  }
}
