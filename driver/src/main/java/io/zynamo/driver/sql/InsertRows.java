package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The explicit column list of an INSERT (empty when none is given: then values follow the table's
 * column order) and its {@code VALUES} rows (empty for {@code INSERT ... SELECT} or {@code DEFAULT
 * VALUES}).
 */
public record InsertRows(
    List<String> columns,
    List<List<Operand>> rows,
    List<Span> rowSpans,
    @Nullable InsertLayout layout) {

  /**
   * @param rowSpans where each row, parentheses included, is in the source text, parallel to {@code
   *     rows}; empty when not known (then the statement cannot be split by key)
   * @param layout where the statement's parts are in the text; null when not known
   */
  public InsertRows {
    columns = List.copyOf(columns);
    rowSpans = List.copyOf(rowSpans);
    if (!rowSpans.isEmpty() && rowSpans.size() != rows.size()) {
      throw new IllegalArgumentException(rowSpans.size() + " spans for " + rows.size() + " rows");
    }
    List<List<Operand>> copies = new ArrayList<>(rows.size());
    for (List<Operand> row : rows) {
      copies.add(List.copyOf(row));
    }
    rows = List.copyOf(copies);
  }

  /** Rows whose places in the text are not known. */
  public InsertRows(List<String> columns, List<List<Operand>> rows) {
    this(columns, rows, List.of(), null);
  }

  /**
   * The values given for {@code column} in each row, in row order; empty when the statement names
   * no such column (the caller then maps positions with the table definition itself).
   */
  public Optional<List<Operand>> valuesOf(String column) {
    int position = columns.indexOf(column);
    if (position < 0) {
      return Optional.empty();
    }
    List<Operand> values = new ArrayList<>(rows.size());
    for (List<Operand> row : rows) {
      if (position >= row.size()) {
        return Optional.empty();
      }
      values.add(row.get(position));
    }
    return Optional.of(List.copyOf(values));
  }
}
