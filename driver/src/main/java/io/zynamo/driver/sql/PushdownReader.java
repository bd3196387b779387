package io.zynamo.driver.sql;

import io.zynamo.driver.sql.Pushdown.Call;
import io.zynamo.driver.sql.Pushdown.Edit;
import io.zynamo.driver.sql.Pushdown.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads a single-table SELECT's top-level clauses for {@link Pushdown}: the select list, WHERE,
 * GROUP BY, HAVING, ORDER BY, LIMIT/OFFSET/FETCH, and every function call in them; decides whether
 * the nodes can compute partial results (GROUPED) or their first rows (TOP_K).
 */
final class PushdownReader {

  /** The words that start a top-level clause of a SELECT. */
  private static final Set<String> CLAUSES = clauses();

  private static Set<String> clauses() {
    Set<String> words = new java.util.HashSet<>(List.of("from", "where", "into"));
    words.addAll(List.of(DmlAnalyzer.SELECT_WHERE_ENDS));
    return Set.copyOf(words);
  }

  /** What the reader found, handed to {@link Pushdown}'s constructor. */
  static final class Builder {
    Kind kind = Kind.GROUPED;
    String sql = "";
    Span select = new Span(0, 0);
    @Nullable Span whereClause;
    @Nullable Span whereCondition;
    final Map<String, String> nodeColumns = new LinkedHashMap<>();
    final List<String> groupBy = new ArrayList<>();
    final List<Call> calls = new ArrayList<>();
    final Map<Integer, Integer> unlabelled = new TreeMap<>();
    final List<Edit> groupEdits = new ArrayList<>();
    @Nullable String orderLimit;
    final Set<String> functions = new TreeSet<>();
    final Set<String> orderFunctions = new TreeSet<>();
  }

  /** One select list item: its tokens {@code [from, to)} without the alias, and the alias. */
  private record Item(int from, int to, int end, @Nullable String alias) {}

  private final Lexed lexed;
  private final TableRef table;
  private final Set<String> columns;
  private final Builder b = new Builder();
  private final Map<String, Integer> clauses = new LinkedHashMap<>();
  private int end;

  PushdownReader(Lexed lexed, TableRef table, List<String> columns) {
    this.lexed = lexed;
    this.table = table;
    this.columns = Set.copyOf(columns);
    b.sql = lexed.sql();
  }

  Optional<Pushdown> read() {
    int start = firstSelect();
    if (start < 0) {
      return Optional.empty();
    }
    end = lexed.size();
    while (end > start && lexed.get(end - 1).is(";")) {
      end--;
    }
    b.select = lexed.span(start, end);
    if (SqlFrontend.readsNodeLocalValues(lexed, start, end)) {
      return Optional.empty(); // now() on each node is each node's: evaluated once, merging
    }
    findClauses(start + 1);
    if (clauses.containsKey("window")
        || clauses.containsKey("for")
        || clauses.containsKey("union")
        || clauses.containsKey("intersect")
        || clauses.containsKey("except")
        || clauses.containsKey("into")
        || !clauses.containsKey("from")
        || anyWord(start, end, "over")
        || anyWords(start, end, "within", "group")) {
      return Optional.empty();
    }
    int listStart = start + 1;
    boolean distinct = false;
    if (lexed.get(listStart).isWord("distinct")) {
      if (lexed.get(listStart + 1).isWord("on")) {
        return Optional.empty();
      }
      distinct = true;
      listStart++;
    } else if (lexed.get(listStart).isWord("all")) {
      listStart++;
    }
    List<Item> items = items(listStart, clauses.get("from"));
    if (clauses.containsKey("where")) {
      int where = clauses.get("where");
      int whereEnd = clauseEnd(where);
      if (whereEnd <= where + 1) {
        return Optional.empty();
      }
      b.whereClause = new Span(lexed.get(where).start(), lexed.get(whereEnd - 1).end());
      b.whereCondition = lexed.span(where + 1, whereEnd);
    }
    for (int i = start; i < end; i++) {
      Token token = lexed.get(i);
      if (token.type() == TokenType.PARAM
          && (b.whereCondition == null || !b.whereCondition.contains(token.start()))) {
        return Optional.empty(); // only a WHERE condition's parameters are inlined (for nodes)
      }
    }
    if (!collectCalls(items)) {
      return Optional.empty();
    }
    boolean grouped = distinct || !b.calls.isEmpty() || clauses.containsKey("group");
    if (grouped) {
      return grouped(items, distinct) ? Optional.of(new Pushdown(b)) : Optional.empty();
    }
    b.kind = Kind.TOP_K;
    return !clauses.containsKey("having") && topK(items)
        ? Optional.of(new Pushdown(b))
        : Optional.empty();
  }

