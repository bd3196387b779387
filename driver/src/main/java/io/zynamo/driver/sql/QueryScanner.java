package io.zynamo.driver.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One linear pass over a query's tokens that finds every table it reads or writes at any depth and
 * everything that makes it more than a single-table statement: joins, comma-separated FROM items,
 * subqueries, CTEs (whose names are scoped and never taken for tables), set operations, table
 * functions, column alias lists and TABLESAMPLE.
 *
 * <p>Each bracket opens a {@link Frame}; a frame knows whether it is in a FROM list and expects a
 * FROM item, and where a statement may start in it (after {@code (} or after a CTE list).
 */
final class QueryScanner {

  private static final Set<String> FROM_ENDS =
      Set.of(
          "where",
          "group",
          "having",
          "window",
          "order",
          "limit",
          "offset",
          "fetch",
          "for",
          "returning",
          "union",
          "intersect",
          "except",
          "into",
          "set",
          "on");
  private static final Set<String> JOIN_WORDS =
      Set.of("join", "natural", "cross", "inner", "left", "right", "full", "outer");

  /** Where an alias may follow a table name (gram.y differs per statement). */
  private enum Alias {
    /** FROM items and DELETE targets: {@code t x} or {@code t AS x}. */
    ANY,
    /** UPDATE targets: as ANY, but a bare {@code SET} starts the SET clause. */
    NOT_SET,
    /** INSERT targets: only {@code t AS x}. */
    AS_ONLY,
    /** {@code TABLE t}: none. */
    NONE
  }

  private enum Cte {
    NONE,
    EXPECT_NAME,
    EXPECT_BODY
  }

  private static final class Frame {
    final boolean query;
    final boolean cteBody;
    int statementStart;
    boolean fromMode;
    boolean expectItem;
    Cte cte = Cte.NONE;
    final Set<String> cteNames = new HashSet<>();

    Frame(int statementStart, boolean query, boolean cteBody) {
      this.statementStart = statementStart;
      this.query = query;
      this.cteBody = cteBody;
    }
  }

  private final Lexed lexed;
  private final int to;
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final Set<ObjectName> tables = new LinkedHashSet<>();
  private final List<TableRef> refs = new ArrayList<>();
  private final Set<Trait> traits = EnumSet.noneOf(Trait.class);
  private boolean complex;
  private @Nullable ObjectName into;

  private QueryScanner(Lexed lexed, int from, int to) {
    this.lexed = lexed;
    this.to = to;
    frames.push(new Frame(from, true, false));
  }

  /** Scans the tokens {@code [from, to)}. */
  static QueryScan scan(Lexed lexed, int from, int to) {
    QueryScanner scanner = new QueryScanner(lexed, from, to);
    int i = from;
    while (i < to) {
      i = scanner.step(i);
    }
    return new QueryScan(
        new ArrayList<>(scanner.tables),
        scanner.refs,
        scanner.traits,
        scanner.complex,
        scanner.into);
  }

  private int step(int i) {
    Token token = lexed.get(i);
    Frame frame = frames.peek();
    if (token.is("(") || token.is("[")) {
      return open(i, frame);
    }
    if (token.is(")") || token.is("]")) {
      return close(i);
    }
    if (token.is(",") && frame.fromMode && !frame.expectItem) {
      complex = true; // a second FROM item
      frame.expectItem = true;
      return i + 1;
    }
    if (token.type() == TokenType.WORD || token.type() == TokenType.QUOTED_IDENT) {
      return word(i, token, frame);
    }
    return i + 1;
  }

  private int open(int i, Frame frame) {
    if (lexed.get(i).is("[")) {
      frames.push(new Frame(i + 1, false, false));
      return i + 1;
    }
    boolean subquery = startsQuery(i + 1);
    complex |= subquery;
    if (frame.cte == Cte.EXPECT_BODY) {
      frame.cte = Cte.NONE;
      if (isDataModifying(i + 1)) {
        traits.add(Trait.DATA_MODIFYING_CTE);
      }
      frames.push(new Frame(i + 1, true, true));
      return i + 1;
    }
    Frame inner = new Frame(i + 1, subquery, false);
    if (frame.fromMode && frame.expectItem) {
      complex = true; // a derived table or a parenthesized join
      frame.expectItem = false;
      inner.fromMode = !subquery;
      inner.expectItem = !subquery;
    }
    frames.push(inner);
    return i + 1;
  }

  private int close(int i) {
    if (frames.size() == 1) {
      return i + 1; // unbalanced: Lexed already marked the text malformed
    }
    Frame closed = frames.pop();
    Frame frame = frames.peek();
    if (closed.cteBody) {
      if (i + 1 < to && lexed.get(i + 1).is(",")) {
        frame.cte = Cte.EXPECT_NAME;
        return i + 2;
      }
      frame.statementStart = i + 1;
    }
    return i + 1;
  }

  private int word(int i, Token token, Frame frame) {
    if (frame.cte == Cte.EXPECT_NAME) {
      return cteName(i, frame);
    }
    if (i == frame.statementStart) {
      int next = statementStart(i, token, frame);
      if (next != i) {
        return next;
      }
    }
    if (token.isWord("from") && frame.query && !previousIs(i, "distinct")) {
      frame.fromMode = true;
      frame.expectItem = true;
      return i + 1;
    }
    if (frame.fromMode) {
      int next = fromClause(i, token, frame);
      if (next != i) {
        return next;
      }
    }
    return general(i, token, frame);
  }

  /** {@code WITH}, {@code INSERT INTO t}, {@code UPDATE t}, {@code DELETE FROM t}, ... */
  private int statementStart(int i, Token token, Frame frame) {
    Cursor cursor = new Cursor(lexed, i + 1, to);
    switch (token.text()) {
      case "with" -> {
        complex = true;
        cursor.acceptWords("recursive");
        frame.cte = Cte.EXPECT_NAME;
        return cursor.pos();
      }
      case "insert", "merge" -> {
        cursor.expectWord("into");
        complex |= token.isWord("merge");
        addRef(cursor, token.isWord("merge") ? Alias.ANY : Alias.AS_ONLY);
        frame.fromMode = token.isWord("merge");
        return cursor.pos();
      }
      case "update" -> {
        addRef(cursor, Alias.NOT_SET);
        return cursor.pos();
      }
      case "delete" -> {
        cursor.expectWord("from");
        addRef(cursor, Alias.ANY);
        frame.fromMode = true; // for USING
        return cursor.pos();
      }
      case "table" -> {
        addRef(cursor, Alias.NONE);
        return cursor.pos();
      }
      default -> {
        return i;
      }
    }
  }

  private int cteName(int i, Frame frame) {
    Cursor cursor = new Cursor(lexed, i, to);
    frame.cteNames.add(cursor.name());
    if (cursor.at("(")) {
      cursor.skipGroup();
    }
    cursor.expectWord("as");
    cursor.acceptWords("not");
    cursor.acceptWords("materialized");
    frame.cte = Cte.EXPECT_BODY;
    return cursor.pos();
  }

  private int fromClause(int i, Token token, Frame frame) {
    if (frame.expectItem) {
      if (token.isWord("lateral") || token.isWord("only")) {
        return i + 1;
      }
      if (token.isWord("rows") && i + 1 < to && lexed.get(i + 1).isWord("from")) {
        complex = true;
        frame.expectItem = false;
        return i + 2;
      }
      if (token.isName()) {
        Cursor cursor = new Cursor(lexed, i, to);
        fromItem(cursor);
        frame.expectItem = false;
        return cursor.pos();
      }
      return i;
    }
    if (JOIN_WORDS.contains(token.text()) && token.type() == TokenType.WORD) {
      complex = true;
      frame.expectItem = token.isWord("join");
      return i + 1;
    }
    if (token.isWord("using")) {
      boolean columns = i + 1 < to && lexed.get(i + 1).is("(");
      frame.expectItem = !columns;
      return columns ? lexed.partner(i + 1) + 1 : i + 1;
    }
    if (token.isWord("tablesample")) {
      complex = true;
    } else if (token.type() == TokenType.WORD && FROM_ENDS.contains(token.text())) {
      frame.fromMode = token.isWord("on"); // ON of a join keeps the list going
    }
    return i;
  }

  /** A FROM item that starts with a name: a table (with alias) or a table function. */
  private void fromItem(Cursor cursor) {
    int start = cursor.pos();
    cursor.qualifiedName();
    if (cursor.at("(")) {
      complex = true; // a function in FROM
      return;
    }
    cursor.seek(start);
    addRef(cursor, Alias.ANY);
  }

  /** A table name, {@code *}, and an alias; a column alias list makes the statement complex. */
  private void addRef(Cursor cursor, Alias rule) {
    cursor.acceptWords("only");
    ObjectName name = cursor.qualifiedName();
    cursor.accept("*");
    String alias = null;
    if (rule != Alias.NONE && cursor.acceptWords("as")) {
      alias = cursor.name();
    } else if (cursor.atName() && bareAlias(rule, cursor)) {
      alias = cursor.name();
    }
    if (alias != null && cursor.at("(") && rule == Alias.ANY) {
      complex = true; // FROM t AS x(a, b) renames the columns
      cursor.skipGroup();
    }
    if (name.schema() == null && isCte(name.name())) {
      return;
    }
    tables.add(name);
    refs.add(new TableRef(name, alias));
  }

  private static boolean bareAlias(Alias rule, Cursor cursor) {
    return rule == Alias.ANY || (rule == Alias.NOT_SET && !cursor.atWord("set"));
  }

  private int general(int i, Token token, Frame frame) {
    if (token.type() != TokenType.WORD) {
      return i + 1;
    }
    switch (token.text()) {
      case "union", "intersect", "except" -> {
        complex = true;
        frame.fromMode = false;
        return i + 1;
      }
      case "for" -> {
        return locking(i);
      }
      case "into" -> {
        return frames.size() == 1 && frame.query ? selectInto(i) : i + 1;
      }
      default -> {
        return i + 1;
      }
    }
  }

  private int locking(int i) {
    Cursor cursor = new Cursor(lexed, i + 1, to);
    if (cursor.acceptWords("update")
        || cursor.acceptWords("share")
        || cursor.acceptWords("no", "key", "update")
        || cursor.acceptWords("key", "share")) {
      traits.add(Trait.ROW_LOCKING);
      return cursor.pos();
    }
    return i + 1;
  }

  /** {@code SELECT ... INTO [TEMP] [TABLE] new_table}: the statement creates a table. */
  private int selectInto(int i) {
    Cursor cursor = new Cursor(lexed, i + 1, to);
    while (cursor.acceptWords("temporary")
        || cursor.acceptWords("temp")
        || cursor.acceptWords("unlogged")
        || cursor.acceptWords("strict")
        || cursor.acceptWords("table")) {
      if (lexed.get(cursor.pos() - 1).text().startsWith("temp")) {
        traits.add(Trait.TEMPORARY);
      }
    }
    into = cursor.qualifiedName();
    traits.add(Trait.CREATE_AS);
    complex = true;
    return cursor.pos();
  }

  private boolean isCte(String name) {
    for (Frame frame : frames) {
      if (frame.cteNames.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean startsQuery(int i) {
    if (i >= to) {
      return false;
    }
    Token token = lexed.get(i);
    if (token.isWord("select") || token.isWord("with") || token.isWord("table")) {
      return true;
    }
    return token.isWord("values") && i + 1 < to && lexed.get(i + 1).is("(");
  }

  private boolean isDataModifying(int i) {
    if (i >= to) {
      return false;
    }
    Token token = lexed.get(i);
    return token.isWord("insert")
        || token.isWord("update")
        || token.isWord("delete")
        || token.isWord("merge");
  }

  private boolean previousIs(int i, String word) {
    return i > 0 && lexed.get(i - 1).isWord(word);
  }
}
