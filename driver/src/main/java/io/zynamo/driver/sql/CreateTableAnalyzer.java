package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Routing facts of CREATE TABLE: the name, persistence, and from the element list the columns with
 * their declared types, the PRIMARY KEY (column or table constraint), UNIQUE constraints and
 * referenced tables. {@code AS query} and {@code SELECT INTO} report no columns ({@link
 * Trait#CREATE_AS}); LIKE, OF, PARTITION OF and INHERITS mark the list incomplete.
 */
final class CreateTableAnalyzer {

  /** Words that end a column's type and start its constraints (gram.y ColConstraint). */
  private static final Set<String> CONSTRAINT_WORDS =
      Set.of(
          "constraint",
          "not",
          "null",
          "default",
          "primary",
          "unique",
          "check",
          "references",
          "generated",
          "collate",
          "deferrable",
          "initially",
          "storage",
          "compression");

  private final Lexed lexed;
  private final StatementBuilder builder;
  private final List<ColumnDefinition> columns = new ArrayList<>();
  private final List<String> primaryKey = new ArrayList<>();
  private final List<List<String>> uniqueKeys = new ArrayList<>();

  private CreateTableAnalyzer(Lexed lexed, StatementBuilder builder) {
    this.lexed = lexed;
    this.builder = builder;
  }

  static void analyze(Lexed lexed, int from, int to, StatementBuilder builder) {
    new CreateTableAnalyzer(lexed, builder).run(new Cursor(lexed, from, to));
  }

  private void run(Cursor cursor) {
    cursor.expectWord("create");
    DdlAnalyzer.persistence(cursor, builder);
    cursor.expectWord("table");
    if (cursor.acceptWords("if", "not", "exists")) {
      builder.traits.add(Trait.IF_NOT_EXISTS);
    }
    ObjectName name = cursor.qualifiedName();
    builder.target = name;
    builder.tables.add(name);
    int as = cursor.findWord("as");
    if (as < cursor.end()) {
      createAs(cursor, as);
      return;
    }
    if (cursor.acceptWords("of") || cursor.acceptWords("partition", "of")) {
      builder.traits.add(Trait.INCOMPLETE_DEFINITION);
      builder.tables.add(cursor.qualifiedName());
    }
    if (cursor.at("(")) {
      int close = cursor.groupEnd();
      elements(cursor.pos() + 1, close);
      cursor.seek(close + 1);
    }
    if (cursor.acceptWords("inherits")) {
      builder.traits.add(Trait.INCOMPLETE_DEFINITION);
      cursor.nameList();
    }
    builder.definition = new TableDefinition(columns, primaryKey, uniqueKeys);
    builder.shapeFromTables();
  }

  /** {@code CREATE TABLE t [(a, b)] AS query}: the columns come from the query. */
  private void createAs(Cursor cursor, int as) {
    builder.traits.add(Trait.CREATE_AS);
    QueryScan scan = QueryScanner.scan(lexed, as + 1, cursor.end());
    builder.tables.addAll(scan.tables());
    builder.traits.addAll(scan.traits());
    builder.shape = Shape.COMPLEX;
  }

  private void elements(int from, int to) {
    List<Integer> commas = new Cursor(lexed, from, to).commas(to);
    commas.add(to);
    int start = from;
    for (int comma : commas) {
      element(new Cursor(lexed, start, comma));
      start = comma + 1;
    }
  }

  private void element(Cursor cursor) {
    if (cursor.acceptWords("constraint")) {
      cursor.name();
      tableConstraint(cursor);
    } else if (cursor.atWord("primary")
        || cursor.atWord("unique")
        || cursor.atWord("check")
        || cursor.atWord("foreign")
        || cursor.atWord("exclude")) {
      tableConstraint(cursor);
    } else if (cursor.acceptWords("like")) {
      builder.traits.add(Trait.INCOMPLETE_DEFINITION);
      builder.tables.add(cursor.qualifiedName());
    } else {
      column(cursor);
    }
  }

  private void tableConstraint(Cursor cursor) {
    if (cursor.acceptWords("primary", "key")) {
      primaryKey.addAll(cursor.nameList());
    } else if (cursor.acceptWords("unique")) {
      skipNullsDistinct(cursor);
      uniqueKeys.add(cursor.nameList());
    }
    references(cursor);
  }

  private void column(Cursor cursor) {
    String name = cursor.name();
    int typeStart = cursor.pos();
    while (!cursor.atEnd() && !atConstraintWord(cursor)) {
      cursor.skipOne();
    }
    columns.add(new ColumnDefinition(name, DdlAnalyzer.typeText(lexed, typeStart, cursor.pos())));
    while (!cursor.atEnd()) {
      if (cursor.acceptWords("primary", "key")) {
        primaryKey.add(name);
      } else if (cursor.acceptWords("unique")) {
        skipNullsDistinct(cursor);
        uniqueKeys.add(List.of(name));
      } else if (cursor.acceptWords("references")) {
        builder.tables.add(cursor.qualifiedName());
      } else {
        cursor.skipOne();
      }
    }
  }

  private static boolean atConstraintWord(Cursor cursor) {
    Token token = cursor.peek();
    return token != null
        && token.type() == TokenType.WORD
        && CONSTRAINT_WORDS.contains(token.text());
  }

  private static void skipNullsDistinct(Cursor cursor) {
    if (!cursor.acceptWords("nulls", "not", "distinct")) {
      cursor.acceptWords("nulls", "distinct");
    }
  }

  private void references(Cursor cursor) {
    int references = cursor.findWord("references");
    if (references < cursor.end()) {
      cursor.seek(references + 1);
      builder.tables.add(cursor.qualifiedName());
    }
  }
}
