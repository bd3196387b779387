package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.jspecify.annotations.Nullable;

/**
 * Finds the routing facts of SQL text (kind, tables, shard-key values) without changing the text,
 * and is the sole owner of the Calcite parser configuration.
 *
 * <p>The facts come from a PostgreSQL-exact lexer and a recursive-descent extractor that reads only
 * what routing needs and reports anything else as {@link Shape#COMPLEX} or {@link Shape#UNKNOWN}.
 * Calcite's Babel parser misreads or rejects much PostgreSQL (it binds {@code ::} looser than AND,
 * takes {@code $1} and {@code $$..$$} for identifiers, lower-cases non-ASCII identifiers, rejects
 * ON CONFLICT, RETURNING, FOR UPDATE, DROP TABLE), so it is not trusted for routing. It provides
 * {@link #parseTree} for later planning stages and, with {@link Config#withCalciteCrossCheck}, a
 * second opinion on every statement it can read, which must agree. Work is linear in the input and
 * nothing is cached by SQL text.
 */
public final class SqlFrontend {

  /**
   * Immutable settings.
   *
   * @param jdbcPlaceholders whether a lone {@code ?} is a JDBC placeholder ({@code ??} being the
   *     operator {@code ?}), as in the driver; the proxy sees PostgreSQL text, where {@code ?} is
   *     an operator
   * @param calciteCrossCheck whether {@link #parse} also derives the facts with Calcite where
   *     Calcite reads the text faithfully, and throws IllegalStateException if they differ (for
   *     tests, like a PARANOID leak detector)
   */
  public record Config(boolean jdbcPlaceholders, boolean calciteCrossCheck) {

    /** JDBC placeholders, no cross-check. */
    public static final Config DEFAULT = new Config(true, false);

    public Config withJdbcPlaceholders(boolean value) {
      return new Config(value, calciteCrossCheck);
    }

    public Config withCalciteCrossCheck(boolean value) {
      return new Config(jdbcPlaceholders, value);
    }
  }

  private final Config config;

  /** The longest text whose facts {@link #parse} keeps. */
  private static final int CACHED_TEXT_LENGTH = 4096;

  /** How many texts' facts {@link #parse} keeps, least recently used dropped first. */
  private static final int CACHED_TEXTS = 256;

