package io.zynamo.proxy.copy;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code COPY} statement, as PostgreSQL's grammar reads it (copy.sgml):
 *
 * <pre>
 *   COPY table [ ( column [, ...] ) ] FROM STDIN [ [ WITH ] ( option [, ...] ) ]
 *   COPY { table [ ( column [, ...] ) ] | ( query ) } TO STDOUT [ [ WITH ] ( option [, ...] ) ]
 * </pre>
 *
 * and the pre-9.0 option syntax psql's {@code \copy} still passes on ({@code WITH CSV HEADER
 * DELIMITER ','}). Server files and programs ({@code FROM 'file'}, {@code PROGRAM}) would be a
 * node's, so they are refused, as are {@code BINARY} and {@code WHERE} (0A000).
 *
 * @param from true for {@code FROM STDIN}, false for {@code TO STDOUT}
 * @param table the table as written (e.g. {@code public."Items"}), or null for a query
 * @param columns the column list as written, each a SQL identifier; empty for all columns
 * @param query the query of {@code COPY (query) TO}, or null
 * @param format how rows are written
 */
public record CopyCommand(
    boolean from,
    @Nullable String table,
    List<String> columns,
    @Nullable String query,
    CopyFormat format) {

  public CopyCommand {
    columns = List.copyOf(columns);
    requireNonNull(format, "format");
  }

  /** Parses {@code sql}, a statement the front end classified as COPY. */
  public static CopyCommand parse(String sql) throws SQLException {
    return new Parser(sql).command();
  }

  /** Column names of {@code columns}, as PostgreSQL folds identifiers. */
  public List<String> columnNames() {
    return columns.stream().map(CopyCommand::identifier).toList();
  }

  /** An identifier's name: unquoted ones fold to lower case, quoted ones lose their quotes. */
  public static String identifier(String written) {
    if (written.startsWith("\"")) {
      return written.substring(1, written.length() - 1).replace("\"\"", "\"");
    }
    return written.toLowerCase(Locale.ROOT);
  }

  /** A token: a word, a quoted identifier, a string constant, a number or one punctuation mark. */
  private record Token(Kind kind, String text, String value, int start, int end) {
    boolean isWord(String word) {
      return kind == Kind.WORD && value.equals(word);
    }

    boolean is(String punctuation) {
      return kind == Kind.PUNCT && text.equals(punctuation);
    }
  }

  private enum Kind {
    WORD,
    QUOTED,
    STRING,
    NUMBER,
    PUNCT
  }

  private static final class Parser {
    private final String sql;
    private final List<Token> tokens;
    private int pos;

    Parser(String sql) throws SQLException {
      this.sql = sql;
      this.tokens = lex(sql);
    }

    CopyCommand command() throws SQLException {
      expectWord("copy");
      boolean binary = acceptWord("binary");
      String table = null;
      List<String> columns = new ArrayList<>();
      String query = null;
      if (peekIs("(")) {
        int open = pos;
        int close = matching(open);
        query = sql.substring(tokens.get(open).end(), tokens.get(close).start()).trim();
        pos = close + 1;
      } else {
        table = name();
        if (peekIs("(")) {
          pos++;
          do {
            columns.add(identifierToken());
          } while (accept(","));
          expect(")");
        }
      }
      boolean from;
      if (acceptWord("from")) {
        from = true;
        if (query != null) {
          throw syntax(tokens.get(pos - 1));
        }
      } else if (acceptWord("to")) {
        from = false;
      } else {
        throw syntax(peek());
      }
      Token where = next();
      if (where == null) {
        throw syntax(null);
      }
      if (!where.isWord(from ? "stdin" : "stdout")) {
        if (where.kind() == Kind.STRING || where.isWord("program")) {
          throw ZynamoErrors.notSupportedYet(
              "COPY "
                  + (from ? "from" : "to")
                  + " a file or program (it would be a node's); use COPY ... "
                  + (from ? "FROM STDIN" : "TO STDOUT")
                  + ", e.g. psql's \\copy");
        }
        throw syntax(where);
      }
      CopyFormat.Builder options = new CopyFormat.Builder(from);
      if (binary) {
        options.set("format", "binary");
      }
      boolean with = acceptWord("with");
      if (peekIs("(")) {
        pos++;
        do {
          option(options);
        } while (accept(","));
        expect(")");
      } else {
        legacyOptions(options, with);
      }
      if (peek() != null && peek().isWord("where")) {
        throw ZynamoErrors.notSupportedYet("COPY FROM ... WHERE");
      }
      accept(";");
      if (peek() != null) {
        throw syntax(peek());
      }
      return new CopyCommand(from, table, columns, query, options.build());
    }

    /** One option of the parenthesized list: a name and an optional value. */
    private void option(CopyFormat.Builder options) throws SQLException {
      Token name = next();
      if (name == null || (name.kind() != Kind.WORD && name.kind() != Kind.QUOTED)) {
        throw syntax(name);
      }
      String key = name.value();
      Token value = peek();
      if (value == null || value.is(",") || value.is(")")) {
        options.set(key, null);
      } else if (value.is("(")) {
        pos++;
        List<String> names = new ArrayList<>();
        do {
          names.add(identifier(identifierToken()));
        } while (accept(","));
        expect(")");
        options.columns(key, names, false);
      } else if (value.is("*")) {
        pos++;
        options.columns(key, List.of(), true);
      } else if (value.kind() == Kind.PUNCT) {
        throw syntax(value);
      } else {
        pos++;
        options.set(key, value.value());
      }
    }

    /** {@code [WITH] BINARY | DELIMITER [AS] 'c' | NULL [AS] 's' | CSV | HEADER | ...}. */
    private void legacyOptions(CopyFormat.Builder options, boolean with) throws SQLException {
      while (peek() != null && !peek().is(";") && !peek().isWord("where")) {
        Token word = next();
        switch (word.kind() == Kind.WORD ? word.value() : "") {
          case "binary" -> options.set("format", "binary");
          case "csv" -> options.set("format", "csv");
          case "header" -> options.set("header", null);
          case "freeze" -> options.set("freeze", null);
          case "delimiter", "null", "quote", "escape", "encoding" -> {
            acceptWord("as");
            Token value = next();
            if (value == null || value.kind() != Kind.STRING) {
              throw syntax(value);
            }
            options.set(word.value(), value.value());
          }
          case "force" -> {
            String key;
            if (acceptWord("quote")) {
              key = "force_quote";
            } else if (acceptWord("not")) {
              expectWord("null");
              key = "force_not_null";
            } else if (acceptWord("null")) {
              key = "force_null";
            } else {
              throw syntax(peek());
            }
            if (accept("*")) {
              options.columns(key, List.of(), true);
            } else {
              List<String> names = new ArrayList<>();
              do {
                names.add(identifier(identifierToken()));
              } while (accept(","));
              options.columns(key, names, false);
            }
          }
          case "oids" -> throw ZynamoErrors.notSupportedYet("COPY ... OIDS");
          default -> throw syntax(word);
        }
      }
      if (with && options.isEmpty()) {
        throw syntax(peek());
      }
    }

    /** A possibly qualified name, as written. */
    private String name() throws SQLException {
      StringBuilder name = new StringBuilder(identifierToken());
      while (accept(".")) {
        name.append('.').append(identifierToken());
      }
      return name.toString();
    }

    private String identifierToken() throws SQLException {
      Token t = next();
      if (t == null || (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED)) {
        throw syntax(t);
      }
      return t.text();
    }

    private int matching(int open) throws SQLException {
      int depth = 0;
      for (int i = open; i < tokens.size(); i++) {
        if (tokens.get(i).is("(")) {
          depth++;
        } else if (tokens.get(i).is(")") && --depth == 0) {
          return i;
        }
      }
      throw syntax(null);
    }

    private @Nullable Token peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean peekIs(String punctuation) {
      Token t = peek();
      return t != null && t.is(punctuation);
    }

    private @Nullable Token next() {
      Token t = peek();
      if (t != null) {
        pos++;
      }
      return t;
    }

    private boolean accept(String punctuation) {
      if (peekIs(punctuation)) {
        pos++;
        return true;
      }
      return false;
    }

    private boolean acceptWord(String word) {
      Token t = peek();
      if (t != null && t.isWord(word)) {
        pos++;
        return true;
      }
      return false;
    }

    private void expect(String punctuation) throws SQLException {
      if (!accept(punctuation)) {
        throw syntax(peek());
      }
    }

    private void expectWord(String word) throws SQLException {
      if (!acceptWord(word)) {
        throw syntax(peek());
      }
    }

    private SQLException syntax(@Nullable Token at) {
      return ZynamoErrors.create(
          ZynamoSqlState.SYNTAX_ERROR,
          at == null
              ? "syntax error at end of input"
              : "syntax error at or near \"" + at.text() + "\"");
    }
  }

  /** Splits {@code sql} into tokens, skipping blanks and comments. */
  private static List<Token> lex(String sql) throws SQLException {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        i = blockCommentEnd(sql, i);
      } else if (c == '\'' || ((c == 'e' || c == 'E') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
        boolean escapes = c != '\'';
        int start = i;
        int end = quotedEnd(sql, escapes ? i + 1 : i, '\'', escapes);
        String body = sql.substring(escapes ? start + 2 : start + 1, end - 1);
        out.add(
            new Token(Kind.STRING, sql.substring(start, end), unescape(body, escapes), start, end));
        i = end;
      } else if (c == '"') {
        int end = quotedEnd(sql, i, '"', false);
        String text = sql.substring(i, end);
        out.add(new Token(Kind.QUOTED, text, identifier(text), i, end));
        i = end;
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = requireNonNull(dollarTag(sql, i));
        int close = sql.indexOf(tag, i + tag.length());
        if (close < 0) {
          throw ZynamoErrors.create(
              ZynamoSqlState.SYNTAX_ERROR, "unterminated dollar-quoted string");
        }
        int end = close + tag.length();
        out.add(
            new Token(
                Kind.STRING,
                sql.substring(i, end),
                sql.substring(i + tag.length(), close),
                i,
                end));
        i = end;
      } else if (Character.isLetter(c) || c == '_' || c > 127) {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i))
                || sql.charAt(i) == '_'
                || sql.charAt(i) == '$'
                || sql.charAt(i) > 127)) {
          i++;
        }
        String text = sql.substring(start, i);
        out.add(new Token(Kind.WORD, text, text.toLowerCase(Locale.ROOT), start, i));
      } else if (Character.isDigit(c)
          || (c == '-' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        int start = i++;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        String text = sql.substring(start, i);
        out.add(new Token(Kind.NUMBER, text, text, start, i));
      } else {
        out.add(new Token(Kind.PUNCT, String.valueOf(c), String.valueOf(c), i, i + 1));
        i++;
      }
    }
    return out;
  }

  private static int blockCommentEnd(String sql, int start) throws SQLException {
    int depth = 0;
    int i = start;
    while (i < sql.length()) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        i += 2;
        if (--depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    throw ZynamoErrors.create(ZynamoSqlState.SYNTAX_ERROR, "unterminated /* comment");
  }

  /** The index after the closing quote of the quoted text starting at {@code start}. */
  private static int quotedEnd(String sql, int start, char quote, boolean backslashes)
      throws SQLException {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SYNTAX_ERROR,
        quote == '"' ? "unterminated quoted identifier" : "unterminated quoted string");
  }

  private static @Nullable String dollarTag(String sql, int start) {
    int i = start + 1;
    while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    if (i < sql.length()
        && sql.charAt(i) == '$'
        && (i == start + 1 || !Character.isDigit(sql.charAt(start + 1)))) {
      return sql.substring(start, i + 1);
    }
    return null;
  }

  /** A string constant's value: doubled quotes, and with E'' the backslash escapes. */
  private static String unescape(String body, boolean escapes) {
    if (!escapes) {
      return body.replace("''", "'");
    }
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
        out.append('\'');
        i++;
      } else if (c == '\\' && i + 1 < body.length()) {
        char e = body.charAt(++i);
        switch (e) {
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'x' -> {
            int end = i + 1;
            while (end < body.length()
                && end < i + 3
                && Character.digit(body.charAt(end), 16) >= 0) {
              end++;
            }
            if (end == i + 1) {
              out.append('x');
            } else {
              out.append((char) Integer.parseInt(body.substring(i + 1, end), 16));
              i = end - 1;
            }
          }
          default -> {
            if (e >= '0' && e <= '7') {
              int end = i;
              while (end < body.length()
                  && end < i + 3
                  && body.charAt(end) >= '0'
                  && body.charAt(end) <= '7') {
                end++;
              }
              out.append((char) Integer.parseInt(body.substring(i, end), 8));
              i = end - 1;
            } else {
              out.append(e);
            }
          }
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
