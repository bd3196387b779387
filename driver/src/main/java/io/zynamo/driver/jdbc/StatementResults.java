package io.zynamo.driver.jdbc;

import io.zynamo.driver.error.ZynamoErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * The results of a statement's last execution, walked as JDBC walks them. A Zynamo statement
 * produces exactly one result, a result set or an update count:
 *
 * <pre>
 *   (none) --execute--> ROWS  | getResultSet() = rows, getUpdateCount() = -1
 *                       COUNT | getResultSet() = null, getUpdateCount() = n
 *          --getMoreResults()--> (none): false, null, -1
 * </pre>
 *
 * <p>Generated keys live beside the current result until the next execution or close.
 */
final class StatementResults {

  private final ZynamoStatement statement;
  private @Nullable ZynamoResultSet resultSet;

  /** A result set moved past with {@code KEEP_CURRENT_RESULT}: still open, closed with the rest. */
  private @Nullable ZynamoResultSet kept;

  private long updateCount = -1;

  /** The written rows as the engine returned them, until {@link #generatedKeys()} selects keys. */
  private @Nullable ResultSet returnedRows;

  private KeyColumns keyColumns = KeyColumns.NONE;
  private @Nullable ZynamoResultSet generatedKeys;
  private boolean keysLostToBatch;

  StatementResults(ZynamoStatement statement) {
    this.statement = statement;
  }

  /** Closes whatever the last execution left open and forgets it. */
  void clear() throws SQLException {
    ZynamoResultSet rows = resultSet;
    ZynamoResultSet keptRows = kept;
    ZynamoResultSet keys = generatedKeys;
    ResultSet returned = returnedRows;
    resultSet = null;
    kept = null;
    generatedKeys = null;
    returnedRows = null;
    keyColumns = KeyColumns.NONE;
    updateCount = -1;
    keysLostToBatch = false;
    SQLException failure = null;
    for (AutoCloseable open : new AutoCloseable[] {rows, keptRows, keys, returned}) {
      try {
        if (open instanceof ZynamoResultSet ours) {
          ours.closeForStatement();
        } else if (open instanceof ResultSet engines) {
          engines.close();
        }
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  void rows(ZynamoResultSet rows) {
    resultSet = rows;
  }

  /**
   * An update count; a statement without one (DDL) counts 0, as in pgjdbc and as {@code
   * executeUpdate} specifies for "SQL statements that return nothing".
   *
   * @param returned the written rows, when generated keys were asked for
   * @param keys which of their columns are the generated keys
   */
  void count(long count, @Nullable ResultSet returned, KeyColumns keys) {
    updateCount = Math.max(count, 0);
    returnedRows = returned;
    keyColumns = keys;
  }

  /** After a batch run by a statement that wanted generated keys: they cannot be read. */
  void keysLostToBatch() {
    keysLostToBatch = true;
  }

  @Nullable ZynamoResultSet resultSet() {
    return resultSet;
  }

  /** The current update count, or -1 when the current result is a result set or there is none. */
  long updateCount() {
    return updateCount;
  }

  /** The current update count as an int: {@code SUCCESS_NO_INFO} when larger, as pgjdbc. */
  int intUpdateCount() {
    return ZynamoStatement.asInt(updateCount);
  }

  /**
   * Moves past the only result: there is never a next one.
   *
   * @param current {@code Statement.CLOSE_CURRENT_RESULT}, {@code KEEP_CURRENT_RESULT} or {@code
   *     CLOSE_ALL_RESULTS}
   * @return false: no more results
   */
  boolean moreResults(int current) throws SQLException {
    if (current != Statement.CLOSE_CURRENT_RESULT
        && current != Statement.KEEP_CURRENT_RESULT
        && current != Statement.CLOSE_ALL_RESULTS) {
      throw ZynamoErrors.invalidValue(
          "getMoreResults",
          Integer.toString(current),
          "CLOSE_CURRENT_RESULT, KEEP_CURRENT_RESULT or CLOSE_ALL_RESULTS");
    }
    ZynamoResultSet rows = resultSet;
    resultSet = null;
    updateCount = -1;
    if (rows != null && current == Statement.KEEP_CURRENT_RESULT) {
      kept = rows;
    } else if (rows != null) {
      rows.closeForStatement();
    }
    return false;
  }

  /**
   * The generated keys: the selected columns of the written rows, or a result set without columns
   * and rows when there are none (as pgjdbc). Selected on first call, so that a key column missing
   * from the written rows fails here, not the execution that wrote them.
   */
  ZynamoResultSet generatedKeys() throws SQLException {
    if (keysLostToBatch) {
      throw JdbcErrors.notSupported(
          "getGeneratedKeys() after executeBatch() is not supported yet: execute the statements"
              + " one by one to read their keys");
    }
    if (generatedKeys == null) {
      ResultSet returned = returnedRows;
      ResultSet keys = returned == null ? EmptyResultSet.create() : keyColumns.select(returned);
      generatedKeys = new ZynamoResultSet(keys, statement, 0);
      returnedRows = null;
    }
    return generatedKeys;
  }

  /** Whether no result set of this execution is open any more. */
  boolean allClosed() {
    return isClosed(resultSet) && isClosed(kept) && isClosed(generatedKeys);
  }

  private static boolean isClosed(@Nullable ZynamoResultSet rows) {
    return rows == null || rows.isClosed();
  }
}
