package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the parts of an INSERT are in its source text, so that values can be added to it (a
 * cluster-unique key for a column the statement leaves to its default).
 *
 * @param afterTarget the offset after the target table (and its alias): where a column list goes
 * @param columnList the column list, parentheses included; null when there is none
 * @param overriding {@code OVERRIDING SYSTEM|USER VALUE}; null when absent
 * @param overridingUser whether it is {@code OVERRIDING USER VALUE}
 * @param defaultValues {@code DEFAULT VALUES}; null when absent
 * @param values each VALUES row's values, parallel to the rows' operands
 * @param query an {@code INSERT ... SELECT}'s query (up to ON CONFLICT, RETURNING or the end); null
 *     for VALUES and DEFAULT VALUES
 */
public record InsertLayout(
    int afterTarget,
    @Nullable Span columnList,
    @Nullable Span overriding,
    boolean overridingUser,
    @Nullable Span defaultValues,
    List<List<Span>> values,
    @Nullable Span query) {

  /**
   * The INSERT's text (or its start, up to and past the target) with {@code columns} written out as
   * its column list after the target: for a statement that has none.
   */
  public String withColumns(String text, List<String> columns) {
    return text.substring(0, afterTarget)
        + " ("
        + ObjectName.list(columns)
        + ")"
        + text.substring(afterTarget);
  }

  public InsertLayout {
    List<List<Span>> copies = new ArrayList<>(values.size());
    for (List<Span> row : values) {
      copies.add(List.copyOf(row));
    }
    values = List.copyOf(copies);
  }
}
