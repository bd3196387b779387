package io.zynamo.driver.sql;

import java.util.List;

/** Dispatches one lexed statement to the analyzer of its kind and freezes the facts. */
final class Analyzer {

  private Analyzer() {}

  /** The facts of the statement in tokens {@code [from, to)}; never throws. */
  static ParsedStatement analyze(Lexed lexed, int from, int to) {
    StatementClassifier.Classified classified = StatementClassifier.classify(lexed, from, to);
    StatementBuilder builder = new StatementBuilder().kind(classified.kind());
    try {
      dispatch(lexed, from, to, classified.main(), builder);
      return builder.build();
    } catch (RuntimeException e) {
      // Valid PostgreSQL this analysis does not follow, or invalid text: assume nothing.
      return new StatementBuilder().kind(classified.kind()).unknown().build();
    }
  }

  /** The facts of a text holding several statements: only their union of tables. */
  static ParsedStatement multi(Lexed lexed, List<int[]> ranges) {
    StatementBuilder builder = new StatementBuilder().kind(StatementKind.OTHER);
    for (int[] range : ranges) {
      builder.tables.addAll(analyze(lexed, range[0], range[1]).tables());
    }
    builder.traits.add(Trait.MULTI_STATEMENT);
    builder.shape = Shape.COMPLEX;
    return builder.build();
  }

  private static void dispatch(Lexed lexed, int from, int to, int main, StatementBuilder builder) {
    switch (builder.kind) {
      case SELECT -> DmlAnalyzer.select(lexed, from, to, main, builder);
      case INSERT -> InsertAnalyzer.analyze(lexed, from, to, main, builder);
      case UPDATE -> DmlAnalyzer.update(lexed, from, to, main, builder);
      case DELETE -> DmlAnalyzer.delete(lexed, from, to, main, builder);
      case MERGE -> merge(lexed, from, to, builder);
      case CREATE_TABLE -> CreateTableAnalyzer.analyze(lexed, from, to, builder);
      case ALTER_TABLE -> DdlAnalyzer.alterTable(lexed, from, to, builder);
      case DROP_TABLE, TRUNCATE -> DdlAnalyzer.tableList(lexed, from, to, builder);
      case CREATE_INDEX -> DdlAnalyzer.createIndex(lexed, from, to, builder);
      case DROP_INDEX -> DdlAnalyzer.dropIndex(lexed, from, to, builder);
      case COPY -> DdlAnalyzer.copy(lexed, from, to, builder);
      case OTHER_DDL -> DdlAnalyzer.otherDdl(lexed, from, to, builder);
      case EXPLAIN -> explain(lexed, from, to, builder);
      case OTHER ->
          builder.shape =
              main < to && !StatementClassifier.startsACommand(lexed.get(main))
                  ? Shape.NO_TABLE
                  : Shape.UNKNOWN;
      default -> builder.shape = Shape.NO_TABLE;
    }
  }

  private static void merge(Lexed lexed, int from, int to, StatementBuilder builder) {
    QueryScan scan = QueryScanner.scan(lexed, from, to);
    builder.absorb(scan);
    builder.target = scan.refs().isEmpty() ? null : scan.refs().get(0).name();
    builder.shape = Shape.COMPLEX;
  }

  /** {@code EXPLAIN [ANALYZE] [VERBOSE] stmt} or {@code EXPLAIN (option [value], ...) stmt}. */
  private static void explain(Lexed lexed, int from, int to, StatementBuilder builder) {
    Cursor cursor = new Cursor(lexed, from, to);
    cursor.expectWord("explain");
    if (cursor.at("(")) {
      int close = cursor.groupEnd();
      if (analyzeOption(lexed, cursor.pos() + 1, close)) {
        builder.traits.add(Trait.EXPLAIN_ANALYZE);
      }
      cursor.seek(close + 1);
    } else {
      if (cursor.acceptWords("analyze") || cursor.acceptWords("analyse")) {
        builder.traits.add(Trait.EXPLAIN_ANALYZE);
      }
      cursor.acceptWords("verbose");
    }
    ParsedStatement explained = analyze(lexed, cursor.pos(), to);
    builder.explained = explained;
    builder.tables.addAll(explained.tables());
    builder.shape = explained.shape();
  }

  private static boolean analyzeOption(Lexed lexed, int from, int to) {
    Cursor cursor = new Cursor(lexed, from, to);
    for (int comma : withEnd(cursor.commas(to), to)) {
      Cursor option = new Cursor(lexed, cursor.pos(), comma);
      if (option.acceptWords("analyze") || option.acceptWords("analyse")) {
        return option.atEnd()
            || !(option.atWord("false") || option.atWord("off") || isZero(option.peek()));
      }
      cursor.seek(comma + 1);
    }
    return false;
  }

  private static boolean isZero(Token token) {
    return token != null
        && token.type() == TokenType.INTEGER
        && Long.valueOf(0).equals(token.value());
  }

  private static List<Integer> withEnd(List<Integer> commas, int end) {
    commas.add(end);
    return commas;
  }
}
