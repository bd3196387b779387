package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A fluent fixture over {@link SqlFrontend#parse} in the style of Calcite's SqlParserFixture:
 * {@code parse("...").isInsert().hasKeyValues("id", 1L, 2L)}.
 */
final class StatementFixture {

  private final String sql;
  private final ParsedStatement statement;

  private StatementFixture(String sql, ParsedStatement statement) {
    this.sql = sql;
    this.statement = statement;
  }

  static StatementFixture parse(String sql) {
    SqlFrontend frontend = new SqlFrontend(SqlFrontend.Config.DEFAULT.withCalciteCrossCheck(true));
    return new StatementFixture(sql, frontend.parse(sql));
  }

  /** A parameter reference, for {@link #hasKeyValues}. */
  static Operand param(int index) {
    return new Operand.Parameter(index, null);
  }

  ParsedStatement statement() {
    return statement;
  }

  StatementFixture is(StatementKind kind) {
    assertEquals(kind, statement.kind(), this::describe);
    return this;
  }

  StatementFixture isSelect() {
    return is(StatementKind.SELECT);
  }

  StatementFixture isInsert() {
    return is(StatementKind.INSERT);
  }

  StatementFixture isUpdate() {
    return is(StatementKind.UPDATE);
  }

  StatementFixture isDelete() {
    return is(StatementKind.DELETE);
  }

  StatementFixture hasShape(Shape shape) {
    assertEquals(shape, statement.shape(), this::describe);
    return this;
  }

  StatementFixture isSingleTable() {
    return hasShape(Shape.SINGLE_TABLE);
  }

  StatementFixture isComplex() {
    return hasShape(Shape.COMPLEX);
  }

  StatementFixture hasTables(String... names) {
    List<String> actual = statement.tables().stream().map(ObjectName::toString).toList();
    assertEquals(Arrays.asList(names), actual, this::describe);
    return this;
  }

  StatementFixture has(Trait trait) {
    assertTrue(statement.has(trait), () -> "missing " + trait + " in " + describe());
    return this;
  }

  StatementFixture setsColumns(String... columns) {
    assertEquals(Arrays.asList(columns), statement.setColumns(), this::describe);
    return this;
  }

  /**
   * The values {@code column} takes: Java values for literals (compared with the converted value),
   * or {@link #param} operands.
   */
  StatementFixture hasKeyValues(String column, Object... expected) {
    Optional<List<Operand>> values = statement.keyValues(column);
    assertTrue(values.isPresent(), () -> "no values for " + column + " in " + describe());
    List<Object> actual = new ArrayList<>();
    for (Operand operand : values.get()) {
      actual.add(operand instanceof Operand.Literal literal ? literal.value() : operand);
    }
    assertEquals(Arrays.asList(expected), actual, this::describe);
    return this;
  }

  StatementFixture hasNoKeyValues(String column) {
    assertEquals(Optional.empty(), statement.keyValues(column), this::describe);
    return this;
  }

  private String describe() {
    return sql + "\n  -> " + statement;
  }
}
