package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A conjunct of the WHERE clause of the form {@code column = value} or {@code column IN (values)}:
 * every row the statement touches has {@code column} equal to one of {@code values}.
 */
public record KeyPredicate(String column, List<Operand> values, List<Span> spans) {

  /**
   * @param spans where each value is in the source text, parallel to {@code values}; empty when not
   *     known (then the statement cannot be split by key)
   */
  public KeyPredicate {
    requireNonNull(column, "column");
    values = List.copyOf(values);
    spans = List.copyOf(spans);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("key predicate on " + column + ": no values");
    }
    if (!spans.isEmpty() && spans.size() != values.size()) {
      throw new IllegalArgumentException(
          "key predicate on " + column + ": " + spans.size() + " spans for " + values.size());
    }
  }

  /** A predicate whose values' places in the text are not known. */
  public KeyPredicate(String column, List<Operand> values) {
    this(column, values, List.of());
  }
}
