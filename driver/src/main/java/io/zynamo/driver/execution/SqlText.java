package io.zynamo.driver.execution;

import java.util.Set;

/**
 * Cheap tests of a statement's text, made before the patterns of the few statements the session
 * answers itself, so that the many statements that are none of them (every point query) pay for one
 * scan instead of a dozen regular expressions.
 */
final class SqlText {

  private SqlText() {}

  /**
   * Whether the first word of {@code sql} is one of {@code words} (upper case): its first letters,
   * at most 10, after white space, in any case. Nothing is allocated: every statement is asked
   * this.
   */
  static boolean firstWordIn(String sql, Set<String> words) {
    int i = 0;
    while (i < sql.length() && " \t\n\u000B\f\r".indexOf(sql.charAt(i)) >= 0) {
      i++;
    }
    int start = i;
    while (i < sql.length() && i - start < 10 && isAsciiLetter(sql.charAt(i))) {
      i++;
    }
    int length = i - start;
    for (String word : words) {
      if (word.length() == length && sql.regionMatches(true, start, word, 0, length)) {
        return true;
      }
    }
    return false;
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
