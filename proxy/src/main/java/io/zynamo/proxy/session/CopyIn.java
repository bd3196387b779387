package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.execution.StatementExecutor.TransactionState;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.proxy.copy.CopyCommand;
import io.zynamo.proxy.copy.CopyReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One {@code COPY table FROM STDIN} in progress. The rows read from the client's CopyData become
 * multi-row {@code INSERT ... VALUES} statements of string constants, run by the engine like any
 * other INSERT: split per bucket, replicated, with sequence columns filled. A string constant takes
 * its column's type by the type's input function, as COPY's own parsing does.
 *
 * <p>The whole COPY is one transaction, as in PostgreSQL: outside a transaction block it runs in
 * one of its own (BEGIN before the first row, COMMIT at CopyDone, ROLLBACK on any error); inside
 * one, it is part of it and an error fails it.
 */
final class CopyIn {

  /** A batch is sent once it holds this many bytes of SQL text... */
  private static final int BATCH_BYTES = 1 << 20;

  /** ... or this many rows. */
  private static final int BATCH_ROWS = 5_000;

  /** Zynamo's internal columns, which COPY never fills. */
  private static final String INTERNAL_PREFIX = "zynamo_";

  private final StatementExecutor engine;
  private final CopyReader reader;
  private final String prefix;
  private final boolean ownTransaction;
  private final int columns;
  private final StringBuilder batch = new StringBuilder();
  private int batchRows;
  private long count;
  private boolean ended;

  private CopyIn(
      StatementExecutor engine,
      CopyReader reader,
      String prefix,
      boolean ownTransaction,
      int columns) {
    this.engine = engine;
    this.columns = columns;
    this.reader = reader;
    this.prefix = prefix;
    this.ownTransaction = ownTransaction;
  }

  /**
   * Checks the table and columns (on the session's metadata node, without running anything), then
   * opens the transaction if there is none. The caller then sends CopyInResponse.
   */
  static CopyIn start(StatementExecutor engine, CopyCommand command, int maxRowBytes)
      throws SQLException {
    String table = requireNonNull(command.table(), "table");
    if (engine.transactionState() == TransactionState.FAILED) {
      throw ZynamoErrors.create(
          ZynamoSqlState.IN_FAILED_SQL_TRANSACTION,
          "current transaction is aborted, commands ignored until end of transaction block");
    }
    List<String> names = columnNames(engine, table, command.columns());
    CopyReader reader = new CopyReader(command.format(), table, names, maxRowBytes);
    reader.checkForcedColumns();
    String written =
        command.columns().isEmpty() ? ObjectName.list(names) : String.join(", ", command.columns());
    String prefix = "INSERT INTO " + table + " (" + written + ") VALUES ";
    boolean own = engine.transactionState() == TransactionState.IDLE;
    if (own) {
      engine.execute("BEGIN", List.of(), false);
    }
    return new CopyIn(engine, reader, prefix, own, names.size());
  }

  /**
   * The names of the columns the rows fill: the list given (each checked), or every user column of
   * the table that is not generated, in order; Zynamo's internal {@code zynamo_*} columns are never
   * among them. Read from the catalog of the session's metadata node, which takes no lock on the
   * table: the session's own transaction may hold one that a describe would wait for forever (a
   * TRUNCATE before the COPY, as {@code pgbench -i} does).
   */
  static List<String> columnNames(StatementExecutor engine, String table, List<String> columns)
      throws SQLException {
    List<String> all = new ArrayList<>();
    List<String> generated = new ArrayList<>();
    try (PreparedStatement s =
        engine
            .metaData()
            .getConnection()
            .prepareStatement(
                "SELECT r.oid IS NOT NULL, a.attname, a.attgenerated <> ''"
                    + " FROM (SELECT to_regclass(?) AS oid) r LEFT JOIN pg_catalog.pg_attribute a"
                    + " ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped"
                    + " ORDER BY a.attnum")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          if (!rs.getBoolean(1)) {
            throw ZynamoErrors.create(
                ZynamoSqlState.UNDEFINED_TABLE, "relation \"" + table + "\" does not exist");
          }
          String name = rs.getString(2);
          if (name != null && !name.startsWith(INTERNAL_PREFIX)) {
            (rs.getBoolean(3) ? generated : all).add(name);
          }
        }
      }
    }
    if (columns.isEmpty()) {
      return all;
    }
    List<String> names = new ArrayList<>(columns.size());
    for (String written : columns) {
      String name = CopyCommand.identifier(written);
      if (generated.contains(name)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.INVALID_COLUMN_REFERENCE,
            "column \"" + name + "\" is a generated column");
      }
      if (!all.contains(name)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.UNDEFINED_COLUMN,
            "column \"" + name + "\" of relation \"" + table + "\" does not exist");
      }
      if (names.contains(name)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.DUPLICATE_COLUMN, "column \"" + name + "\" specified more than once");
      }
      names.add(name);
    }
    return names;
  }

  /** How many columns each row fills. */
  int columns() {
    return columns;
  }

  /** A chunk of CopyData: the complete rows in it are batched, and sent when a batch is full. */
  void data(byte[] chunk) throws SQLException {
    reader.feed(chunk);
    add(reader.rows(false));
  }

  /** CopyDone: the last rows, then COMMIT of the COPY's own transaction; the rows copied. */
  long done() throws SQLException {
    add(reader.rows(true));
    flush();
    ended = true;
    if (ownTransaction) {
      engine.execute("COMMIT", List.of(), false);
    }
    return count;
  }

  /** After an error or CopyFail: the COPY's own transaction rolls back, or the open one fails. */
  void abort() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      if (ownTransaction) {
        engine.execute("ROLLBACK", List.of(), false);
      } else {
        engine.failTransaction();
      }
    } catch (SQLException e) {
      System.getLogger(CopyIn.class.getName())
          .log(System.Logger.Level.DEBUG, "ending a failed COPY: " + e);
    }
  }

  private void add(List<List<@Nullable String>> rows) throws SQLException {
    for (List<@Nullable String> row : rows) {
      batch.append(batchRows == 0 ? prefix : ",").append('(');
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          batch.append(',');
        }
        String value = row.get(i);
        if (value == null) {
          batch.append("NULL");
        } else {
          batch.append('\'').append(value.replace("'", "''")).append('\'');
        }
      }
      batch.append(')');
      batchRows++;
      if (batch.length() >= BATCH_BYTES || batchRows >= BATCH_ROWS) {
        flush();
      }
    }
  }

  private void flush() throws SQLException {
    if (batchRows == 0) {
      return;
    }
    String sql = batch.toString();
    batch.setLength(0);
    batchRows = 0;
    if (engine.execute(sql, List.of(), false) instanceof Outcome.Count c) {
      count += Math.max(0, c.count());
    }
  }
}
