package io.zynamo.driver.execution;

import java.util.Locale;

/**
 * Cheap tests of a statement's text, made before the patterns of the few statements the session
 * answers itself, so that the many statements that are none of them (every point query) pay for one
 * scan instead of a dozen regular expressions.
 */
final class SqlText {

  private SqlText() {}

  /** The ASCII letters the text starts with after white space ({@code \s}), upper case. */
  static String firstWord(String sql) {
    int i = 0;
    while (i < sql.length() && " \t\n\u000B\f\r".indexOf(sql.charAt(i)) >= 0) {
      i++;
    }
    int start = i;
    while (i < sql.length() && i - start < 10 && isAsciiLetter(sql.charAt(i))) {
      i++;
    }
    return sql.substring(start, i).toUpperCase(Locale.ROOT);
  }

  /** Whether {@code sql} holds {@code word} (ASCII lower case) in any case. */
  static boolean containsIgnoringCase(String sql, String word) {
    int last = sql.length() - word.length();
    char first = word.charAt(0);
    for (int i = 0; i <= last; i++) {
      if ((sql.charAt(i) | 0x20) == first && sql.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
