package io.zynamo.driver.sql;

/**
 * Routing facts of the other catalog and utility statements: the table or object they name, the
 * tables they reference, and their IF [NOT] EXISTS, TEMPORARY, UNIQUE and COPY direction traits.
 */
final class DdlAnalyzer {

  private DdlAnalyzer() {}

  /** {@code [OR REPLACE] [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED]} after CREATE. */
  static void persistence(Cursor cursor, StatementBuilder builder) {
    cursor.acceptWords("or", "replace");
    cursor.acceptWords("global");
    cursor.acceptWords("local");
    if (cursor.acceptWords("temporary") || cursor.acceptWords("temp")) {
      builder.traits.add(Trait.TEMPORARY);
    }
    cursor.acceptWords("unlogged");
  }

  static void alterTable(Lexed lexed, int from, int to, StatementBuilder builder) {
    Cursor cursor = new Cursor(lexed, from, to);
    cursor.expectWord("alter");
    cursor.expectWord("table");
    ifExists(cursor, builder);
    cursor.acceptWords("only");
    builder.target = cursor.qualifiedName();
    builder.tables.add(builder.target);
    int references;
    while ((references = cursor.findWord("references")) < to) {
      cursor.seek(references + 1);
      builder.tables.add(cursor.qualifiedName());
    }
    builder.shapeFromTables();
  }

  /** DROP TABLE and TRUNCATE: a list of tables. */
  static void tableList(Lexed lexed, int from, int to, StatementBuilder builder) {
    Cursor cursor = new Cursor(lexed, from, to);
    cursor.next();
    cursor.acceptWords("table");
    ifExists(cursor, builder);
    do {
      cursor.acceptWords("only");
      ObjectName name = cursor.qualifiedName();
      cursor.accept("*");
      builder.tables.add(name);
      if (builder.target == null) {
        builder.target = name;
      }
    } while (cursor.accept(","));
    builder.shapeFromTables();
  }

  static void createIndex(Lexed lexed, int from, int to, StatementBuilder builder) {
    Cursor cursor = new Cursor(lexed, from, to);
    cursor.expectWord("create");
    if (cursor.acceptWords("unique")) {
      builder.traits.add(Trait.UNIQUE);
    }
    cursor.expectWord("index");
    cursor.acceptWords("concurrently");
    if (cursor.acceptWords("if", "not", "exists")) {
      builder.traits.add(Trait.IF_NOT_EXISTS);
    }
    if (!cursor.atWord("on")) {
      cursor.name(); // the index name is unqualified: it lives in the table's schema
    }
    cursor.expectWord("on");
    cursor.acceptWords("only");
    builder.target = cursor.qualifiedName();
    builder.tables.add(builder.target);
    builder.shapeFromTables();
  }

  static void dropIndex(Lexed lexed, int from, int to, StatementBuilder builder) {
    Cursor cursor = new Cursor(lexed, from, to);
    cursor.expectWord("drop");
    cursor.expectWord("index");
    cursor.acceptWords("concurrently");
    ifExists(cursor, builder);
    builder.target = cursor.qualifiedName();
  }

  /** {@code COPY table [(cols)] FROM|TO ...} or {@code COPY (query) TO ...}. */
  static void copy(Lexed lexed, int from, int to, StatementBuilder builder) {
    Cursor cursor = new Cursor(lexed, from, to);
    cursor.expectWord("copy");
    if (cursor.at("(")) {
      int close = cursor.groupEnd();
      builder.absorb(QueryScanner.scan(lexed, cursor.pos() + 1, close));
      builder.shape = Shape.COMPLEX;
      cursor.seek(close + 1);
    } else {
      builder.target = cursor.qualifiedName();
      builder.tables.add(builder.target);
      builder.shapeFromTables();
      if (cursor.at("(")) {
        cursor.skipGroup();
      }
    }
    if (cursor.acceptWords("from")) {
      builder.traits.add(Trait.COPY_FROM);
    } else if (cursor.acceptWords("to")) {
      builder.traits.add(Trait.COPY_TO);
    }
  }

  /**
   * CREATE/ALTER/DROP of schemas, views, sequences, functions...: the object named after the object
   * type words, and for a view or materialized view the tables of its query.
   */
  static void otherDdl(Lexed lexed, int from, int to, StatementBuilder builder) {
    Cursor cursor = new Cursor(lexed, from, to);
    if (!cursor.acceptWords("create")
        && !cursor.acceptWords("alter")
        && !cursor.acceptWords("drop")) {
      builder.shape = Shape.UNKNOWN; // GRANT, COMMENT ON...: the node checks the names
      return;
    }
    persistence(cursor, builder);
    cursor.acceptWords("materialized");
    cursor.acceptWords("recursive");
    cursor.next(); // the object type: SCHEMA, VIEW, SEQUENCE, FUNCTION...
    ifExists(cursor, builder);
    if (cursor.acceptWords("if", "not", "exists")) {
      builder.traits.add(Trait.IF_NOT_EXISTS);
    }
    if (cursor.atName()) {
      builder.target = cursor.qualifiedName();
    }
    int as = cursor.findWord("as");
    if (as < to
        && as + 1 < to
        && (lexed.get(as + 1).isWord("select")
            || lexed.get(as + 1).isWord("with")
            || lexed.get(as + 1).isWord("values")
            || lexed.get(as + 1).isWord("table"))) {
      QueryScan scan = QueryScanner.scan(lexed, as + 1, to);
      builder.tables.addAll(scan.tables());
      builder.shape = scan.shape() == Shape.NO_TABLE ? Shape.NO_TABLE : Shape.COMPLEX;
    }
  }

  private static void ifExists(Cursor cursor, StatementBuilder builder) {
    if (cursor.acceptWords("if", "exists")) {
      builder.traits.add(Trait.IF_EXISTS);
    }
  }

  /** Declared type tokens as text: words lower-case, no blanks around brackets and commas. */
  static String typeText(Lexed lexed, int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < to; i++) {
      Token token = lexed.get(i);
      String part =
          switch (token.type()) {
            case QUOTED_IDENT -> Identifiers.quote(token.text());
            case STRING -> "'" + token.text().replace("'", "''") + "'";
            default -> token.type() == TokenType.WORD ? token.text() : lexed.text(i, i + 1);
          };
      boolean glue =
          text.length() == 0
              || token.is("(")
              || token.is(")")
              || token.is("[")
              || token.is("]")
              || token.is(",")
              || token.is(".")
              || lexed.get(i - 1).is("(")
              || lexed.get(i - 1).is(",")
              || lexed.get(i - 1).is("[")
              || lexed.get(i - 1).is(".");
      text.append(glue ? "" : " ").append(part);
    }
    return text.toString();
  }
}
