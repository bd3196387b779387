package io.zynamo.driver.sql;

import org.jspecify.annotations.Nullable;

/**
 * One lexical token: its class, its normalized text, its source span {@code [start, end)} and, for
 * constants and parameters, its Java value.
 */
record Token(TokenType type, String text, int start, int end, @Nullable Object value) {

  /** Whether this is the unquoted keyword or identifier {@code word} (given in lower case). */
  boolean isWord(String word) {
    return type == TokenType.WORD && text.equals(word);
  }

  /** Whether this is the punctuation or operator {@code symbol}. */
  boolean is(String symbol) {
    return (type == TokenType.PUNCT || type == TokenType.OPERATOR) && text.equals(symbol);
  }

  /** Whether this token can name a column or table: a quoted identifier or a non-reserved word. */
  boolean isName() {
    return type == TokenType.QUOTED_IDENT || (type == TokenType.WORD && !Keywords.isReserved(text));
  }
}