  /** The first SELECT at the top level (after an EXPLAIN's options); -1 if none. */
  private int firstSelect() {
    for (int i = 0; i < lexed.size(); i = next(i)) {
      if (lexed.get(i).isWord("select")) {
        return i;
      }
    }
    return -1;
  }

  private int next(int i) {
    Token token = lexed.get(i);
    if ((token.is("(") || token.is("[")) && lexed.partner(i) > i) {
      return lexed.partner(i) + 1;
    }
    return i + 1;
  }

  private void findClauses(int from) {
    for (int i = from; i < end; i = next(i)) {
      Token token = lexed.get(i);
      if (token.type() != TokenType.WORD || !CLAUSES.contains(token.text())) {
        continue;
      }
      if (token.isWord("from") && lexed.get(i - 1).isWord("distinct")) {
        continue; // IS [NOT] DISTINCT FROM
      }
      if ((token.isWord("group") || token.isWord("order"))
          && !(i + 1 < end && lexed.get(i + 1).isWord("by"))) {
        continue;
      }
      clauses.putIfAbsent(token.text(), i);
    }
  }

  /** Where the clause starting at {@code at} ends: at the next clause, or the end. */
  private int clauseEnd(int at) {
    int clauseEnd = end;
    for (int position : clauses.values()) {
      if (position > at && position < clauseEnd) {
        clauseEnd = position;
      }
    }
    return clauseEnd;
  }

  private boolean anyWord(int from, int to, String word) {
    for (int i = from; i < to; i++) {
      if (lexed.get(i).isWord(word)) {
        return true;
      }
    }
    return false;
  }

  private boolean anyWords(int from, int to, String first, String second) {
    for (int i = from; i + 1 < to; i++) {
      if (lexed.get(i).isWord(first) && lexed.get(i + 1).isWord(second)) {
        return true;
      }
    }
    return false;
  }

  /** The top-level commas of tokens {@code [from, to)}, then {@code to}: where each item ends. */
  private List<Integer> commas(int from, int to) {
    List<Integer> commas = new Cursor(lexed, from, to).commas(to);
    commas.add(to);
    return commas;
  }

  private List<Item> items(int from, int to) {
    List<Item> items = new ArrayList<>();
    int at = from;
    for (int comma : commas(from, to)) {
      if (comma <= at) {
        throw new MalformedSqlException("empty select item");
      }
      items.add(item(at, comma));
      at = comma + 1;
    }
    return items;
  }

  private Item item(int from, int to) {
    Token last = lexed.get(to - 1);
    if (to - from >= 3 && lexed.get(to - 2).isWord("as") && last.isName()) {
      return new Item(from, to - 2, to, last.text());
    }
    if (to - from >= 2 && last.isName()) {
      Token before = lexed.get(to - 2);
      boolean value =
          before.is(")")
              || before.is("]")
              || before.isName()
              || before.type() == TokenType.STRING
              || before.type() == TokenType.INTEGER
              || before.type() == TokenType.DECIMAL;
      if (value) {
        return new Item(from, to - 1, to, last.text());
      }
    }
    return new Item(from, to, to, null);
  }

  private boolean isStar(Item item) {
    return lexed.get(item.to() - 1).is("*");
  }

  /** The column an item or expression {@code [from, to)} is, when it is a plain column. */
  private @Nullable String column(int from, int to) {
    if (to - from == 1 && lexed.get(from).isName()) {
      String name = lexed.get(from).text();
      return columns.contains(name) ? name : null;
    }
    if (to - from == 3 && lexed.get(from + 1).is(".") && lexed.get(from + 2).isName()) {
      String qualifier = lexed.get(from).text();
      String name = lexed.get(from + 2).text();
      boolean ours = table.isNamedBy(null, qualifier);
      return ours && columns.contains(name) ? name : null;
    }
    return null;
  }

  /**
   * Finds every function call in the items, HAVING and ORDER BY: the supported aggregates become
   * calls (false when one is used in a way not merged here), the others are recorded by name.
   */
  private boolean collectCalls(List<Item> items) {
    Map<String, Integer> partials = new LinkedHashMap<>();
    for (int index = 0; index < items.size(); index++) {
      Item item = items.get(index);
      int before = b.calls.size();
      if (!calls(item.from(), item.to(), partials)) {
        return false;
      }
      if (b.calls.size() > before && item.alias() == null) {
        b.unlabelled.put(lexed.get(item.end() - 1).end(), index);
      }
    }
    for (String clause : List.of("having", "order")) {
      Integer at = clauses.get(clause);
      if (at != null && !calls(at + 1, clauseEnd(at), partials)) {
        return false;
      }
    }
    return true;
  }

