package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL text with {@code $n} parameters rewritten into the JDBC form the engine runs: each
 * {@code $n} becomes one {@code ?}, and each {@code ?} of an operator ({@code jsonb ? 'k'}) becomes
 * {@code ??}, which pgjdbc sends as {@code ?}. Strings, quoted identifiers and comments are copied
 * unchanged.
 *
 * <p>A parameter may be used several times and in any order ({@code $2 ... $1 ... $2}), while JDBC
 * placeholders are numbered by position; {@link #parameterNumbers} says which {@code $n} each
 * placeholder stands for, so the caller binds value {@code n - 1} at each.
 *
 * @param sql the JDBC text
 * @param parameterNumbers for each {@code ?} in order, the PostgreSQL parameter number (1-based)
 */
public record PlaceholderText(String sql, List<Integer> parameterNumbers) {

  public PlaceholderText {
    requireNonNull(sql, "sql");
    parameterNumbers = List.copyOf(parameterNumbers);
  }

  /**
   * Rewrites {@code postgresSql}. Text the lexer cannot read is copied unchanged from the point
   * where it stops, for the node to report.
   */
  public static PlaceholderText of(String postgresSql) {
    requireNonNull(postgresSql, "postgresSql");
    Lexed lexed = PgLexer.lex(postgresSql, false);
    StringBuilder out = new StringBuilder(postgresSql.length() + 8);
    List<Integer> numbers = new ArrayList<>();
    int copied = 0;
    for (Token token : lexed.tokens()) {
      if (token.type() == TokenType.PARAM && token.value() instanceof Integer number) {
        out.append(postgresSql, copied, token.start()).append('?');
        numbers.add(number);
        copied = token.end();
      } else if (token.type() == TokenType.OPERATOR
          && postgresSql.substring(token.start(), token.end()).indexOf('?') >= 0) {
        out.append(postgresSql, copied, token.start())
            .append(postgresSql.substring(token.start(), token.end()).replace("?", "??"));
        copied = token.end();
      }
    }
    out.append(postgresSql, copied, postgresSql.length());
    return new PlaceholderText(out.toString(), numbers);
  }
}
