package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A conjunct of the WHERE clause of the form {@code column = value} or {@code column IN (values)}:
 * every row the statement touches has {@code column} equal to one of {@code values}.
 */
public record KeyPredicate(String column, List<Operand> values) {

  public KeyPredicate {
    requireNonNull(column, "column");
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("key predicate on " + column + ": no values");
    }
  }
}
