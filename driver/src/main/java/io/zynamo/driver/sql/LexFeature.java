package io.zynamo.driver.sql;

/**
 * PostgreSQL lexical constructs that Calcite's Babel parser reads with another meaning (or not at
 * all); the lexer records them so that Calcite is never trusted on such text.
 */
enum LexFeature {
  /** {@code $1}: Calcite reads it as an identifier. */
  DOLLAR_PARAMETER,
  /** {@code $tag$...$tag$}: Calcite reads it as an identifier. */
  DOLLAR_QUOTE,
  /** {@code E'\n'}. */
  ESCAPE_STRING,
  /** {@code U&'\0061'} or {@code U&"..."}. */
  UNICODE_ESCAPE,
  /** {@code B'01'}, {@code X'1F'}: bit strings in PostgreSQL, binary strings in Calcite. */
  BIT_STRING,
  /** {@code x::type}: Calcite binds it looser than AND. */
  CAST_OPERATOR,
  /** Unquoted non-ASCII identifiers: PostgreSQL lower-cases ASCII letters only. */
  NON_ASCII_IDENTIFIER,
  /** Identifiers longer than 63 bytes: PostgreSQL truncates them. */
  LONG_IDENTIFIER,
  /** {@code 1_000}, {@code 0x1F}: PostgreSQL 16 numeric syntax. */
  NUMERIC_SYNTAX,
  /** {@code 'a'} newline {@code 'b'}: adjacent constants PostgreSQL concatenates. */
  STRING_CONTINUATION,
  /** Text the lexer could not read (unterminated string, trailing junk...). */
  MALFORMED
}
