package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Extracts key predicates from a single-table WHERE clause: splits it into the conjuncts of its
 * top-level AND and keeps those that are exactly {@code col = operand}, {@code operand = col} or
 * {@code col IN (operand, ...)}. A top-level OR yields nothing. AND inside parentheses, brackets,
 * {@code CASE ... END} or {@code BETWEEN x AND y} does not split; any other conjunct only narrows
 * the rows further, so ignoring it is safe.
 */
final class WhereClause {

  private final Lexed lexed;
  private final TableRef table;

  private WhereClause(Lexed lexed, TableRef table) {
    this.lexed = lexed;
    this.table = table;
  }

  /** The key predicates of the condition in tokens {@code [from, to)} over {@code table}. */
  static List<KeyPredicate> predicates(Lexed lexed, int from, int to, TableRef table) {
    List<KeyPredicate> predicates = new ArrayList<>();
    new WhereClause(lexed, table).conjunction(from, to, predicates);
    return predicates;
  }

  private void conjunction(int from, int to, List<KeyPredicate> out) {
    List<Integer> ands = topLevelAnds(from, to);
    if (ands == null) {
      return;
    }
    int start = from;
    ands.add(to);
    for (int and : ands) {
      conjunct(start, and, out);
      start = and + 1;
    }
  }

  /** The indexes of the splitting ANDs, or null when an OR is at the top level. */
  private @Nullable List<Integer> topLevelAnds(int from, int to) {
    List<Integer> ands = new ArrayList<>();
    int caseDepth = 0;
    boolean between = false;
    int i = from;
    while (i < to) {
      Token token = lexed.get(i);
      if ((token.is("(") || token.is("[")) && lexed.partner(i) > i) {
        i = lexed.partner(i) + 1;
        continue;
      }
      if (token.isWord("case")) {
        caseDepth++;
      } else if (token.isWord("end") && caseDepth > 0) {
        caseDepth--;
      } else if (caseDepth == 0 && token.isWord("or")) {
        return null;
      } else if (caseDepth == 0 && token.isWord("between")) {
        between = true;
      } else if (caseDepth == 0 && token.isWord("and")) {
        if (between) {
          between = false;
        } else {
          ands.add(i);
        }
      }
      i++;
    }
    return ands;
  }

  private void conjunct(int from, int to, List<KeyPredicate> out) {
    if (from >= to) {
      return;
    }
    if (lexed.get(from).is("(") && lexed.partner(from) == to - 1) {
      conjunction(from + 1, to - 1, out);
      return;
    }
    KeyPredicate predicate = columnFirst(from, to);
    if (predicate == null) {
      predicate = operandFirst(from, to);
    }
    if (predicate != null) {
      out.add(predicate);
    }
  }

  /** {@code col = operand} or {@code col IN (operand, ...)}. */
  private @Nullable KeyPredicate columnFirst(int from, int to) {
    Cursor cursor = new Cursor(lexed, from, to);
    String column = column(cursor);
    if (column == null) {
      return null;
    }
    if (cursor.accept("=")) {
      Operand operand = OperandParser.parse(lexed, cursor.pos(), to);
      return operand == null
          ? null
          : new KeyPredicate(column, List.of(operand), List.of(lexed.span(cursor.pos(), to)));
    }
    if (cursor.acceptWords("in") && cursor.at("(") && lexed.partner(cursor.pos()) == to - 1) {
      List<Span> spans = new ArrayList<>();
      List<Operand> values = list(cursor.pos() + 1, to - 1, spans);
      return values == null ? null : new KeyPredicate(column, values, spans);
    }
    return null;
  }

  /** {@code operand = col}. */
  private @Nullable KeyPredicate operandFirst(int from, int to) {
    Cursor cursor = new Cursor(lexed, from, to);
    int equals = -1;
    while (!cursor.atEnd()) {
      if (cursor.at("=")) {
        if (equals >= 0) {
          return null;
        }
        equals = cursor.pos();
      }
      cursor.skipOne();
    }
    if (equals < 0) {
      return null;
    }
    Operand operand = OperandParser.parse(lexed, from, equals);
    Cursor right = new Cursor(lexed, equals + 1, to);
    String column = column(right);
    if (operand == null || column == null || !right.atEnd()) {
      return null;
    }
    return new KeyPredicate(column, List.of(operand), List.of(lexed.span(from, equals)));
  }

  /** The values of an IN list, or null if any is not an operand (a subquery, an expression). */
  private @Nullable List<Operand> list(int from, int to, List<Span> spans) {
    Cursor cursor = new Cursor(lexed, from, to);
    List<Operand> values = new ArrayList<>();
    int start = from;
    List<Integer> commas = cursor.commas(to);
    commas.add(to);
    for (int comma : commas) {
      Operand operand = OperandParser.parse(lexed, start, comma);
      if (operand == null) {
        return null;
      }
      values.add(operand);
      spans.add(lexed.span(start, comma));
      start = comma + 1;
    }
    return values;
  }

  /** A column of the table, unqualified or qualified by its alias or name; else null. */
  private @Nullable String column(Cursor cursor) {
    List<String> parts = new ArrayList<>(3);
    while (cursor.atName()) {
      parts.add(cursor.next().text());
      if (!(cursor.at(".") && cursor.peek(1) != null && cursor.peek(1).isName())) {
        break;
      }
      cursor.next();
    }
    int size = parts.size();
    if (size == 0 || size > 3 || cursor.at("(") || cursor.at(".")) {
      return null; // a function call or a composite field, not a column
    }
    if (size >= 2 && !table.isNamedBy(size == 3 ? parts.get(0) : null, parts.get(size - 2))) {
      return null;
    }
    return parts.get(size - 1);
  }
}
