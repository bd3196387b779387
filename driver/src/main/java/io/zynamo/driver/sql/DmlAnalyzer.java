package io.zynamo.driver.sql;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Routing facts of SELECT, UPDATE and DELETE: tables and shape from {@link QueryScanner}, then, for
 * a single table, the key predicates of the WHERE clause and the columns an UPDATE sets.
 */
final class DmlAnalyzer {

  /** The words that end a SELECT's WHERE clause at the top level. */
  static final String[] SELECT_WHERE_ENDS = {
    "group",
    "having",
    "window",
    "order",
    "limit",
    "offset",
    "fetch",
    "for",
    "union",
    "intersect",
    "except"
  };

  private DmlAnalyzer() {}

  static void select(Lexed lexed, int from, int to, int main, StatementBuilder builder) {
    QueryScan scan = QueryScanner.scan(lexed, from, to);
    builder.absorb(scan);
    if (scan.into() != null) {
      builder.kind(StatementKind.CREATE_TABLE).target = scan.into();
      return;
    }
    if (builder.shape == Shape.SINGLE_TABLE) {
      where(lexed, new Cursor(lexed, main, to), scan.refs().get(0), builder, SELECT_WHERE_ENDS);
      builder.scan = scanText(lexed, main, to, scan.refs().get(0));
    }
  }

  /**
   * The WHERE condition of a single-table SELECT, found after its top-level FROM (not the FROM of
   * {@code IS DISTINCT FROM}); null when the FROM clause is more than the table and its alias
   * ({@code TABLESAMPLE}, a function...), so that no filter is sent on its own.
   */
  private static @Nullable ScanText scanText(Lexed lexed, int main, int to, TableRef table) {
    Cursor cursor = new Cursor(lexed, main, to);
    int from;
    do {
      from = cursor.findWord("from");
      if (from >= to) {
        return null;
      }
      cursor.seek(from + 1);
    } while (lexed.get(from - 1).isWord("distinct"));
    int where = cursor.findWord("where");
    int clauseEnd = cursor.findWord(SELECT_WHERE_ENDS);
    int tableEnd = Math.min(where, clauseEnd);
    for (int i = from + 1; i < tableEnd; i++) {
      Token token = lexed.get(i);
      if (!(token.isName() || token.is(".") || token.isWord("as") || token.isWord("only"))) {
        return null;
      }
    }
    if (where >= clauseEnd) {
      return new ScanText(table.alias(), null);
    }
    cursor.seek(where + 1);
    int end = cursor.findWord(SELECT_WHERE_ENDS);
    return end > where + 1 ? new ScanText(table.alias(), lexed.span(where + 1, end)) : null;
  }

  static void update(Lexed lexed, int from, int to, int main, StatementBuilder builder) {
    QueryScan scan = QueryScanner.scan(lexed, from, to);
    builder.absorb(scan);
    Cursor cursor = new Cursor(lexed, main, to);
    cursor.expectWord("update");
    TableRef target = target(cursor, true);
    builder.target = target.name();
    cursor.expectWord("set");
    int setEnd = cursor.findWord("from", "where", "returning");
    builder.setColumns.addAll(SetClause.columns(lexed, cursor.pos(), setEnd));
    cursor.seek(setEnd);
    returning(cursor, builder);
    builder.scan = writeScan(lexed, cursor, to, target);
    where(lexed, cursor, target, builder, "returning");
  }

  static void delete(Lexed lexed, int from, int to, int main, StatementBuilder builder) {
    QueryScan scan = QueryScanner.scan(lexed, from, to);
    builder.absorb(scan);
    Cursor cursor = new Cursor(lexed, main, to);
    cursor.expectWord("delete");
    cursor.expectWord("from");
    TableRef target = target(cursor, false);
    builder.target = target.name();
    returning(cursor, builder);
    builder.scan = writeScan(lexed, cursor, to, target);
    where(lexed, cursor, target, builder, "returning");
  }

  /** The WHERE condition of an UPDATE or DELETE from the cursor on, and where one would go. */
  private static ScanText writeScan(Lexed lexed, Cursor cursor, int to, TableRef target) {
    int where = cursor.findWord("where");
    int returning = cursor.findWord("returning");
    int whereAt = returning < to ? lexed.get(returning).start() : lexed.get(to - 1).end();
    Span condition =
        where < returning && where + 1 < returning ? lexed.span(where + 1, returning) : null;
    return new ScanText(target.alias(), condition, whereAt);
  }

  /** {@code [ONLY] name [*] [[AS] alias]} of an UPDATE or DELETE. */
  static TableRef target(Cursor cursor, boolean update) {
    cursor.acceptWords("only");
    ObjectName name = cursor.qualifiedName();
    cursor.accept("*");
    String alias = null;
    if (cursor.acceptWords("as") || (cursor.atName() && !(update && cursor.atWord("set")))) {
      alias = cursor.name();
    }
    return new TableRef(name, alias);
  }

  static void returning(Cursor cursor, StatementBuilder builder) {
    if (cursor.findWord("returning") < cursor.end()) {
      builder.traits.add(Trait.RETURNING);
    }
  }

  /** Finds WHERE from the cursor on and, for a single-table statement, its key predicates. */
  private static void where(
      Lexed lexed, Cursor cursor, TableRef table, StatementBuilder builder, String... ends) {
    int where = cursor.findWord("where");
    if (where >= cursor.end()) {
      return;
    }
    cursor.seek(where + 1);
    if (cursor.acceptWords("current", "of")) {
      builder.traits.add(Trait.CURRENT_OF);
      builder.shape = Shape.COMPLEX;
      return;
    }
    int end = cursor.findWord(ends);
    if (builder.shape == Shape.SINGLE_TABLE) {
      List<KeyPredicate> predicates = WhereClause.predicates(lexed, where + 1, end, table);
      builder.keyPredicates.addAll(predicates);
    }
  }
}
