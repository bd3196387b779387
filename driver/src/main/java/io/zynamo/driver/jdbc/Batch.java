package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import java.sql.BatchUpdateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A statement's batch: SQL texts (a Statement's) or parameter values (a PreparedStatement's), run
 * as one unit when they are all writes by key, else one by one, in order, each committing on its
 * own.
 *
 * <p>A batch made only of writes by key (INSERT/UPDATE/DELETE routed to one bucket each, without
 * RETURNING) runs as one unit, as pgjdbc's implicit batch transaction: a failure rolls every entry
 * back, and the exception carries no counts. Any other batch runs entry by entry, and the first
 * failure stops it: the statements before it stay applied, and the {@code BatchUpdateException}
 * carries their counts, the failure's SQLState and vendor code, and the failure as cause and next
 * exception. An entry that returns rows fails as {@code executeUpdate} would ({@code 0100E}). The
 * batch is empty after a run, also after a failure.
 */
final class Batch {

  /** One statement of a batch: SQL and parameter values. */
  record Entry(String sql, List<@Nullable Object> parameters) {
    Entry {
      requireNonNull(sql, "sql");
      parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  void add(Entry entry) {
    entries.add(entry);
  }

  void clear() {
    entries.clear();
  }

  /**
   * Runs and empties the batch; the update count of each statement, 0 for one without. A batch of
   * writes by key runs as one unit (all or nothing); any other runs statement by statement.
   */
  long[] run(ZynamoConnection connection, ZynamoStatement owner) throws SQLException {
    List<Entry> running = List.copyOf(entries);
    entries.clear();
    if (running.size() > 1) {
      Optional<long[]> whole;
      try {
        whole =
            connection.executeBatch(
                owner,
                running.stream()
                    .map(e -> new StatementExecutor.BatchStatement(e.sql(), e.parameters()))
                    .toList());
      } catch (SQLException e) {
        throw failure(0, running.size(), new long[0], e);
      }
      if (whole.isPresent()) {
        return whole.get();
      }
    }
    long[] counts = new long[running.size()];
    for (int i = 0; i < running.size(); i++) {
      try {
        counts[i] = count(connection, owner, running.get(i));
      } catch (SQLException e) {
        throw failure(i, running.size(), Arrays.copyOf(counts, i), e);
      }
    }
    return counts;
  }

  private static long count(ZynamoConnection connection, ZynamoStatement owner, Entry entry)
      throws SQLException {
    Outcome outcome = connection.execute(owner, entry.sql(), entry.parameters(), false);
    if (outcome instanceof Outcome.Rows rows) {
      rows.rows().close();
      throw JdbcErrors.resultWhenNoneExpected();
    }
    Outcome.Count count = (Outcome.Count) outcome;
    ResultSet returned = count.returned();
    if (returned != null) {
      returned.close();
      throw JdbcErrors.resultWhenNoneExpected();
    }
    return Math.max(count.count(), 0);
  }

  private static BatchUpdateException failure(
      int index, int size, long[] done, SQLException cause) {
    BatchUpdateException e =
        new BatchUpdateException(
            "batch entry " + (index + 1) + " of " + size + ": " + cause.getMessage(),
            cause.getSQLState(),
            cause.getErrorCode(),
            done,
            cause);
    e.setNextException(cause);
    return e;
  }
}
