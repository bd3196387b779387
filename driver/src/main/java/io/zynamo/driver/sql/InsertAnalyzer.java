package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Routing facts of INSERT: target, column list, the VALUES rows as operands, {@code DEFAULT
 * VALUES}, a query source, {@code ON CONFLICT} (with the columns {@code DO UPDATE} sets) and {@code
 * RETURNING}. A VALUES list followed by anything but ON CONFLICT or RETURNING (e.g. {@code UNION},
 * {@code ORDER BY}) is a query source, and its rows are not reported.
 */
final class InsertAnalyzer {

  private InsertAnalyzer() {}

  static void analyze(Lexed lexed, int from, int to, int main, StatementBuilder builder) {
    builder.absorb(QueryScanner.scan(lexed, from, to));
    Cursor cursor = new Cursor(lexed, main, to);
    cursor.expectWord("insert");
    cursor.expectWord("into");
    builder.target = cursor.qualifiedName();
    if (cursor.acceptWords("as")) {
      cursor.name();
    }
    int afterTarget = lexed.get(cursor.pos() - 1).end();
    Span columnList = null;
    List<String> columns = List.of();
    if (cursor.at("(")) {
      columnList = lexed.span(cursor.pos(), cursor.groupEnd() + 1);
      columns = cursor.nameList();
    }
    Span overriding = null;
    boolean overridingUser = false;
    if (cursor.atWord("overriding")) {
      int start = cursor.pos();
      cursor.next();
      overridingUser = cursor.next().isWord("user");
      cursor.expectWord("value");
      overriding = lexed.span(start, cursor.pos());
    }
    Span defaultValues =
        cursor.atWord("default") && cursor.atWord(1, "values")
            ? lexed.span(cursor.pos(), cursor.pos() + 2)
            : null;
    List<Span> spans = new ArrayList<>();
    List<List<Span>> valueSpans = new ArrayList<>();
    int sourceStart = cursor.pos();
    List<List<Operand>> rows = source(lexed, cursor, builder, spans, valueSpans);
    Span query =
        builder.traits.contains(Trait.INSERT_SELECT) && cursor.pos() > sourceStart
            ? lexed.span(sourceStart, cursor.pos())
            : null;
    InsertLayout layout =
        new InsertLayout(
            afterTarget, columnList, overriding, overridingUser, defaultValues, valueSpans, query);
    builder.insert = new InsertRows(columns, rows, spans, layout);
    if (cursor.acceptWords("on", "conflict")) {
      onConflict(lexed, cursor, builder);
    }
    DmlAnalyzer.returning(cursor, builder);
    if (builder.traits.contains(Trait.INSERT_SELECT)) {
      builder.shape = Shape.COMPLEX;
    }
  }

  private static List<List<Operand>> source(
      Lexed lexed,
      Cursor cursor,
      StatementBuilder builder,
      List<Span> spans,
      List<List<Span>> valueSpans) {
    if (cursor.acceptWords("default", "values")) {
      builder.traits.add(Trait.DEFAULT_VALUES);
      return List.of();
    }
    if (cursor.atWord("values") && cursor.peek(1) != null && cursor.peek(1).is("(")) {
      int start = cursor.pos();
      cursor.next();
      List<List<Operand>> rows = rows(lexed, cursor, spans, valueSpans);
      if (cursor.atEnd() || cursor.atWord("on") || cursor.atWord("returning")) {
        return rows;
      }
      spans.clear();
      valueSpans.clear();
      cursor.seek(start);
    }
    builder.traits.add(Trait.INSERT_SELECT);
    skipQuery(cursor);
    return List.of();
  }

  /** Moves to the ON CONFLICT or RETURNING after a query source; a join's ON is no conflict. */
  private static void skipQuery(Cursor cursor) {
    while (true) {
      cursor.seek(cursor.findWord("on", "returning"));
      if (cursor.atEnd() || cursor.atWord("returning") || cursor.atWord(1, "conflict")) {
        return;
      }
      cursor.next();
    }
  }

  private static List<List<Operand>> rows(
      Lexed lexed, Cursor cursor, List<Span> spans, List<List<Span>> valueSpans) {
    List<List<Operand>> rows = new ArrayList<>();
    do {
      if (!cursor.at("(")) {
        throw new MalformedSqlException("expected ( of a VALUES row");
      }
      int close = cursor.groupEnd();
      List<Span> values = new ArrayList<>();
      rows.add(row(lexed, cursor.pos() + 1, close, values));
      valueSpans.add(values);
      spans.add(lexed.span(cursor.pos(), close + 1));
      cursor.seek(close + 1);
    } while (cursor.accept(","));
    return rows;
  }

  private static List<Operand> row(Lexed lexed, int from, int to, List<Span> spans) {
    List<Operand> row = new ArrayList<>();
    List<Integer> commas = new Cursor(lexed, from, to).commas(to);
    commas.add(to);
    int start = from;
    for (int comma : commas) {
      if (comma == start) {
        throw new MalformedSqlException("empty value in a VALUES row");
      }
      row.add(OperandParser.parseOrExpression(lexed, start, comma));
      spans.add(lexed.span(start, comma));
      start = comma + 1;
    }
    return row;
  }

  /** {@code ON CONFLICT [(target) [WHERE ...] | ON CONSTRAINT c] DO NOTHING | DO UPDATE SET}. */
  private static void onConflict(Lexed lexed, Cursor cursor, StatementBuilder builder) {
    int action = cursor.findWord("do");
    cursor.seek(action);
    cursor.expectWord("do");
    if (cursor.acceptWords("nothing")) {
      builder.traits.add(Trait.ON_CONFLICT_DO_NOTHING);
      return;
    }
    cursor.expectWord("update");
    cursor.expectWord("set");
    builder.traits.add(Trait.ON_CONFLICT_DO_UPDATE);
    int end = cursor.findWord("where", "returning");
    builder.setColumns.addAll(SetClause.columns(lexed, cursor.pos(), end));
    cursor.seek(end);
  }
}
