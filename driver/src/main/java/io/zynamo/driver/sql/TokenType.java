package io.zynamo.driver.sql;

/** The lexical classes of PostgreSQL's scanner that routing analysis distinguishes. */
enum TokenType {
  /** An unquoted identifier or keyword; its text is lower-cased the PostgreSQL way. */
  WORD,
  /** A double-quoted identifier; its text is exact. */
  QUOTED_IDENT,
  /** A character string constant of any flavour; its text is the decoded value. */
  STRING,
  /** A bit string constant {@code B'0101'} or {@code X'1F'}; its text is the binary digits. */
  BIT_STRING,
  /** An integer constant; its value is a Long or a BigInteger. */
  INTEGER,
  /** A numeric constant with a point or an exponent; its value is a BigDecimal. */
  DECIMAL,
  /** A positional parameter {@code $n} or a JDBC placeholder {@code ?}; its value is the index. */
  PARAM,
  /** An operator such as {@code =}, {@code ->>} or {@code ::}. */
  OPERATOR,
  /** One of {@code ( ) [ ] , ; . :}. */
  PUNCT
}
