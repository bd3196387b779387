package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The tokens of a SQL text, with the index of each bracket's partner so that skipping a group is
 * O(1), and the PostgreSQL-only constructs seen.
 */
final class Lexed {

  /** Deeper nesting is left to the node: routing analysis gives up (PostgreSQL allows ~1000s). */
  static final int MAX_DEPTH = 1000;

  private final String sql;
  private final List<Token> tokens;
  private final int[] partner;
  private final Set<LexFeature> features;

  Lexed(String sql, List<Token> tokens, Set<LexFeature> features) {
    this.sql = sql;
    this.tokens = tokens;
    this.features = EnumSet.noneOf(LexFeature.class);
    this.features.addAll(features);
    this.partner = matchBrackets(tokens, this.features);
  }

  String sql() {
    return sql;
  }

  List<Token> tokens() {
    return tokens;
  }

  int size() {
    return tokens.size();
  }

  Token get(int index) {
    return tokens.get(index);
  }

  Set<LexFeature> features() {
    return features;
  }

  boolean malformed() {
    return features.contains(LexFeature.MALFORMED);
  }

  /**
   * The index of the bracket closing (or opening) the one at {@code index}, or -1 if unbalanced.
   */
  int partner(int index) {
    return partner[index];
  }

  /** The source text from the start of token {@code from} to the end of token {@code to - 1}. */
  String text(int from, int to) {
    if (from >= to) {
      return "";
    }
    return sql.substring(tokens.get(from).start(), tokens.get(to - 1).end());
  }

  /** Where tokens {@code [from, to)} are in the source text; {@code from < to}. */
  Span span(int from, int to) {
    return new Span(tokens.get(from).start(), tokens.get(to - 1).end());
  }

  private static int[] matchBrackets(List<Token> tokens, Set<LexFeature> features) {
    int[] partner = new int[tokens.size()];
    List<Integer> open = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      partner[i] = -1;
      Token token = tokens.get(i);
      if (token.type() != TokenType.PUNCT) {
        continue;
      }
      String text = token.text();
      if (text.equals("(") || text.equals("[")) {
        open.add(i);
        if (open.size() > MAX_DEPTH) {
          features.add(LexFeature.MALFORMED);
        }
      } else if (text.equals(")") || text.equals("]")) {
        if (open.isEmpty() || !closes(tokens.get(open.get(open.size() - 1)).text(), text)) {
          features.add(LexFeature.MALFORMED);
          continue;
        }
        int opening = open.remove(open.size() - 1);
        partner[opening] = i;
        partner[i] = opening;
      }
    }
    if (!open.isEmpty()) {
      features.add(LexFeature.MALFORMED);
    }
    return partner;
  }

  private static boolean closes(String opening, String closing) {
    return opening.equals("(") ? closing.equals(")") : closing.equals("]");
  }
}
