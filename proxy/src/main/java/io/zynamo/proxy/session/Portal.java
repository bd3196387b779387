package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.proxy.wire.BackendMessage;
import io.zynamo.proxy.wire.BackendMessage.CommandComplete;
import io.zynamo.proxy.wire.BackendMessage.NoData;
import io.zynamo.proxy.wire.BackendMessage.PortalSuspended;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A bound statement: parameters and result formats, run by the engine at the first Describe or
 * Execute that needs it. The shard key is only known once parameters are bound, and the engine
 * cannot describe a result without running the statement, so a Describe of a portal runs it and the
 * Execute that follows streams the rows it produced.
 *
 * <pre>
 *   BOUND --Describe/Execute--> RUNNING (rows open) --last row--> DONE (rows closed)
 *                                  |  Execute(maxRows) stops early: PortalSuspended
 * </pre>
 */
final class Portal implements AutoCloseable {

  private final Prepared statement;
  private final List<@Nullable Object> values;
  private final List<Short> resultFormats;
  private final StatementKind kind;
  private @Nullable Outcome outcome;
  private @Nullable ResultSet rows;
  private @Nullable Columns columns;
  private long rowsSent;
  private boolean done;

  Portal(Prepared statement, List<@Nullable Object> values, List<Short> resultFormats) {
    this.statement = requireNonNull(statement, "statement");
    this.values = values;
    this.resultFormats = List.copyOf(resultFormats);
    this.kind = statement.kind();
  }

  /** Whether the statement was a COMMIT that rolled a failed transaction back. */
  private boolean rolledBackInstead;

  /** Runs the statement if it has not run yet. */
  void run(StatementExecutor executor, Replies replies) throws SQLException {
    if (outcome != null) {
      return;
    }
    StatementExecutor.TransactionState before = executor.transactionState();
    Outcome answered = SessionStatements.answer(kind, statement.text().sql(), replies, before);
    Outcome result =
        answered != null ? answered : executor.execute(statement.text().sql(), values, false);
    // COMMIT of a failed transaction rolls it back, and PostgreSQL's tag says so.
    rolledBackInstead =
        kind == StatementKind.COMMIT && before == StatementExecutor.TransactionState.FAILED;
    outcome = result;
    rows = result.rowsOrReturned();
    if (rows != null) {
      columns = Columns.of(rows.getMetaData(), resultFormats);
    }
  }

  /** RowDescription of the rows, or NoData; runs the statement first. */
  BackendMessage describe(StatementExecutor executor, Replies replies) throws SQLException {
    run(executor, replies);
    return columns != null ? columns.description() : new NoData();
  }

  /**
   * Sends up to {@code maxRows} rows (0: all), then CommandComplete, or PortalSuspended if rows
   * remain.
   */
  void execute(StatementExecutor executor, int maxRows, Replies replies, CancelFlag cancel)
      throws SQLException {
    run(executor, replies);
    ResultSet open = rows;
    Columns cols = columns;
    if (open != null && cols != null && !done) {
      long sentNow = 0;
      while (maxRows <= 0 || sentNow < maxRows) {
        cancel.check();
        if (!open.next()) {
          done = true;
          break;
        }
        replies.sendRow(cols.row(open));
        sentNow++;
        rowsSent++;
      }
      if (!done) {
        replies.send(new PortalSuspended());
        return;
      }
      closeRows();
    }
    done = true;
    replies.send(new CommandComplete(tag()));
  }

  /** Sends the RowDescription, then every row and CommandComplete: the simple query's reply. */
  void executeAll(StatementExecutor executor, Replies replies, CancelFlag cancel)
      throws SQLException {
    run(executor, replies);
    if (columns != null) {
      replies.send(columns.description());
    }
    execute(executor, 0, replies, cancel);
  }

  private String tag() {
    Outcome result = requireNonNull(outcome, "outcome");
    if (rolledBackInstead) {
      return "ROLLBACK";
    }
    long count = result instanceof Outcome.Count c ? c.count() : rowsSent;
    String sql = statement.text().sql();
    if (result instanceof Outcome.Rows && isWrite(kind)) {
      return CommandTag.of(kind, sql, rowsSent);
    }
    if (result instanceof Outcome.Rows) {
      return switch (kind) {
        case SHOW, EXPLAIN, CALL -> CommandTag.of(kind, sql, -1);
        default -> CommandTag.of(StatementKind.SELECT, sql, rowsSent);
      };
    }
    return CommandTag.of(kind, sql, count);
  }

  private static boolean isWrite(StatementKind kind) {
    return kind == StatementKind.INSERT
        || kind == StatementKind.UPDATE
        || kind == StatementKind.DELETE
        || kind == StatementKind.MERGE;
  }

  private void closeRows() throws SQLException {
    ResultSet open = rows;
    rows = null;
    if (open != null) {
      open.close();
    }
  }

  @Override
  public void close() throws SQLException {
    closeRows();
  }
}
