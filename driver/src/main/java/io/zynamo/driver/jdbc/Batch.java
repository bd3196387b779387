package io.zynamo.driver.jdbc;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.execution.Outcome;
import java.sql.BatchUpdateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A statement's batch: SQL texts (a Statement's) or parameter values (a PreparedStatement's), run
 * one by one, in order, each committing on its own.
 *
 * <p>The first failure stops the batch: the statements before it stay applied (pgjdbc runs a batch
 * as one implicit transaction; Zynamo has no transactions yet), and the {@code
 * BatchUpdateException} carries their counts, the failure's SQLState and vendor code, and the
 * failure as cause and next exception. An entry that returns rows fails as {@code executeUpdate}
 * would ({@code 0100E}). The batch is empty after a run, also after a failure.
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

  /** Runs and empties the batch; the update count of each statement, 0 for one without. */
  long[] run(ZynamoConnection connection) throws SQLException {
    List<Entry> running = List.copyOf(entries);
    entries.clear();
    long[] counts = new long[running.size()];
    for (int i = 0; i < running.size(); i++) {
      try {
        counts[i] = count(connection, running.get(i));
      } catch (SQLException e) {
        throw failure(i, running.size(), Arrays.copyOf(counts, i), e);
      }
    }
    return counts;
  }

  private static long count(ZynamoConnection connection, Entry entry) throws SQLException {
    Outcome outcome = connection.execute(entry.sql(), entry.parameters(), false);
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
