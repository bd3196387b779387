package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A single-pass scanner for PostgreSQL 17's lexical grammar (src/backend/parser/scan.l): nested
 * comments, {@code ''} and {@code E'\n'} and {@code U&'\0061'} strings, {@code $tag$} quotes,
 * quoted identifiers, PostgreSQL 16 numbers, {@code $n} parameters and, in JDBC mode, {@code ?}
 * placeholders with pgjdbc's {@code ??} escape. Linear in the input; never throws: unreadable input
 * sets {@link LexFeature#MALFORMED} and ends the token list there.
 */
final class PgLexer {

  private static final String OPERATOR_CHARS = "~!@#^&|`?+-*/%<>=";
  private static final String NON_TRIMMABLE = "~!@#^&|`?%";

  private final boolean jdbcPlaceholders;
  private final String sql;
  private final List<Token> tokens = new ArrayList<>();
  private final Set<LexFeature> features = EnumSet.noneOf(LexFeature.class);
  private int pos;
  private int placeholders;

  private PgLexer(String sql, boolean jdbcPlaceholders) {
    this.sql = sql;
    this.jdbcPlaceholders = jdbcPlaceholders;
  }

  /** Tokenizes {@code sql}; with {@code jdbcPlaceholders} a lone {@code ?} is a parameter. */
  static Lexed lex(String sql, boolean jdbcPlaceholders) {
    PgLexer lexer = new PgLexer(sql, jdbcPlaceholders);
    lexer.run();
    return new Lexed(sql, List.copyOf(lexer.tokens), lexer.features);
  }

  private void run() {
    while (skipSpaceAndComments() && pos < sql.length()) {
      int start = pos;
      try {
        next();
      } catch (MalformedSqlException | IllegalArgumentException | IndexOutOfBoundsException e) {
        // Unreadable text (a bad escape, a number no parser accepts): the node reports it.
        features.add(LexFeature.MALFORMED);
        return;
      }
      if (pos == start) {
        throw new IllegalStateException("lexer made no progress at " + start);
      }
    }
  }

  /** Skips blanks and comments; false if a comment is unterminated. */
  private boolean skipSpaceAndComments() {
    while (pos < sql.length()) {
      char c = sql.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (sql.startsWith("--", pos)) {
        int eol = sql.indexOf('\n', pos);
        pos = eol < 0 ? sql.length() : eol + 1;
      } else if (sql.startsWith("/*", pos)) {
        if (!skipBlockComment()) {
          features.add(LexFeature.MALFORMED);
          return false;
        }
      } else {
        return true;
      }
    }
    return true;
  }

  private boolean skipBlockComment() {
    int depth = 0;
    while (pos < sql.length()) {
      if (sql.startsWith("/*", pos)) {
        depth++;
        pos += 2;
      } else if (sql.startsWith("*/", pos)) {
        depth--;
        pos += 2;
        if (depth == 0) {
          return true;
        }
      } else {
        pos++;
      }
    }
    return false;
  }

  private void next() {
    char c = sql.charAt(pos);
    char n = pos + 1 < sql.length() ? sql.charAt(pos + 1) : '\0';
    if (c == '\'') {
      string(pos, pos, false);
    } else if (n == '\'' && (c == 'e' || c == 'E')) {
      features.add(LexFeature.ESCAPE_STRING);
      string(pos, pos + 1, true);
    } else if (n == '\'' && (c == 'n' || c == 'N')) {
      string(pos, pos + 1, false);
    } else if (n == '\'' && "bBxX".indexOf(c) >= 0) {
      bitString();
    } else if ((c == 'u' || c == 'U') && n == '&' && pos + 2 < sql.length()) {
      unicodePrefixed();
    } else if (c == '"') {
      quotedIdentifier(pos, pos, false);
    } else if (c == '$') {
      dollar();
    } else if (isDigit(c) || (c == '.' && isDigit(n))) {
      number();
    } else if (isIdentStart(c)) {
      word();
    } else {
      symbol(c, n);
    }
  }

  private void unicodePrefixed() {
    char quote = sql.charAt(pos + 2);
    features.add(LexFeature.UNICODE_ESCAPE);
    if (quote == '\'') {
      int start = pos;
      pos += 2;
      String value = StringEscapes.unicode(quotedBody('\'', false), uescape());
      add(TokenType.STRING, value, start, value);
    } else if (quote == '"') {
      quotedIdentifier(pos, pos + 2, true);
    } else {
      word();
    }
  }

  /** A string constant starting at {@code quote}, with its continuation lines (SQL 5.1.2.2). */
  private void string(int start, int quote, boolean escapes) {
    pos = quote;
    StringBuilder value = new StringBuilder();
    value.append(decode(quotedBody('\'', escapes), escapes));
    while (continuation()) {
      features.add(LexFeature.STRING_CONTINUATION);
      value.append(decode(quotedBody('\'', escapes), escapes));
    }
    String text = value.toString();
    add(TokenType.STRING, text, start, text);
  }

  private static String decode(String raw, boolean escapes) {
    return escapes ? StringEscapes.backslash(raw) : raw;
  }

  /**
   * Reads {@code 'body'} or {@code "body"} at {@code pos} with doubled quotes collapsed; for E
   * strings a backslash-escaped quote stays escaped for {@link StringEscapes}.
   */
  private String quotedBody(char quote, boolean backslashes) {
    StringBuilder body = new StringBuilder();
    int i = pos + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == quote && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
        body.append(backslashes ? "\\'" : String.valueOf(quote));
        i += 2;
      } else if (c == quote) {
        pos = i + 1;
        return body.toString();
      } else if (c == '\\' && backslashes && i + 1 < sql.length()) {
        body.append(c).append(sql.charAt(i + 1));
        i += 2;
      } else {
        body.append(c);
        i++;
      }
    }
    throw new MalformedSqlException("unterminated quoted text");
  }

  /** Whether blanks with a newline, then another quote, follow: the string continues. */
  private boolean continuation() {
    int i = pos;
    boolean newline = false;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\n' || c == '\r') {
        newline = true;
        i++;
      } else if (isSpace(c)) {
        i++;
      } else if (newline && sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? sql.length() : eol;
      } else {
        break;
      }
    }
    if (newline && i < sql.length() && sql.charAt(i) == '\'') {
      pos = i;
      return true;
    }
    return false;
  }

  /** {@code UESCAPE 'c'} after a U& constant, or the default backslash. */
  private char uescape() {
    int save = pos;
    skipSpaceAndComments();
    if (sql.regionMatches(true, pos, "uescape", 0, 7)) {
      pos += 7;
      skipSpaceAndComments();
      if (pos < sql.length() && sql.charAt(pos) == '\'') {
        String escape = quotedBody('\'', false);
        if (escape.length() != 1 || "0123456789abcdefABCDEF+'\" \t\n\r\f".contains(escape)) {
          throw new MalformedSqlException("invalid Unicode escape character");
        }
        return escape.charAt(0);
      }
      throw new MalformedSqlException("UESCAPE without a quoted character");
    }
    pos = save;
    return '\\';
  }

  private void bitString() {
    features.add(LexFeature.BIT_STRING);
    int start = pos;
    boolean hex = sql.charAt(pos) == 'x' || sql.charAt(pos) == 'X';
    pos++;
    String body = quotedBody('\'', false);
    String bits = hex ? StringEscapes.hexToBits(body) : body;
    if (!bits.chars().allMatch(ch -> ch == '0' || ch == '1')) {
      throw new MalformedSqlException("invalid bit string");
    }
    add(TokenType.BIT_STRING, bits, start, bits);
  }

  private void quotedIdentifier(int start, int quote, boolean unicode) {
    pos = quote;
    String name = quotedBody('"', false);
    if (unicode) {
      name = StringEscapes.unicode(name, uescape());
    }
    if (name.isEmpty()) {
      throw new MalformedSqlException("zero-length delimited identifier");
    }
    add(TokenType.QUOTED_IDENT, truncate(name), start, null);
  }

  /** {@code $n} parameters and {@code $tag$...$tag$} quotes (SQL 4.1.2.4). */
  private void dollar() {
    int start = pos;
    int i = pos + 1;
    if (i < sql.length() && isDigit(sql.charAt(i))) {
      while (i < sql.length() && isDigit(sql.charAt(i))) {
        i++;
      }
      if (i < sql.length() && isIdentContinue(sql.charAt(i))) {
        throw new MalformedSqlException("trailing junk after parameter");
      }
      features.add(LexFeature.DOLLAR_PARAMETER);
      pos = i;
      add(TokenType.PARAM, sql.substring(start, i), start, parameterIndex(start + 1, i));
      return;
    }
    if (i < sql.length() && isIdentStart(sql.charAt(i))) {
      while (i < sql.length() && isIdentContinue(sql.charAt(i)) && sql.charAt(i) != '$') {
        i++;
      }
    }
    if (i >= sql.length() || sql.charAt(i) != '$') {
      throw new MalformedSqlException("stray $");
    }
    String tag = sql.substring(start, i + 1);
    int close = sql.indexOf(tag, i + 1);
    if (close < 0) {
      throw new MalformedSqlException("unterminated dollar-quoted string");
    }
    features.add(LexFeature.DOLLAR_QUOTE);
    String body = sql.substring(i + 1, close);
    pos = close + tag.length();
    add(TokenType.STRING, body, start, body);
  }

  private Integer parameterIndex(int from, int to) {
    if (to - from > 9) {
      throw new MalformedSqlException("parameter number too large");
    }
    return Integer.valueOf(sql.substring(from, to));
  }

  private void number() {
    int start = pos;
    NumberScan scan = NumberScan.at(sql, pos);
    if (scan.pgSixteenSyntax()) {
      features.add(LexFeature.NUMERIC_SYNTAX);
    }
    pos = scan.end();
    if (pos < sql.length() && isIdentContinue(sql.charAt(pos))) {
      throw new MalformedSqlException("trailing junk after numeric literal");
    }
    TokenType type = scan.decimal() ? TokenType.DECIMAL : TokenType.INTEGER;
    add(type, sql.substring(start, pos), start, scan.value());
  }

  private void word() {
    int start = pos;
    while (pos < sql.length() && isIdentContinue(sql.charAt(pos))) {
      pos++;
    }
    String raw = sql.substring(start, pos);
    StringBuilder lower = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 0x80) {
        features.add(LexFeature.NON_ASCII_IDENTIFIER);
      }
      // PostgreSQL folds only ASCII letters in multibyte encodings (downcase_identifier).
      lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    add(TokenType.WORD, truncate(lower.toString()), start, null);
  }

  private void symbol(char c, char n) {
    int start = pos;
    if (c == '?' && jdbcPlaceholders && n != '?') {
      pos++;
      placeholders++;
      add(TokenType.PARAM, "?", start, placeholders);
    } else if (c == ':' && n == ':') {
      features.add(LexFeature.CAST_OPERATOR);
      pos += 2;
      add(TokenType.OPERATOR, "::", start, null);
    } else if ("()[],;.:{}".indexOf(c) >= 0) {
      pos++;
      add(TokenType.PUNCT, String.valueOf(c), start, null);
    } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
      operator();
    } else {
      throw new MalformedSqlException("unexpected character");
    }
  }

  /** The longest operator, trimmed as scan.l does: no comment starts, no trailing +/- alone. */
  private void operator() {
    int start = pos;
    StringBuilder op = new StringBuilder();
    int i = pos;
    while (i < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(i)) >= 0) {
      if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
        break;
      }
      char c = sql.charAt(i);
      if (c == '?' && jdbcPlaceholders) {
        if (i + 1 >= sql.length() || sql.charAt(i + 1) != '?') {
          break;
        }
        i++; // pgjdbc sends "??" as the operator character '?'
      }
      op.append(c);
      i++;
    }
    int consumed = i;
    while (op.length() > 1 && "+-".indexOf(op.charAt(op.length() - 1)) >= 0 && trimmable(op)) {
      op.setLength(op.length() - 1);
      consumed--;
    }
    if (op.length() == 0) {
      throw new MalformedSqlException("empty operator");
    }
    pos = consumed;
    String text = op.toString().equals("!=") ? "<>" : op.toString();
    add(TokenType.OPERATOR, text, start, null);
  }

  private static boolean trimmable(CharSequence op) {
    for (int i = 0; i < op.length(); i++) {
      if (NON_TRIMMABLE.indexOf(op.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Identifiers longer than NAMEDATALEN - 1 = 63 bytes are cut at a character boundary. */
  private String truncate(String name) {
    String cut = Identifiers.truncate(name);
    if (cut.length() != name.length()) {
      features.add(LexFeature.LONG_IDENTIFIER);
    }
    return cut;
  }

  private void add(TokenType type, String text, int start, @Nullable Object value) {
    tokens.add(new Token(type, text, start, pos, value));
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
  }

  static boolean isIdentContinue(char c) {
    return isIdentStart(c) || isDigit(c) || c == '$';
  }
}
