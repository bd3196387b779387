package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.InsertLayout;
import io.zynamo.driver.sql.InsertRows;
import io.zynamo.driver.sql.Span;
import io.zynamo.driver.sql.SqlFrontend;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code INSERT ... SELECT} into a table whose rows the query cannot compute where they are stored
 * (a sharded table; a reference table filled from a sharded one). The query runs as any query does
 * (by key, or cluster-wide over a coverage plan); its rows become multi-row {@code INSERT ...
 * VALUES} statements of string constants, each value in its type's text form, which the target
 * column's input function reads back exactly (as COPY does). Those run as any INSERT does: split
 * per bucket, replicated, sequence columns filled. All of it is one transaction: the session's, or
 * one of its own that commits only when every row is in.
 *
 * <p>The query runs before the transaction's first write (a cluster-wide read inside a transaction
 * that wrote is refused, see ClusterTransaction). With RETURNING it must run inside a transaction
 * block: its rows are read before COMMIT. Differences from PostgreSQL: rows are inserted in batches
 * of {@value #BATCH_ROWS}, so {@code ON CONFLICT DO UPDATE} meeting the same key twice fails (as in
 * PostgreSQL) only when both rows fall in one batch; otherwise the second updates the first.
 */
final class InsertSelect {

  /** Rows per INSERT statement... */
  static final int BATCH_ROWS = 5_000;

  /** ... or this many characters of SQL text. */
  static final int BATCH_CHARS = 1 << 20;

  private static final Pattern STARTS_WITH_INSERT =
      Pattern.compile("\\s*insert\\b", Pattern.CASE_INSENSITIVE);

  /** Runs one statement of the session. */
  @FunctionalInterface
  interface Statements {
    Outcome run(String sql, List<@Nullable Object> parameters, boolean keys) throws SQLException;
  }

  /** The session's transaction block. */
  interface Transactions {
    /** Whether a transaction block is open (the statement is then part of it). */
    boolean active();

    /** Opens a transaction of the statement's own (none is active). */
    Own open() throws SQLException;
  }

  /** The statement's own transaction. */
  interface Own {
    void commit() throws SQLException;

    void rollback() throws SQLException;
  }

  private final SqlFrontend frontend;
  private final Statements session;
  private final Transactions transactions;
  private final Statements anyNode;
  private final InsertRows insert;
  private final TableDistribution table;
  private final boolean returning;

  InsertSelect(
      SqlFrontend frontend,
      Statements session,
      Transactions transactions,
      Statements anyNode,
      InsertRows insert,
      TableDistribution table,
      boolean returning) {
    this.frontend = requireNonNull(frontend, "frontend");
    this.session = requireNonNull(session, "session");
    this.transactions = requireNonNull(transactions, "transactions");
    this.anyNode = requireNonNull(anyNode, "anyNode");
    this.insert = requireNonNull(insert, "insert");
    this.table = requireNonNull(table, "table");
    this.returning = returning;
  }

  /** Whether the statement starts with INSERT (not with a WITH the query would need). */
  static boolean startsWithInsert(String sql) {
    return STARTS_WITH_INSERT.matcher(sql).lookingAt();
  }

  Outcome run(String sql, List<@Nullable Object> parameters, boolean keys) throws SQLException {
    InsertLayout layout = requireNonNull(insert.layout(), "layout");
    Span query = requireNonNull(layout.query(), "query");
    String head = sql.substring(0, query.start());
    String tail = sql.substring(query.end());
    if (frontend.parameterCount(head) > 0 || frontend.parameterCount(tail) > 0) {
      throw ZynamoErrors.notSupportedYet(
          "parameters outside the query of an INSERT ... SELECT into " + table.table());
    }
    String select = sql.substring(query.start(), query.end());
    if (!transactions.active() && (returning || keys)) {
      throw ZynamoErrors.notSupportedYet(
          "INSERT ... SELECT with RETURNING (or generated keys) outside a transaction block: run"
              + " it inside BEGIN ... COMMIT (its rows are read before the commit)");
    }
    Outcome read = session.run(select, parameters, false);
    if (!(read instanceof Outcome.Rows rows)) {
      Outcomes.close(read);
      throw ZynamoErrors.create(
          ZynamoSqlState.SYNTAX_ERROR, "the source of INSERT ... SELECT gives no rows: " + select);
    }
    try (ResultSet rs = rows.rows()) {
      int width = rs.getMetaData().getColumnCount();
      String into = target(layout, head, width);
      // The query runs outside the statement's own transaction, as any statement before it would.
      Own own = transactions.active() ? null : transactions.open();
      List<Outcome> outcomes = new ArrayList<>();
      try {
        StringBuilder batch = new StringBuilder();
        int batched = 0;
        while (rs.next()) {
          batch.append(batched == 0 ? into + " VALUES (" : ", (");
          for (int i = 1; i <= width; i++) {
            String value = rs.getString(i);
            batch.append(i == 1 ? "" : ", ");
            batch.append(value == null ? "NULL" : "'" + value.replace("'", "''") + "'");
          }
          batch.append(')');
          if (++batched == BATCH_ROWS || batch.length() >= BATCH_CHARS) {
            outcomes.add(session.run(batch + tail, List.of(), keys));
            batch.setLength(0);
            batched = 0;
          }
        }
        if (batched > 0) {
          outcomes.add(session.run(batch + tail, List.of(), keys));
        }
        if (outcomes.isEmpty() && (returning || keys)) {
          // No row: the RETURNING columns still describe the answer. A node inserts nothing.
          outcomes.add(
              anyNode.run(
                  into + " SELECT * FROM (" + select + ") AS zynamo_source WHERE false" + tail,
                  parameters,
                  keys));
        }
        if (own != null) {
          own.commit();
        }
      } catch (SQLException | RuntimeException e) {
        for (Outcome o : outcomes) {
          closeAfter(e, o);
        }
        if (own != null) {
          try {
            own.rollback();
          } catch (SQLException r) {
            e.addSuppressed(r);
          }
        }
        throw e;
      }
      return outcomes.isEmpty() ? new Outcome.Count(0, null) : Outcomes.combine(outcomes);
    }
  }

  /**
   * {@code INSERT INTO t (columns) [OVERRIDING ...]}: the statement's head with the column list
   * written out when it has none (the first {@code width} user columns, as PostgreSQL fills a
   * positional INSERT), checked against the query's width as PostgreSQL does.
   */
  private String target(InsertLayout layout, String head, int width) throws SQLException {
    int columns = insert.columns().isEmpty() ? table.columns().size() : insert.columns().size();
    if (width > columns) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SYNTAX_ERROR, "INSERT has more expressions than target columns");
    }
    if (!insert.columns().isEmpty()) {
      if (width < columns) {
        throw ZynamoErrors.create(
            ZynamoSqlState.SYNTAX_ERROR, "INSERT has more target columns than expressions");
      }
      return head;
    }
    return layout.withColumns(head, table.columns().subList(0, width));
  }

  /** Closes an outcome's rows after a failure, keeping any error as suppressed. */
  private static void closeAfter(Exception failure, Outcome outcome) {
    try {
      Outcomes.close(outcome);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
