package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.execution.Outcome;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * A JDBC statement over the connection's {@code StatementExecutor}: every execution hands the SQL
 * text, the parameters and whether generated keys are wanted to the engine, and shows the engine's
 * {@link Outcome} as JDBC results (see {@link StatementResults}):
 *
 * <ul>
 *   <li>{@code Outcome.Rows}: a result set;
 *   <li>{@code Outcome.Count} when generated keys were asked for: the count, and the written rows
 *       as the generated keys (an empty result set when the engine returned none);
 *   <li>{@code Outcome.Count} with rows nobody asked for (the statement's own {@code RETURNING}): a
 *       result set, as pgjdbc shows {@code INSERT ... RETURNING};
 *   <li>any other {@code Outcome.Count}: the count, 0 for a statement without one (DDL).
 * </ul>
 *
 * <p>{@code executeQuery} of a statement without rows fails with pgjdbc's {@code 02000}, {@code
 * executeUpdate} of one with rows with pgjdbc's {@code 0100E}; both after the statement ran, as in
 * pgjdbc. Only forward-only, read-only result sets exist. Settings the engine cannot honour yet are
 * either refused ({@code setCursorName}, a {@code maxFieldSize}) or stored as the hints JDBC allows
 * them to be ({@code fetchSize}, {@code fetchDirection}, {@code escapeProcessing}: see the
 * setters). {@code cancel} and {@code queryTimeout} reach every node running the statement.
 */
public class ZynamoStatement implements Statement {

  private final ZynamoConnection connection;
  private final int holdability;
  private final StatementResults results = new StatementResults(this);
  private final Batch batch = new Batch();
  private volatile boolean closed;

  private long maxRows;
  private int fetchSize;
  private int fetchDirection = ResultSet.FETCH_FORWARD;
  private int queryTimeoutSeconds;
  private boolean escapeProcessing = true;
  private boolean poolable;
  private boolean closeOnCompletion;

  ZynamoStatement(ZynamoConnection connection, int holdability, boolean poolable) {
    this.connection = requireNonNull(connection, "connection");
    this.holdability = holdability;
    this.poolable = poolable;
  }

  /** Fails with {@code 08003} once closed, also when the connection closed. */
  final void checkOpen() throws SQLException {
    if (closed) {
      throw JdbcErrors.closed("statement");
    }
  }

  final int holdability() {
    return holdability;
  }

  /**
   * Runs one statement and makes its outcome the current result, closing the previous results.
   *
   * @return whether the result is a result set
   */
  final boolean run(String sql, List<@Nullable Object> parameters, KeyColumns keys)
      throws SQLException {
    checkOpen();
    results.clear();
    Outcome outcome = timed(() -> connection.execute(this, sql, parameters, keys.requested()));
    if (outcome instanceof Outcome.Rows rows) {
      results.rows(resultSet(rows.rows(), maxRows));
      return true;
    }
    Outcome.Count count = (Outcome.Count) outcome;
    ResultSet returned = count.returned();
    if (returned != null && !keys.requested()) {
      results.rows(resultSet(returned, maxRows));
      return true;
    }
    results.count(count.count(), returned, keys);
    return false;
  }

  /** {@code executeQuery}: the result set, or pgjdbc's {@code 02000}. */
  final ResultSet query(String sql, List<@Nullable Object> parameters) throws SQLException {
    ZynamoResultSet rows = run(sql, parameters, KeyColumns.NONE) ? results.resultSet() : null;
    if (rows == null) {
      throw JdbcErrors.noResults();
    }
    return rows;
  }

  /** {@code executeUpdate}: the count, or pgjdbc's {@code 0100E} (the rows closed). */
  final long update(String sql, List<@Nullable Object> parameters, KeyColumns keys)
      throws SQLException {
    if (run(sql, parameters, keys)) {
      results.clear();
      throw JdbcErrors.resultWhenNoneExpected();
    }
    return results.updateCount();
  }

  private ZynamoResultSet resultSet(ResultSet rows, long limit) {
    return new ZynamoResultSet(rows, this, limit);
  }

  /** Called by a result set of this statement that the application closed. */
  final void resultSetClosed() throws SQLException {
    if (closeOnCompletion && !closed && results.allClosed()) {
      close();
    }
  }

  final void addToBatch(Batch.Entry entry) throws SQLException {
    checkOpen();
    batch.add(entry);
  }