  private boolean calls(int from, int to, Map<String, Integer> partials) {
    for (int i = from; i < to; i++) {
      Token token = lexed.get(i);
      if (!token.isName() || i + 1 >= to || !lexed.get(i + 1).is("(")) {
        continue;
      }
      boolean qualified = i >= 2 && lexed.get(i - 1).is(".");
      String name = token.text();
      boolean catalog = qualified && lexed.get(i - 2).isWord("pg_catalog");
      if (!Pushdown.MERGED_BY.containsKey(name) || (qualified && !catalog)) {
        b.functions.add(name);
        continue;
      }
      int open = i + 1;
      int close = lexed.partner(open);
      if (close < 0 || close >= to) {
        return false;
      }
      if (!plainArgument(open + 1, close, name)) {
        return false;
      }
      int callEnd = close + 1;
      if (callEnd + 1 < to
          && lexed.get(callEnd).isWord("filter")
          && lexed.get(callEnd + 1).is("(")) {
        callEnd = lexed.partner(callEnd + 1) + 1;
        if (callEnd <= 0 || callEnd > to) {
          return false;
        }
      }
      int callStart = catalog ? i - 2 : i;
      String text = lexed.text(callStart, callEnd);
      List<String> names = new ArrayList<>();
      if (name.equals("avg")) {
        String argument = lexed.text(open + 1, close);
        String filter = lexed.text(close + 1, callEnd);
        String tail = filter.isEmpty() ? "" : " " + filter;
        names.add(partial(partials, "sum(" + argument + ")" + tail));
        names.add(partial(partials, "count(" + argument + ")" + tail));
      } else {
        names.add(partial(partials, text));
      }
      b.calls.add(new Call(lexed.span(callStart, callEnd), name, names));
      i = callEnd - 1;
    }
    return true;
  }

  /** One argument without DISTINCT, ALL or ORDER BY; {@code *} only for count. */
  private boolean plainArgument(int from, int to, String function) {
    if (from >= to) {
      return false;
    }
    if (to - from == 1 && lexed.get(from).is("*")) {
      return function.equals("count");
    }
    if (lexed.get(from).isWord("distinct") || lexed.get(from).isWord("all")) {
      return false;
    }
    return commas(from, to).size() == 1 && !anyWords(from, to, "order", "by");
  }

  private String partial(Map<String, Integer> partials, String expression) {
    Integer number = partials.get(expression);
    if (number == null) {
      number = partials.size() + 1;
      partials.put(expression, number);
      b.nodeColumns.put(expression, Pushdown.PARTIAL + number);
    }
    return Pushdown.PARTIAL + number;
  }

  /**
   * GROUPED: each group is a plain column (by name or by an item's position), kept under its name,
   * or an expression, computed by the nodes as {@code zynamo_g1...}; the merge query then reads
   * that column wherever the expression stands whole (see {@link #replaceGroups}).
   */
  private boolean grouped(List<Item> items, boolean distinct) {
    Map<String, String> groups = new LinkedHashMap<>();
    Map<List<String>, String> expressions = new LinkedHashMap<>();
    for (Item item : items) {
      if (isStar(item)) {
        return false;
      }
      if (distinct) {
        String column = column(item.from(), item.to());
        if (column == null || !b.calls.isEmpty() || clauses.containsKey("group")) {
          return false;
        }
        groups.putIfAbsent(column, lexed.text(item.from(), item.to()));
      }
    }
    Integer group = clauses.get("group");
    if (group != null) {
      int from = group + 2;
      int to = clauseEnd(group);
      if (from >= to || lexed.get(from).isWord("all") || lexed.get(from).isWord("distinct")) {
        return false;
      }
      int at = from;
      for (int comma : commas(from, to)) {
        int[] range = groupItem(items, at, comma);
        if (range.length == 0) {
          return false;
        }
        Token first = lexed.get(range[0]);
        if (first.is("(")
            || first.isWord("rollup")
            || first.isWord("cube")
            || first.isWord("grouping")) {
          return false; // grouping sets
        }
        String column = column(range[0], range[1]);
        if (column != null) {
          groups.putIfAbsent(column, lexed.text(range[0], range[1]));
        } else if (!callIn(range[0], range[1])) {
          List<String> key = key(range[0], range[1]);
          if (!expressions.containsKey(key)) {
            String name = Pushdown.GROUP + (expressions.size() + 1);
            expressions.put(key, name);
            groups.put(name, lexed.text(range[0], range[1]));
          }
        } else {
          return false;
        }
        at = comma + 1;
      }
    }
    if (!expressions.isEmpty() && !replaceGroups(items, expressions, group)) {
      return false;
    }
    Map<String, String> partialColumns = new LinkedHashMap<>(b.nodeColumns);
    b.nodeColumns.clear();
    groups.forEach((column, text) -> b.nodeColumns.put(text, column));
    b.nodeColumns.putAll(partialColumns);
    b.groupBy.addAll(groups.values());
    return !b.nodeColumns.isEmpty();
  }

