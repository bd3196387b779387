package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How much of a single-table query over a sharded table each node can compute over its own rows, so
 * that fewer rows move to the merge node; the merge node then finishes the query over what the
 * nodes sent, as it does over gathered rows.
 *
 * <ul>
 *   <li>{@link Kind#GROUPED}: aggregates ({@code count}, {@code sum}, {@code min}, {@code max},
 *       {@code avg}, {@code bool_and/or}, {@code every}, {@code bit_and/or/xor}, also with {@code
 *       FILTER}) grouped by plain columns, or {@code SELECT DISTINCT} of plain columns. Each node
 *       sends one row per group with partial results ({@code count(*) AS zynamo_p1}); the merge
 *       node runs the query with each aggregate call replaced by its merge over the partial columns
 *       ({@code sum(zynamo_p1)} cast back to {@code bigint}), without the WHERE clause (the nodes
 *       applied it).
 *   <li>{@link Kind#TOP_K}: {@code ORDER BY ... LIMIT n [OFFSET m]} (or a LIMIT alone) without
 *       aggregates: each node sends its first {@code n + m} rows in that order; the union holds a
 *       valid answer, and the merge node runs the query unchanged.
 * </ul>
 *
 * <p>This class only reads text. The caller checks with a node what text cannot tell: that no other
 * function called is an aggregate or window function, that ORDER BY calls no volatile function,
 * that the partial types merge exactly, and that the rewritten query describes the same columns
 * (names and types) as the original; otherwise it gathers whole rows, as before.
 */
public final class Pushdown {

  /** What the nodes compute. */
  public enum Kind {
    GROUPED,
    TOP_K
  }

  /** The aggregate that merges each supported aggregate's partial results. */
  static final Map<String, String> MERGED_BY =
      Map.ofEntries(
          Map.entry("count", "sum"),
          Map.entry("sum", "sum"),
          Map.entry("min", "min"),
          Map.entry("max", "max"),
          Map.entry("avg", "avg"),
          Map.entry("bool_and", "bool_and"),
          Map.entry("bool_or", "bool_or"),
          Map.entry("every", "bool_and"),
          Map.entry("bit_and", "bit_and"),
          Map.entry("bit_or", "bit_or"),
          Map.entry("bit_xor", "bit_xor"));

  /** The prefix of the partial columns' names on the merge node. */
  static final String PARTIAL = "zynamo_p";

  /** The prefix of the columns holding a GROUP BY expression's value on the merge node. */
  static final String GROUP = "zynamo_g";

  /**
   * An aggregate call of the query.
   *
   * @param span the call's text, with its FILTER clause
   * @param function the aggregate, lower case
   * @param partials the partial columns it merges (two for avg: sum, count)
   */
  record Call(Span span, String function, List<String> partials) {}

  /** A text edit of the final query: replace {@code span} by {@code text}. */
  record Edit(Span span, String text) {}

  private final Kind kind;
  private final String sql;
  private final Span select;
  private final @Nullable Span whereClause;
  private final @Nullable Span whereCondition;
  private final Map<String, String> nodeColumns;
  private final List<String> groupBy;
  private final List<Call> calls;
  private final Map<Integer, Integer> unlabelled;
  private final List<Edit> groupEdits;
  private final @Nullable String orderLimit;
  private final Set<String> functions;
  private final Set<String> orderFunctions;

  Pushdown(PushdownReader.Builder b) {
    this.kind = b.kind;
    this.sql = b.sql;
    this.select = b.select;
    this.whereClause = b.whereClause;
    this.whereCondition = b.whereCondition;
    this.nodeColumns = b.nodeColumns;
    this.groupBy = b.groupBy;
    this.calls = b.calls;
    this.unlabelled = b.unlabelled;
    this.groupEdits = b.groupEdits;
    this.orderLimit = b.orderLimit;
    this.functions = b.functions;
    this.orderFunctions = b.orderFunctions;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Every function the query calls other than the aggregates merged here (lower case unless
   * quoted): none may be an aggregate or a window function.
   */
  public Set<String> otherFunctions() {
    return functions;
  }

  /** The functions ORDER BY calls (TOP_K): none may be volatile. */
  public Set<String> orderFunctions() {
    return orderFunctions;
  }

  /**
   * GROUPED: what each node selects, as {@code expression AS name} items (group columns under their
   * own names, partial results as {@code zynamo_p1...}); empty for TOP_K (the table's columns).
   */
  public List<String> nodeSelectList() {
    List<String> items = new ArrayList<>();
    nodeColumns.forEach((expression, name) -> items.add(expression + " AS " + quote(name)));
    return items;
  }

  /** The names of the partial columns (GROUPED), in {@link #nodeSelectList} order. */
  public List<String> partialColumns() {
    return nodeColumns.values().stream().filter(n -> n.startsWith(PARTIAL)).toList();
  }

  /**
   * What follows each node's WHERE condition: {@code GROUP BY ...} (GROUPED with group columns),
   * {@code ORDER BY ... LIMIT k} (TOP_K), or empty.
   */
  public String nodeTail() {
    if (kind == Kind.TOP_K) {
      return " " + orderLimit;
    }
    return groupBy.isEmpty() ? "" : " GROUP BY " + String.join(", ", groupBy);
  }

  /**
   * The original query's SELECT, as the node would run it on all its rows, with the WHERE condition
   * replaced by {@code condition} (the condition with its parameters inlined): what the rewritten
   * query must describe the same as.
   */
  public String originalSelect(@Nullable String condition) {
    if (whereCondition == null || condition == null) {
      return sql.substring(select.start(), select.end());
    }
    return sql.substring(select.start(), whereCondition.start())
        + condition
        + sql.substring(whereCondition.end(), select.end());
  }

  /** The text before and after the SELECT (an EXPLAIN's options; usually empty). */
  public String prefix() {
    return sql.substring(0, select.start());
  }

  public String suffix() {
    return sql.substring(select.end());
  }

  /**
   * GROUPED: the SELECT the merge node runs over the partial rows, without the WHERE clause; each
   * aggregate call replaced by its merge, and each item holding one labelled as the original's
   * column. Empty when a partial column's type does not merge exactly here (a {@code sum} of a type
   * other than the built-in numeric ones, an {@code avg} of {@code real}).
   *
   * @param partialTypes each partial column's type, as {@code format_type} prints it
   * @param labels the original query's column names, in order
   */
  public Optional<String> mergeSelect(Map<String, String> partialTypes, List<String> labels) {
    List<Edit> edits = new ArrayList<>();
    if (whereClause != null) {
      edits.add(new Edit(whereClause, ""));
    }
    edits.addAll(groupEdits);
    for (Call call : calls) {
      Optional<String> merge = merge(call, partialTypes);
      if (merge.isEmpty()) {
        return Optional.empty();
      }
      edits.add(new Edit(call.span(), merge.get()));
    }
    for (Map.Entry<Integer, Integer> item : unlabelled.entrySet()) {
      if (item.getValue() >= labels.size()) {
        return Optional.empty();
      }
      edits.add(
          new Edit(
              new Span(item.getKey(), item.getKey()),
              " AS " + quoteAlways(labels.get(item.getValue()))));
    }
    edits.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
    StringBuilder text = new StringBuilder();
    int at = select.start();
    for (Edit edit : edits) {
      text.append(sql, at, edit.span().start()).append(edit.text());
      at = edit.span().end();
    }
    return Optional.of(text.append(sql, at, select.end()).toString());
  }

  private static Optional<String> merge(Call call, Map<String, String> types) {
    String first = call.partials().get(0);
    String type = types.get(first);
    if (type == null) {
      return Optional.empty();
    }
    return switch (call.function()) {
      case "count" -> Optional.of("(CAST(sum(" + first + ") AS bigint))");
      case "sum" ->
          switch (type) {
            case "bigint" -> Optional.of("(CAST(sum(" + first + ") AS bigint))");
            case "numeric", "real", "double precision", "interval", "money" ->
                Optional.of("(sum(" + first + "))");
            default -> Optional.empty();
          };
      case "avg" -> {
        String count = "sum(" + call.partials().get(1) + ")";
        yield switch (type) {
          case "bigint", "numeric" ->
              Optional.of("(CAST(sum(" + first + ") AS numeric) / CAST(" + count + " AS numeric))");
          case "double precision", "interval" ->
              Optional.of("(sum(" + first + ") / CAST(" + count + " AS double precision))");
          default -> Optional.empty(); // real: avg(real) adds in double precision
        };
      }
      default -> Optional.of("(" + MERGED_BY.get(call.function()) + "(" + first + "))");
    };
  }

  private static String quote(String name) {
    return Identifiers.quote(name);
  }

  private static String quoteAlways(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * The pushdown for a single-table SELECT, if its text allows one.
   *
   * @param lexed the statement (for an EXPLAIN, the whole EXPLAIN statement)
   * @param table the table the query reads
   * @param columns the table's user columns
   */
  static Optional<Pushdown> of(Lexed lexed, TableRef table, List<String> columns) {
    if (lexed.malformed()) {
      return Optional.empty();
    }
    try {
      return new PushdownReader(lexed, table, columns).read();
    } catch (MalformedSqlException | IndexOutOfBoundsException e) {
      return Optional.empty(); // text this reader does not follow: gather whole rows
    }
  }
}
