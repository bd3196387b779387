package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The routing facts of one SQL statement; the statement itself runs on the nodes as written.
 *
 * @param kind what the statement does
 * @param shape whether it touches no table, exactly one simply, or something more complex
 * @param tables every table it names, in order of appearance, without duplicates or CTE names
 * @param target the table written (INSERT/UPDATE/DELETE/COPY/TRUNCATE) or the object a DDL
 *     statement names (for DROP INDEX: the index); null otherwise
 * @param traits clauses that matter to routing ({@code ON CONFLICT}, {@code RETURNING}, ...)
 * @param keyPredicates for a {@link Shape#SINGLE_TABLE} SELECT/UPDATE/DELETE, the {@code col =
 *     value} and {@code col IN (...)} conjuncts of the WHERE clause's top-level AND
 * @param insert for INSERT: the column list and VALUES rows
 * @param setColumns columns an UPDATE (or {@code ON CONFLICT DO UPDATE}) assigns
 * @param definition for CREATE TABLE with a column list: columns, primary key, unique keys
 * @param explained for EXPLAIN: the facts of the explained statement
 * @param scan for a {@link Shape#SINGLE_TABLE} SELECT: where its alias and filter are in the text
 */
public record ParsedStatement(
    StatementKind kind,
    Shape shape,
    List<ObjectName> tables,
    @Nullable ObjectName target,
    Set<Trait> traits,
    List<KeyPredicate> keyPredicates,
    @Nullable InsertRows insert,
    List<String> setColumns,
    @Nullable TableDefinition definition,
    @Nullable ParsedStatement explained,
    @Nullable ScanText scan) {

  public ParsedStatement {
    requireNonNull(kind, "kind");
    requireNonNull(shape, "shape");
    tables = List.copyOf(tables);
    traits = traits.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(traits));
    keyPredicates = List.copyOf(keyPredicates);
    setColumns = List.copyOf(setColumns);
    if (!keyPredicates.isEmpty() && shape != Shape.SINGLE_TABLE) {
      throw new IllegalArgumentException(
          "key predicates with shape " + shape + " (expected: SINGLE_TABLE)");
    }
    requireKind(insert, kind, StatementKind.INSERT, "insert");
    requireKind(definition, kind, StatementKind.CREATE_TABLE, "definition");
    requireKind(explained, kind, StatementKind.EXPLAIN, "explained");
  }

  private static void requireKind(
      @Nullable Object part, StatementKind kind, StatementKind expected, String name) {
    if (part != null && kind != expected) {
      throw new IllegalArgumentException(name + " for a " + kind + " (expected: " + expected + ")");
    }
  }

  /** Whether the statement has {@code trait}. */
  public boolean has(Trait trait) {
    return traits.contains(trait);
  }

  /** Whether the text held several statements: route each piece of a split instead. */
  public boolean isMultiStatement() {
    return has(Trait.MULTI_STATEMENT);
  }

  /**
   * The values {@code column} can take in the rows this statement touches: an INSERT's values of
   * that column, or the values of the first key predicate on it (each conjunct alone bounds the
   * rows); empty when the text does not bound the column.
   */
  public Optional<List<Operand>> keyValues(String column) {
    if (insert != null) {
      return insert.valuesOf(column);
    }
    KeyPredicate first = firstPredicateOn(column);
    return first == null ? Optional.empty() : Optional.of(first.values());
  }

  /** The first key predicate on {@code column} in WHERE order, or null. */
  private @Nullable KeyPredicate firstPredicateOn(String column) {
    for (KeyPredicate predicate : keyPredicates) {
      if (predicate.column().equals(column)) {
        return predicate;
      }
    }
    return null;
  }

  /**
   * Where each of {@link #keyValues}'s values is in the source text, parallel to them: for an
   * INSERT, the VALUES rows (also when the key is found by position); for a key predicate, its
   * values. Empty when not known.
   */
  public List<Span> keySpans(String column) {
    if (insert != null) {
      return insert.rowSpans();
    }
    KeyPredicate first = firstPredicateOn(column);
    return first == null ? List.of() : first.spans();
  }

  /** A compact one-line form, as in the golden files. */
  @Override
  public String toString() {
    return StatementRenderer.render(this);
  }
}
