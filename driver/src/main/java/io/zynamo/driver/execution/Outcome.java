package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import org.jspecify.annotations.Nullable;

/** What one executed statement produced: rows, or a count (with RETURNING rows, if any). */
public sealed interface Outcome {

  /** The rows to send on: a query's, or a count's RETURNING rows; null for a bare count. */
  default @Nullable ResultSet rowsOrReturned() {
    return this instanceof Rows r ? r.rows() : ((Count) this).returned();
  }

  /** A query's rows; internal columns are already hidden. */
  record Rows(ResultSet rows) implements Outcome {
    public Rows {
      requireNonNull(rows, "rows");
    }
  }

  /**
   * A row count (-1 when the statement has none, e.g. DDL), and the rows of its RETURNING clause or
   * generated keys when asked for.
   */
  record Count(long count, @Nullable ResultSet returned) implements Outcome {}
}