  /** Whether an aggregate call found before lies in tokens {@code [from, to)}. */
  private boolean callIn(int from, int to) {
    int start = lexed.get(from).start();
    int end = lexed.get(to - 1).end();
    return b.calls.stream().anyMatch(c -> c.span().start() < end && c.span().end() > start);
  }

  /** The tokens {@code [from, to)} as a comparable key (type and normalized text). */
  private List<String> key(int from, int to) {
    List<String> key = new ArrayList<>();
    for (int i = from; i < to; i++) {
      key.add(lexed.get(i).type() + ":" + lexed.get(i).text());
    }
    return key;
  }

  /**
   * Points each whole occurrence of a GROUP BY expression outside aggregate calls, in the items,
   * GROUP BY, HAVING and ORDER BY, at its column: whole means an item, a GROUP BY or ORDER BY item,
   * a function argument or a parenthesized expression, so that no operator binds differently. What
   * is left referring to the table's columns makes the merge query fail to describe, and the caller
   * gathers whole rows.
   */
  private boolean replaceGroups(
      List<Item> items, Map<List<String>, String> expressions, int group) {
    for (int index = 0; index < items.size(); index++) {
      Item item = items.get(index);
      if (replaceGroups(item.from(), item.to(), expressions, Set.of()) && item.alias() == null) {
        b.unlabelled.put(lexed.get(item.end() - 1).end(), index);
      }
    }
    replaceGroups(group + 2, clauseEnd(group), expressions, Set.of());
    Integer having = clauses.get("having");
    if (having != null) {
      replaceGroups(having + 1, clauseEnd(having), expressions, Set.of());
    }
    Integer order = clauses.get("order");
    if (order != null) {
      replaceGroups(
          order + 2, clauseEnd(order), expressions, Set.of("asc", "desc", "nulls", "using"));
    }
    return true;
  }

  private boolean replaceGroups(
      int from, int to, Map<List<String>, String> expressions, Set<String> followers) {
    boolean replaced = false;
    for (int i = from; i < to; i++) {
      if (callIn(i, i + 1)) {
        continue;
      }
      boolean before = i == from || lexed.get(i - 1).is("(") || lexed.get(i - 1).is(",");
      if (!before) {
        continue;
      }
      for (Map.Entry<List<String>, String> e : expressions.entrySet()) {
        int end = i + e.getKey().size();
        if (end > to || !key(i, end).equals(e.getKey()) || callIn(i, end)) {
          continue;
        }
        Token after = end < to ? lexed.get(end) : null;
        if (after == null
            || after.is(")")
            || after.is(",")
            || (after.type() == TokenType.WORD && followers.contains(after.text()))) {
          b.groupEdits.add(new Edit(lexed.span(i, end), e.getValue()));
          replaced = true;
          i = end - 1;
          break;
        }
      }
    }
    return replaced;
  }

  /** A GROUP BY item's tokens, or an item's for {@code GROUP BY n}; empty when unusable. */
  private int[] groupItem(List<Item> items, int from, int to) {
    if (to - from == 1 && lexed.get(from).type() == TokenType.INTEGER) {
      int position = positionOf(lexed.get(from));
      if (position < 1 || position > items.size()) {
        return new int[0];
      }
      Item item = items.get(position - 1);
      return new int[] {item.from(), item.to()};
    }
    return to > from ? new int[] {from, to} : new int[0];
  }

