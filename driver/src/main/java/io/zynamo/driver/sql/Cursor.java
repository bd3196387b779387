package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A position in a token range {@code [from, to)} with look-ahead and O(1) group skipping. */
final class Cursor {

  private final Lexed lexed;
  private final int end;
  private int pos;

  Cursor(Lexed lexed, int from, int to) {
    this.lexed = lexed;
    this.pos = from;
    this.end = to;
  }

  Lexed lexed() {
    return lexed;
  }

  int pos() {
    return pos;
  }

  int end() {
    return end;
  }

  void seek(int position) {
    pos = position;
  }

  boolean atEnd() {
    return pos >= end;
  }

  @Nullable Token peek() {
    return peek(0);
  }

  @Nullable Token peek(int ahead) {
    int index = pos + ahead;
    return index < end ? lexed.get(index) : null;
  }

  Token next() {
    if (pos >= end) {
      throw new MalformedSqlException("unexpected end of statement");
    }
    return lexed.get(pos++);
  }

  boolean atWord(String word) {
    Token token = peek();
    return token != null && token.isWord(word);
  }

  boolean atWord(int ahead, String word) {
    Token token = peek(ahead);
    return token != null && token.isWord(word);
  }

  /** Consumes the words in sequence if all are next; otherwise consumes nothing. */
  boolean acceptWords(String... words) {
    for (int i = 0; i < words.length; i++) {
      if (!atWord(i, words[i])) {
        return false;
      }
    }
    pos += words.length;
    return true;
  }

  boolean at(String symbol) {
    Token token = peek();
    return token != null && token.is(symbol);
  }

  boolean accept(String symbol) {
    if (at(symbol)) {
      pos++;
      return true;
    }
    return false;
  }

  void expectWord(String word) {
    if (!acceptWords(word)) {
      throw new MalformedSqlException("expected " + word);
    }
  }

  /** At {@code (} or {@code [}: the index of its partner; fails when unbalanced. */
  int groupEnd() {
    int partner = lexed.partner(pos);
    if (partner < 0 || partner >= end) {
      throw new MalformedSqlException("unbalanced brackets");
    }
    return partner;
  }

  /** Moves past the group opening here. */
  void skipGroup() {
    pos = groupEnd() + 1;
  }

  /** Moves past one token, or past a whole group when at an opening bracket. */
  void skipOne() {
    if (at("(") || at("[")) {
      skipGroup();
    } else {
      pos++;
    }
  }

  /** Whether the next token can be a name: a quoted identifier or a non-reserved word. */
  boolean atName() {
    Token token = peek();
    return token != null && token.isName();
  }

  /** One identifier. */
  String name() {
    if (!atName()) {
      throw new MalformedSqlException("expected a name");
    }
    return next().text();
  }

  /** {@code [catalog.][schema.]name}; the catalog is dropped. */
  ObjectName qualifiedName() {
    List<String> parts = new ArrayList<>(3);
    parts.add(name());
    while (at(".") && peek(1) != null && peek(1).isName()) {
      pos++;
      parts.add(name());
    }
    if (parts.size() > 3) {
      throw new MalformedSqlException("improper qualified name (too many dotted names)");
    }
    int last = parts.size() - 1;
    return new ObjectName(last == 0 ? null : parts.get(last - 1), parts.get(last));
  }

  /** The comma-separated names of a parenthesized list such as {@code (a, "B")}. */
  List<String> nameList() {
    if (!at("(")) {
      throw new MalformedSqlException("expected (");
    }
    int close = groupEnd();
    pos++;
    List<String> names = new ArrayList<>();
    while (pos < close) {
      names.add(name());
      if (pos < close && !accept(",")) {
        throw new MalformedSqlException("expected , in a name list");
      }
    }
    pos = close + 1;
    return names;
  }

  /**
   * The index of the first token at this nesting level, from here to the end, that is one of the
   * words; {@code end()} if none.
   */
  int findWord(String... words) {
    int i = pos;
    while (i < end) {
      Token token = lexed.get(i);
      if (token.type() == TokenType.WORD) {
        for (String word : words) {
          if (token.text().equals(word)) {
            return i;
          }
        }
      }
      if ((token.is("(") || token.is("[")) && lexed.partner(i) > i) {
        i = lexed.partner(i) + 1;
      } else {
        i++;
      }
    }
    return end;
  }

  /** The indexes of the commas at this nesting level in {@code [pos, to)}. */
  List<Integer> commas(int to) {
    List<Integer> commas = new ArrayList<>();
    int i = pos;
    while (i < to) {
      Token token = lexed.get(i);
      if (token.is(",")) {
        commas.add(i);
      }
      i = (token.is("(") || token.is("[")) && lexed.partner(i) > i ? lexed.partner(i) + 1 : i + 1;
    }
    return commas;
  }
}