  /** The facts of texts parsed lately: immutable, so shared; guarded by itself. */
  private final Map<String, ParsedStatement> parsed =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParsedStatement> eldest) {
          return size() > CACHED_TEXTS;
        }
      };

  private final SqlParser.Config calcite;

  /** A front end with {@link Config#DEFAULT}. */
  public SqlFrontend() {
    this(Config.DEFAULT);
  }

  public SqlFrontend(Config config) {
    this.config = requireNonNull(config, "config");
    this.calcite =
        SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(true)
            .withConformance(SqlConformanceEnum.BABEL);
  }

  public Config config() {
    return config;
  }

  /**
   * The routing facts of {@code sql}. Never throws for any input (in cross-check mode, only on a
   * disagreement): text that is not understood, valid or not, yields {@link Shape#UNKNOWN}, and
   * invalid text is left to the node to report.
   */
  public ParsedStatement parse(String sql) {
    requireNonNull(sql, "sql");
    boolean cacheable = !config.calciteCrossCheck() && sql.length() <= CACHED_TEXT_LENGTH;
    if (cacheable) {
      synchronized (parsed) {
        ParsedStatement known = parsed.get(sql);
        if (known != null) {
          return known; // a prepared statement run again: the facts are the text's alone
        }
      }
    }
    Lexed lexed = PgLexer.lex(sql, config.jdbcPlaceholders());
    ParsedStatement statement = analyze(lexed);
    if (cacheable) {
      synchronized (parsed) {
        parsed.put(sql, statement);
      }
    }
    if (config.calciteCrossCheck()) {
      CrossCheck check = crossCheck(lexed, statement);
      if (check.verdict() == CrossCheck.Verdict.DISAGREES) {
        throw new IllegalStateException(
            "Calcite and the PostgreSQL analysis disagree on: " + sql + "\n" + check.detail());
      }
    }
    return statement;
  }

  /**
   * The statements of a multi-statement text, split at {@code ;} outside quotes, comments, dollar
   * quotes, brackets and SQL-standard function bodies; each without its {@code ;}. Empty statements
   * are dropped; unreadable text is kept whole for the node to reject.
   */
  public List<String> split(String sql) {
    requireNonNull(sql, "sql");
    return StatementSplitter.texts(PgLexer.lex(sql, config.jdbcPlaceholders()));
  }

  /** The facts of each statement of a text; JDBC placeholders are numbered across the text. */
  public List<ParsedStatement> parseAll(String sql) {
    requireNonNull(sql, "sql");
    Lexed lexed = PgLexer.lex(sql, config.jdbcPlaceholders());
    if (lexed.malformed()) {
      return List.of(analyze(lexed));
    }
    List<ParsedStatement> statements = new ArrayList<>();
    for (int[] range : StatementSplitter.ranges(lexed)) {
      statements.add(Analyzer.analyze(lexed, range[0], range[1]));
    }
    return List.copyOf(statements);
  }

  /**
   * How many parameter values {@code sql} takes: the highest parameter number in it, where the JDBC
   * placeholders ({@link Config#jdbcPlaceholders}) are numbered 1, 2, ... in order of appearance
   * across the whole text and {@code $n} is number n. Placeholders in strings, quoted identifiers
   * and comments do not count, and {@code ??} is the operator {@code ?}. For text the lexer cannot
   * read, what precedes the unreadable part is counted.
   */
  public int parameterCount(String sql) {
    requireNonNull(sql, "sql");
    int highest = 0;
    for (Token token : PgLexer.lex(sql, config.jdbcPlaceholders()).tokens()) {
      if (token.type() == TokenType.PARAM && token.value() instanceof Integer number) {
        highest = Math.max(highest, number);
      }
    }
    return highest;
  }

  /**
   * {@code sql} with a list of consecutive comma-separated items (VALUES rows, the values of an
   * {@code IN} list: {@code items}, in text order) cut down to those at the indexes {@code keep}
   * (ascending, not empty), and the parameter values the cut text takes: the JDBC placeholders in
   * the dropped items leave with their values. Empty when that cannot be done exactly: a dropped
   * item holds a {@code $n} parameter (the others would be renumbered).
   */
  public Optional<Piece> keep(
      String sql, List<@Nullable Object> parameters, List<Span> items, List<Integer> keep) {
    return cutter(sql, parameters, items).keep(keep);
  }

  /**
   * Cuts one statement again and again ({@link #keep}), reading its parameters only once: a
   * statement split over hundreds of buckets (a large multi-row INSERT) is not lexed per bucket.
   */
  public Cutter cutter(String sql, List<@Nullable Object> parameters, List<Span> items) {
    requireNonNull(sql, "sql");
    List<Token> marks = new ArrayList<>();
    for (Token token : PgLexer.lex(sql, config.jdbcPlaceholders()).tokens()) {
      if (token.type() == TokenType.PARAM) {
        marks.add(token);
      }
    }
    return keep -> keep(sql, parameters, items, keep, marks);
  }

  /** Cuts a statement down to some of its items; see {@link #keep}. */
  @FunctionalInterface
  public interface Cutter {
    Optional<Piece> keep(List<Integer> keep);
  }

  private static Optional<Piece> keep(
      String sql,
      List<@Nullable Object> parameters,
      List<Span> items,
      List<Integer> keep,
      List<Token> parameterTokens) {
    if (items.isEmpty() || keep.isEmpty()) {
      throw new IllegalArgumentException("nothing to keep");
    }
    Set<Integer> kept = new HashSet<>(keep);
    StringBuilder text = new StringBuilder(sql.length());
    text.append(sql, 0, items.get(0).start());
    String separator = "";
    for (int index : keep) {
      Span item = items.get(index);
      text.append(separator).append(sql, item.start(), item.end());
      separator = ", ";
    }
    text.append(sql, items.get(items.size() - 1).end(), sql.length());
    List<@Nullable Object> values = new ArrayList<>();
    boolean placeholders = false;
    boolean numbered = false;
    for (Token token : parameterTokens) {
      int item = itemAt(items, token.start());
      boolean dropped = item >= 0 && !kept.contains(item);
      if (!token.text().equals("?")) {
        numbered = true;
        if (dropped) {
          return Optional.empty(); // the values of $n parameters are not renumbered
        }
      } else if (token.value() instanceof Integer number) {
        placeholders = true;
        if (number > parameters.size()) {
          return Optional.empty(); // too few values: the caller reports the missing one
        }
        if (!dropped) {
          values.add(parameters.get(number - 1));
        }
      }
    }
    if (placeholders && numbered) {
      return Optional.empty();
    }
    return Optional.of(new Piece(text.toString(), placeholders ? values : parameters));
  }

  private static int itemAt(List<Span> items, int offset) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).contains(offset)) {
        return i;
      }
    }
    return -1;
  }

  /** A statement cut by {@link #keep}: its text and its parameter values. */
  public record Piece(String sql, List<@Nullable Object> parameters) {
    public Piece {
      requireNonNull(sql, "sql");
      parameters = java.util.Collections.unmodifiableList(new ArrayList<>(parameters));
    }
  }

  /**
   * What stops a query's rows from several buckets being simply concatenated: its top-level clauses
   * that order, limit, group or deduplicate rows ({@code ORDER BY}, {@code LIMIT}, {@code OFFSET},
   * {@code FETCH}, {@code GROUP BY}, {@code HAVING}, {@code DISTINCT}, {@code WINDOW}, {@code
   * OVER}, set operations), and the names of all functions it calls (any of which may be an
   * aggregate: the caller asks the node's catalog).
   */
  public Concatenation concatenation(String sql) {
    Lexed lexed = PgLexer.lex(sql, config.jdbcPlaceholders());
    Set<String> clauses = new LinkedHashSet<>();
    Set<String> functions = new TreeSet<>();
    int depth = 0;
    for (int i = 0; i < lexed.size(); i++) {
      Token token = lexed.get(i);
      if (token.is("(") || token.is("[")) {
        depth++;
        continue;
      }
      if (token.is(")") || token.is("]")) {
        depth--;
        continue;
      }
      Token next = i + 1 < lexed.size() ? lexed.get(i + 1) : null;
      if (token.isName() && next != null && next.is("(")) {
        functions.add(token.text());
      }
      if (depth == 0 && token.type() == TokenType.WORD) {
        String clause = blockingClause(token.text(), i > 0 ? lexed.get(i - 1) : null, next);
        if (clause != null) {
          clauses.add(clause);
        }
      }
    }
    return new Concatenation(List.copyOf(clauses), functions);
  }

  private static @Nullable String blockingClause(
      String word, @Nullable Token previous, @Nullable Token next) {
    boolean byFollows = next != null && next.isWord("by");
    return switch (word) {
      case "order", "group" -> byFollows ? word.toUpperCase(Locale.ROOT) + " BY" : null;
      case "distinct" ->
          previous != null && (previous.isWord("is") || previous.isWord("not")) ? null : "DISTINCT";
      case "limit", "offset", "fetch", "having", "window", "over", "union", "intersect", "except" ->
          word.toUpperCase(Locale.ROOT);
      default -> null;
    };
  }

  /**
   * See {@link #concatenation}.
   *
   * @param clauses the blocking clauses, in text order (empty: rows may be concatenated)
   * @param functions every function name called, lower case unless quoted
   */
  public record Concatenation(List<String> clauses, Set<String> functions) {
    public Concatenation {
      clauses = List.copyOf(clauses);
      functions = Set.copyOf(functions);
    }
  }

  /**
   * The text of {@code span} with its JDBC placeholders replaced by the bound values as typed
   * literals, typed as pgjdbc sends them ({@code setLong} as {@code bigint}, {@code setString} as
   * {@code varchar}...), so that the text means the same without parameters. Empty when a value's
   * type has no such literal here, or the text uses {@code $n} parameters.
   */
  public Optional<String> inline(String sql, Span span, List<@Nullable Object> parameters) {
    StringBuilder text = new StringBuilder();
    int at = span.start();
    for (Token token : PgLexer.lex(sql, config.jdbcPlaceholders()).tokens()) {
      if (token.type() != TokenType.PARAM || !span.contains(token.start())) {
        continue;
      }
      if (!token.text().equals("?") || !(token.value() instanceof Integer number)) {
        return Optional.empty();
      }
      if (number > parameters.size()) {
        return Optional.empty();
      }
      Optional<String> literal = literal(parameters.get(number - 1));
      if (literal.isEmpty()) {
        return Optional.empty();
      }
      text.append(sql, at, token.start()).append(literal.get());
      at = token.end();
    }
    return Optional.of(text.append(sql, at, span.end()).toString());
  }

  private static Optional<String> literal(@Nullable Object value) {
    String type;
    if (value instanceof Long) {
      type = "bigint";
    } else if (value instanceof Integer) {
      type = "integer";
    } else if (value instanceof Short) {
      type = "smallint";
    } else if (value instanceof java.math.BigDecimal) {
      type = "numeric";
    } else if (value instanceof String) {
      type = "varchar";
    } else if (value instanceof Boolean) {
      type = "boolean";
    } else if (value instanceof java.util.UUID) {
      type = "uuid";
    } else {
      return Optional.empty();
    }
    String text = value instanceof java.math.BigDecimal d ? d.toPlainString() : value.toString();
    if (text.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    return Optional.of("CAST('" + text.replace("'", "''") + "' AS " + type + ")");
  }

  /**
   * {@code sql} with each schema-qualified reference to one of {@code tables} ({@code
   * public.orders}, also inside {@code public.orders.id}) pointed at the session's temporary table
   * of that name instead ({@code pg_temp.orders}); unqualified references find the temporary table
   * first anyway.
   */
  public String retarget(String sql, Set<ObjectName> tables) {
    Map<ObjectName, String> targets = new HashMap<>();
    tables.forEach(t -> targets.put(t, "pg_temp." + ObjectName.of(t.name())));
    return replaceTables(sql, targets);
  }

  /**
   * {@code sql} with each schema-qualified reference to a key of {@code replacements} (also the
   * relation part of a column reference) replaced by its value, e.g. {@code zynamo.nodes} by {@code
   * pg_temp.zynamo_nodes}.
   */
  public String replaceTables(String sql, Map<ObjectName, String> replacements) {
    Lexed lexed = PgLexer.lex(sql, config.jdbcPlaceholders());
    StringBuilder text = new StringBuilder(sql.length());
    int at = 0;
    for (int i = 0; i + 2 < lexed.size(); i++) {
      Token schema = lexed.get(i);
      Token table = lexed.get(i + 2);
      if (schema.isName() && lexed.get(i + 1).is(".") && table.isName()) {
        String replacement = replacements.get(new ObjectName(schema.text(), table.text()));
        if (replacement != null) {
          text.append(sql, at, schema.start()).append(replacement);
          at = table.end();
          i += 2;
        }
      }
    }
    return text.append(sql, at, sql.length()).toString();
  }

  /**
   * {@code sql} with each reference to a catalog relation of {@code views} pointed at its view:
   * {@code pg_catalog.pg_class} or a bare {@code pg_class} (not a column's qualifier, not an alias)
   * by {@code views.get("pg_catalog.pg_class")}, {@code information_schema.tables} by {@code
   * views.get("information_schema.tables")}. Keys are {@code schema.name}, lower case.
   */
  public String catalogViews(String sql, Map<String, String> views) {
    Lexed lexed = PgLexer.lex(sql, config.jdbcPlaceholders());
    StringBuilder text = new StringBuilder(sql.length());
    int at = 0;
    for (int i = 0; i < lexed.size(); i++) {
      Token first = lexed.get(i);
      if (first.type() != TokenType.WORD && first.type() != TokenType.QUOTED_IDENT) {
        continue;
      }
      boolean qualified = i + 2 < lexed.size() && lexed.get(i + 1).is(".");
      boolean afterDot = i > 0 && lexed.get(i - 1).is(".");
      boolean alias = i > 0 && lexed.get(i - 1).isWord("as");
      String view;
      int last;
      if (qualified && !afterDot) {
        Token second = lexed.get(i + 2);
        view = views.get(first.text() + "." + second.text());
        last = i + 2;
        if (view != null && last + 1 < lexed.size() && lexed.get(last + 1).is(".")) {
          continue; // pg_catalog.pg_class.oid: the relation named as a column's qualifier
        }
      } else if (!qualified && !afterDot && !alias) {
        view = views.get("pg_catalog." + first.text());
        last = i;
      } else {
        continue;
      }
      if (view != null) {
        text.append(sql, at, first.start()).append(view);
        at = lexed.get(last).end();
        i = last;
      }
    }
    return text.append(sql, at, sql.length()).toString();
  }

  /**
   * A table name written as PostgreSQL reads {@code 'text'::regclass}: {@code name} or {@code
   * schema.name}, unquoted parts lower-cased, quoted parts exact; empty when it is not one.
   */
  public Optional<ObjectName> objectName(String text) {
    Lexed lexed = PgLexer.lex(requireNonNull(text, "text"), false);
    if (lexed.malformed() || lexed.size() == 0) {
      return Optional.empty();
    }
    try {
      Cursor cursor = new Cursor(lexed, 0, lexed.size());
      ObjectName name = cursor.qualifiedName();
      return cursor.atEnd() ? Optional.of(name) : Optional.empty();
    } catch (MalformedSqlException e) {
      return Optional.empty();
    }
  }

  /**
   * Where sequences give values in {@code sql} (parsed as {@code parsed}): see {@link
   * SequenceEdits}.
   *
   * @param tableColumns the INSERT target's columns in table order (for an INSERT without column
   *     list); empty for other statements
   * @param columns the INSERT target's sequence columns; empty for other statements
   */
  public SequenceEdits sequenceEdits(
      String sql, ParsedStatement parsed, List<String> tableColumns, List<SequenceColumn> columns) {
    return SequenceEdits.plan(
        PgLexer.lex(requireNonNull(sql, "sql"), config.jdbcPlaceholders()),
        parsed,
        tableColumns,
        columns);
  }

  /**
   * Where an UPDATE's or DELETE's subqueries are, outermost only, to be computed first and replaced
   * by their values; empty when there is none, when the statement starts with WITH, has a FROM
   * (UPDATE) or USING (DELETE) clause, or a subquery holds parameters.
   */
  public List<Subquery> writeSubqueries(String sql) {
    Lexed lexed = PgLexer.lex(requireNonNull(sql, "sql"), config.jdbcPlaceholders());
    if (lexed.malformed() || lexed.size() == 0) {
      return List.of();
    }
    Token first = lexed.get(0);
    if (!first.isWord("update") && !first.isWord("delete")) {
      return List.of();
    }
    List<Subquery> found = new ArrayList<>();
    int depth = 0;
    for (int i = 0; i < lexed.size(); i++) {
      Token token = lexed.get(i);
      if (depth == 0
          && ((first.isWord("update") && token.isWord("from"))
              || (first.isWord("delete") && token.isWord("using")))) {
        return List.of();
      }
      if (token.is("(") || token.is("[")) {
        int close = lexed.partner(i);
        boolean query =
            token.is("(")
                && i + 1 < lexed.size()
                && (lexed.get(i + 1).isWord("select") || lexed.get(i + 1).isWord("with"));
        if (query && close > i) {
          for (int j = i + 1; j < close; j++) {
            if (lexed.get(j).type() == TokenType.PARAM) {
              return List.of();
            }
          }
          found.add(subquery(lexed, i, close));
          i = close;
          continue;
        }
        depth++;
      } else if (token.is(")") || token.is("]")) {
        depth--;
      }
    }
    return List.copyOf(found);
  }

  private static Subquery subquery(Lexed lexed, int open, int close) {
    Token before = open > 0 ? lexed.get(open - 1) : null;
    Span query = lexed.span(open + 1, close);
    if (before != null && before.isWord("in")) {
      boolean not = open > 1 && lexed.get(open - 2).isWord("not");
      return new Subquery(
          lexed.span(not ? open - 2 : open - 1, close + 1),
          query,
          not ? Subquery.Use.NOT_IN : Subquery.Use.IN);
    }
    if (before != null && before.isWord("exists")) {
      return new Subquery(lexed.span(open - 1, close + 1), query, Subquery.Use.EXISTS);
    }
    if (before != null && (before.isWord("any") || before.isWord("some") || before.isWord("all"))) {
      return new Subquery(lexed.span(open, close + 1), query, Subquery.Use.ARRAY);
    }
    return new Subquery(lexed.span(open, close + 1), query, Subquery.Use.SCALAR);
  }

  /**
   * A subquery of an UPDATE or DELETE.
   *
   * @param replaced the text its values replace: {@code [NOT] IN (...)}, {@code EXISTS (...)}, or
   *     the parenthesized subquery
   * @param query the subquery's own text
   * @param use how the statement uses it
   */
  public record Subquery(Span replaced, Span query, Use use) {
    /** How a subquery's rows are used. */
    public enum Use {
      IN,
      NOT_IN,
      EXISTS,
      ARRAY,
      SCALAR
    }
  }

  /** Keywords that read the transaction's time: see {@link #readsNodeLocalValues(String)}. */
  private static final Set<String> NODE_LOCAL_KEYWORDS =
      Set.of("current_timestamp", "current_date", "current_time", "localtime", "localtimestamp");

  /** As {@link #NODE_LOCAL_KEYWORDS}, functions (called with parentheses). */
  private static final Set<String> NODE_LOCAL_FUNCTIONS =
      Set.of(
          "now",
          "transaction_timestamp",
          "statement_timestamp",
          "clock_timestamp",
          "timeofday",
          "age",
          "pg_backend_pid",
          "inet_server_addr",
          "inet_server_port",
          "txid_current",
          "pg_current_xact_id");

  /**
   * Whether {@code text} reads the transaction's time or the node itself ({@code now()}, {@code
   * CURRENT_DATE}, {@code age(x)}, {@code pg_backend_pid()}...): evaluated on each node, such text
   * gives each node's value, where one PostgreSQL gives one. It must run once, on the merge node.
   */
  public boolean readsNodeLocalValues(String text) {
    return readsNodeLocalValues(PgLexer.lex(text, config.jdbcPlaceholders()), 0, -1);
  }

  /** As {@link #readsNodeLocalValues(String)}, for tokens {@code [from, to)} (to -1: the end). */
  static boolean readsNodeLocalValues(Lexed lexed, int from, int to) {
    int end = to < 0 ? lexed.size() : to;
    for (int i = from; i < end; i++) {
      Token token = lexed.get(i);
      if (token.type() != TokenType.WORD) {
        continue;
      }
      boolean call = i + 1 < lexed.size() && lexed.get(i + 1).is("(");
      if (NODE_LOCAL_KEYWORDS.contains(token.text())
          || (call && NODE_LOCAL_FUNCTIONS.contains(token.text()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * How much of a single-table SELECT over a sharded table each node can compute over its own rows
   * (see {@link Pushdown}); empty when nothing beyond its WHERE condition can be.
   *
   * @param sql the statement's text (for an EXPLAIN, the whole EXPLAIN)
   * @param parsed the query's facts (for an EXPLAIN, the explained query's)
   * @param columns the table's user columns
   */
  public Optional<Pushdown> pushdown(String sql, ParsedStatement parsed, List<String> columns) {
    ScanText scan = parsed.scan();
    if (parsed.kind() != StatementKind.SELECT
        || parsed.shape() != Shape.SINGLE_TABLE
        || scan == null
        || parsed.tables().size() != 1) {
      return Optional.empty();
    }
    return Pushdown.of(
        PgLexer.lex(sql, config.jdbcPlaceholders()),
        new TableRef(parsed.tables().get(0), scan.alias()),
        columns);
  }

  /**
   * Calcite's tree of {@code sql} under PostgreSQL-like conventions, for planning stages that need
   * one; empty when Calcite cannot parse it. Not a source of routing facts (see above).
   */
  public Optional<SqlNode> parseTree(String sql) {
    try {
      return Optional.of(SqlParser.create(sql, calcite).parseStmt());
    } catch (SqlParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Compares the facts with Calcite's reading of the same text; for tests and diagnostics. */
  CrossCheck crossCheck(String sql) {
    Lexed lexed = PgLexer.lex(sql, config.jdbcPlaceholders());
    return crossCheck(lexed, analyze(lexed));
  }

  private CrossCheck crossCheck(Lexed lexed, ParsedStatement statement) {
    return CalciteAnalyzer.crossCheck(lexed, statement, this::parseTree);
  }

  private static ParsedStatement analyze(Lexed lexed) {
    if (lexed.malformed()) {
      return new StatementBuilder().unknown().build();
    }
    List<int[]> ranges = StatementSplitter.ranges(lexed);
    if (ranges.isEmpty()) {
      return new StatementBuilder().kind(StatementKind.EMPTY).build();
    }
    if (ranges.size() > 1) {
      return Analyzer.multi(lexed, ranges);
    }
    return Analyzer.analyze(lexed, ranges.get(0)[0], ranges.get(0)[1]);
  }
}