  private static int positionOf(Token token) {
    try {
      return Integer.parseInt(token.text());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** TOP_K: ORDER BY items the nodes can evaluate, and a constant LIMIT. */
  private boolean topK(List<Item> items) {
    long limit = -1;
    long offset = 0;
    Integer limitAt = clauses.get("limit");
    Integer fetchAt = clauses.get("fetch");
    Integer offsetAt = clauses.get("offset");
    if (limitAt != null) {
      limit = constant(limitAt + 1, clauseEnd(limitAt), false);
    } else if (fetchAt != null) {
      limit = fetch(fetchAt + 1, clauseEnd(fetchAt));
    }
    if (offsetAt != null) {
      offset = constant(offsetAt + 1, clauseEnd(offsetAt), true);
    }
    if (limit < 0 || offset < 0 || limit > Long.MAX_VALUE / 2 || offset > Long.MAX_VALUE / 2) {
      return false;
    }
    StringBuilder order = new StringBuilder();
    Integer orderAt = clauses.get("order");
    if (orderAt != null) {
      int from = orderAt + 2;
      int to = clauseEnd(orderAt);
      if (from >= to) {
        return false;
      }
      int at = from;
      for (int comma : commas(from, to)) {
        String text = orderItem(items, at, comma);
        if (text == null) {
          return false;
        }
        order.append(order.isEmpty() ? "ORDER BY " : ", ").append(text);
        at = comma + 1;
      }
    }
    b.orderLimit = (order.isEmpty() ? "" : order + " ") + "LIMIT " + (limit + offset);
    return true;
  }

  /** A non-negative integer constant, optionally followed by ROW/ROWS; -1 when not one. */
  private long constant(int from, int to, boolean rows) {
    int last = to;
    if (rows
        && to - from == 2
        && (lexed.get(to - 1).isWord("row") || lexed.get(to - 1).isWord("rows"))) {
      last = to - 1;
    }
    if (last - from != 1 || lexed.get(from).type() != TokenType.INTEGER) {
      return -1;
    }
    try {
      return Long.parseLong(lexed.get(from).text());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** {@code FIRST|NEXT [n] ROW|ROWS ONLY}; -1 otherwise (WITH TIES included). */
  private long fetch(int from, int to) {
    if (to - from < 3
        || !(lexed.get(from).isWord("first") || lexed.get(from).isWord("next"))
        || !lexed.get(to - 1).isWord("only")) {
      return -1;
    }
    if (to - from == 3) {
      return 1;
    }
    return constant(from + 1, to - 1, true);
  }

  /** The text a node orders by for one ORDER BY item; null when a node cannot evaluate it. */
  private @Nullable String orderItem(List<Item> items, int from, int to) {
    int exprEnd = to;
    for (int i = from + 1; i < to; i++) {
      Token token = lexed.get(i);
      if (token.isWord("asc")
          || token.isWord("desc")
          || token.isWord("nulls")
          || token.isWord("using")) {
        exprEnd = i;
        break;
      }
    }
    String direction = lexed.text(exprEnd, to);
    String tail = direction.isEmpty() ? "" : " " + direction;
    if (exprEnd - from == 1 && lexed.get(from).type() == TokenType.INTEGER) {
      int position = positionOf(lexed.get(from));
      if (position < 1 || position > items.size() || items.stream().anyMatch(this::isStar)) {
        return null;
      }
      Item item = items.get(position - 1);
      return column(item.from(), item.to()) == null
          ? null
          : lexed.text(item.from(), item.to()) + tail;
    }
    if (exprEnd - from == 1 && lexed.get(from).isName()) {
      String name = lexed.get(from).text();
      if (!columns.contains(name) || outputNamed(items, name)) {
        return null;
      }
    }
    for (int i = from; i + 1 < exprEnd; i++) {
      if (lexed.get(i).isName() && lexed.get(i + 1).is("(")) {
        b.orderFunctions.add(lexed.get(i).text());
      }
    }
    return lexed.text(from, to);
  }

  /**
   * Whether an output column other than the column itself may be named {@code name}: ORDER BY a
   * bare name means that output column first. Implicit names are read loosely (a cast's type, a
   * call's function, a column's name, CASE): any doubt counts as a match.
   */
  private boolean outputNamed(List<Item> items, String name) {
    for (Item item : items) {
      if (isStar(item)) {
        continue;
      }
      String column = column(item.from(), item.to());
      if (item.alias() != null) {
        if (item.alias().equals(name) && !name.equals(column)) {
          return true;
        }
        continue;
      }
      if (column != null) {
        continue;
      }
      for (int i = item.from(); i < item.to(); i++) {
        Token token = lexed.get(i);
        if ((token.isName() || token.type() == TokenType.WORD)
            && token.text().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }
}
