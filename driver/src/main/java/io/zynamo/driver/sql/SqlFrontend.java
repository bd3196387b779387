package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

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
    Lexed lexed = PgLexer.lex(sql, config.jdbcPlaceholders());
    ParsedStatement statement = analyze(lexed);
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
