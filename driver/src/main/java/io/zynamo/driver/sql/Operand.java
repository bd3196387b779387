package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A value in a key position (an INSERT row or the right side of {@code col = ...}): a literal, a
 * parameter, {@code DEFAULT}, or an expression routing cannot evaluate.
 */
public sealed interface Operand
    permits Operand.Literal, Operand.Parameter, Operand.Default, Operand.Expression {

  /**
   * A constant. Without a cast, {@code value} is the literal's own value: Long (BigInteger past
   * bigint), BigDecimal, String (escapes resolved), Boolean, a bit string as String of 0s and 1s,
   * or null. With a cast ({@code '...'::uuid}, {@code DATE '...'}, {@code CAST(... AS t)}), {@code
   * castType} is PostgreSQL's name of the type and, when {@code converted}, {@code value} is
   * already the Java value (UUID, LocalDate, LocalDateTime, OffsetDateTime, Long, BigDecimal,
   * String, Boolean); otherwise it is the literal as written and the router must convert it with
   * PostgreSQL's rules for {@code castType} (e.g. a DateStyle-dependent date) or not route by it.
   */
  record Literal(@Nullable Object value, @Nullable String castType, boolean converted)
      implements Operand {

    public Literal {
      if (castType == null && !converted) {
        throw new IllegalArgumentException("literal without cast: converted must be true");
      }
    }

    /** An uncast constant. */
    public static Literal of(@Nullable Object value) {
      return new Literal(value, null, true);
    }
  }

  /**
   * A bind parameter: {@code $n} has index n; JDBC {@code ?} placeholders are numbered 1, 2, ...
   * left to right. {@code castType} is set for {@code $1::uuid}.
   */
  record Parameter(int index, @Nullable String castType) implements Operand {

    public Parameter {
      if (index < 1) {
        throw new IllegalArgumentException("parameter index: " + index + " (expected: >= 1)");
      }
    }
  }

  /** {@code DEFAULT} in an INSERT row: the node computes the value. */
  record Default() implements Operand {}

  /** Any other expression ({@code now()}, {@code 1 + 2}, a subquery), with its source text. */
  record Expression(String text) implements Operand {

    public Expression {
      requireNonNull(text, "text");
    }
  }
}