  /**
   * The generated keys every execution without a key argument asks for: none for a Statement; for a
   * PreparedStatement, those it was prepared with.
   */
  KeyColumns defaultKeys() {
    return KeyColumns.NONE;
  }

  @Override
  public ResultSet executeQuery(String sql) throws SQLException {
    return query(sql, List.of());
  }

  @Override
  public int executeUpdate(String sql) throws SQLException {
    return asInt(executeLargeUpdate(sql));
  }

  @Override
  public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return asInt(executeLargeUpdate(sql, autoGeneratedKeys));
  }

  @Override
  public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return asInt(executeLargeUpdate(sql, columnIndexes));
  }

  @Override
  public int executeUpdate(String sql, String[] columnNames) throws SQLException {
    return asInt(executeLargeUpdate(sql, columnNames));
  }

  @Override
  public long executeLargeUpdate(String sql) throws SQLException {
    return update(sql, List.of(), KeyColumns.NONE);
  }

  @Override
  public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
    return update(sql, List.of(), KeyColumns.of(autoGeneratedKeys));
  }

  @Override
  public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
    return update(sql, List.of(), KeyColumns.ofIndexes(columnIndexes));
  }

  @Override
  public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
    return update(sql, List.of(), KeyColumns.ofNames(columnNames));
  }

  @Override
  public boolean execute(String sql) throws SQLException {
    return run(sql, List.of(), KeyColumns.NONE);
  }

  @Override
  public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
    return run(sql, List.of(), KeyColumns.of(autoGeneratedKeys));
  }

  @Override
  public boolean execute(String sql, int[] columnIndexes) throws SQLException {
    return run(sql, List.of(), KeyColumns.ofIndexes(columnIndexes));
  }

  @Override
  public boolean execute(String sql, String[] columnNames) throws SQLException {
    return run(sql, List.of(), KeyColumns.ofNames(columnNames));
  }

  @Override
  public @Nullable ResultSet getResultSet() throws SQLException {
    checkOpen();
    return results.resultSet();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    checkOpen();
    return results.intUpdateCount();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    checkOpen();
    return results.updateCount();
  }

  /** Always false: a statement has one result; closes the current result set. */
  @Override
  public boolean getMoreResults() throws SQLException {
    return getMoreResults(CLOSE_CURRENT_RESULT);
  }

  @Override
  public boolean getMoreResults(int current) throws SQLException {
    checkOpen();
    return results.moreResults(current);
  }

  /**
   * The written rows (or the selected columns of them) when the last execution asked for generated
   * keys; otherwise a result set with no columns and no rows, as pgjdbc.
   */
  @Override
  public ResultSet getGeneratedKeys() throws SQLException {
    checkOpen();
    return results.generatedKeys();
  }

  @Override
  public void addBatch(String sql) throws SQLException {
    addToBatch(new Batch.Entry(sql, List.of()));
  }

  @Override
  public void clearBatch() throws SQLException {
    checkOpen();
    batch.clear();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    return Arrays.stream(executeLargeBatch()).mapToInt(ZynamoStatement::asInt).toArray();
  }

  /** Runs the batch's statements one by one, in order; see {@link Batch} for a failure. */
  @Override
  public long[] executeLargeBatch() throws SQLException {
    checkOpen();
    results.clear();
    if (defaultKeys().requested()) {
      results.keysLostToBatch();
    }
    return timed(() -> batch.run(connection, this));
  }

  /** A call to the engine that may throw. */
  @FunctionalInterface
  private interface EngineCall<T> {
    T run() throws SQLException;
  }

  /** Runs {@code call} under the query timeout: when it expires, the statement is cancelled. */
  private <T> T timed(EngineCall<T> call) throws SQLException {
    int seconds = queryTimeoutSeconds;
    if (seconds == 0) {
      return call.run();
    }
    ScheduledFuture<?> timer = QueryTimeouts.schedule(() -> connection.cancel(this), seconds);
    try {
      return call.run();
    } finally {
      timer.cancel(false);
    }
  }

  /** The int form of a count: {@code SUCCESS_NO_INFO} above {@code Integer.MAX_VALUE}. */
  static int asInt(long count) {
    return count > Integer.MAX_VALUE ? SUCCESS_NO_INFO : (int) count;
  }

  @Override
  public Connection getConnection() throws SQLException {
    checkOpen();
    return connection;
  }

  /** Closes the statement and its result sets; a second close does nothing. */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    batch.clear();
    try {
      results.clear();
    } finally {
      connection.statementClosed(this);
    }
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    checkOpen();
    closeOnCompletion = true;
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    checkOpen();
    return closeOnCompletion;
  }

  /** Applied by wrapping each result set: {@code next()} stops after {@code max} rows. */
  @Override
  public void setMaxRows(int max) throws SQLException {
    setLargeMaxRows(max);
  }

  @Override
  public void setLargeMaxRows(long max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw ZynamoErrors.invalidValue("maxRows", Long.toString(max), ">= 0, 0 = no limit");
    }
    maxRows = max;
  }

  @Override
  public int getMaxRows() throws SQLException {
    return (int) Math.min(getLargeMaxRows(), Integer.MAX_VALUE);
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    checkOpen();
    return maxRows;
  }

  /** Only 0 (no limit): truncating values is not supported. */
  @Override
  public void setMaxFieldSize(int max) throws SQLException {
    checkOpen();
    if (max < 0) {
      throw ZynamoErrors.invalidValue("maxFieldSize", Integer.toString(max), ">= 0");
    }
    if (max > 0) {
      throw JdbcErrors.notSupported(
          "setMaxFieldSize(" + max + ") is not supported: values are never truncated (only 0)");
    }
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    checkOpen();
    return 0;
  }

  /** A hint, stored: the engine does not fetch in batches yet. */
  @Override
  public void setFetchSize(int rows) throws SQLException {
    checkOpen();
    if (rows < 0) {
      throw ZynamoErrors.invalidValue("fetchSize", Integer.toString(rows), ">= 0");
    }
    fetchSize = rows;
  }

  @Override
  public int getFetchSize() throws SQLException {
    checkOpen();
    return fetchSize;
  }

  /** A hint, stored as pgjdbc stores it; result sets are forward-only whatever it says. */
  @Override
  public void setFetchDirection(int direction) throws SQLException {
    checkOpen();
    if (direction != ResultSet.FETCH_FORWARD
        && direction != ResultSet.FETCH_REVERSE
        && direction != ResultSet.FETCH_UNKNOWN) {
      throw ZynamoErrors.invalidValue(
          "fetch direction",
          Integer.toString(direction),
          "FETCH_FORWARD, FETCH_REVERSE or FETCH_UNKNOWN");
    }
    fetchDirection = direction;
  }

  @Override
  public int getFetchDirection() throws SQLException {
    checkOpen();
    return fetchDirection;
  }

  /**
   * When an execution of this statement runs longer, it is cancelled on every node running part of
   * it and fails with 57014, as in pgjdbc (whose message also says "due to user request").
   */
  @Override
  public void setQueryTimeout(int seconds) throws SQLException {
    checkOpen();
    if (seconds < 0) {
      throw ZynamoErrors.invalidValue("queryTimeout", Integer.toString(seconds), ">= 0 seconds");
    }
    queryTimeoutSeconds = seconds;
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    checkOpen();
    return queryTimeoutSeconds;
  }

  /**
   * From another thread: cancels this statement's execution on every node running part of it; it
   * fails with 57014. Nothing when it is not executing (a result set being read is not).
   */
  @Override
  public void cancel() throws SQLException {
    checkOpen();
    connection.cancel(this);
  }

  /**
   * Stored only. JDBC escapes ({@code {fn ...}}, {@code {d '...'}}) are left in the SQL text for
   * the node connections, whose pgjdbc processes them (its default).
   */
  @Override
  public void setEscapeProcessing(boolean enable) throws SQLException {
    checkOpen();
    escapeProcessing = enable;
  }

  /** Whether {@link #setEscapeProcessing} was last given true (the default). */
  boolean escapeProcessing() {
    return escapeProcessing;
  }

  /**
   * Not supported ({@code 0A000}): positioned updates need cursors, which Zynamo does not offer.
   */
  @Override
  public void setCursorName(String name) throws SQLException {
    checkOpen();
    throw JdbcErrors.notSupported(
        "setCursorName is not supported: no positioned UPDATE/DELETE through Zynamo");
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

  @Override
  public int getResultSetConcurrency() throws SQLException {
    checkOpen();
    return ResultSet.CONCUR_READ_ONLY;
  }

  @Override
  public int getResultSetType() throws SQLException {
    checkOpen();
    return ResultSet.TYPE_FORWARD_ONLY;
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    checkOpen();
    return holdability;
  }

  @Override
  public void setPoolable(boolean poolable) throws SQLException {
    checkOpen();
    this.poolable = poolable;
  }

  @Override
  public boolean isPoolable() throws SQLException {
    checkOpen();
    return poolable;
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
}
