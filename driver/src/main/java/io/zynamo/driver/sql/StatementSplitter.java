package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits lexed text into statements at {@code ;} the way psql does (psqlscan.l): not inside
 * brackets, and not inside the {@code BEGIN ... END} of a SQL-standard function body ({@code CREATE
 * FUNCTION ... BEGIN ATOMIC ...; ...; END}), where CASE ... END also nests. Quotes, comments and
 * dollar quotes never split because the lexer has already consumed them.
 */
final class StatementSplitter {

  private StatementSplitter() {}

  /** The token ranges {@code [from, to)} of the non-empty statements. */
  static List<int[]> ranges(Lexed lexed) {
    List<int[]> ranges = new ArrayList<>();
    int start = 0;
    int depth = 0;
    int beginDepth = 0;
    boolean routine = false;
    for (int i = 0; i < lexed.size(); i++) {
      Token token = lexed.get(i);
      if (i == start) {
        routine = startsRoutine(lexed, i);
      }
      if (token.is("(") || token.is("[")) {
        depth++;
      } else if ((token.is(")") || token.is("]")) && depth > 0) {
        depth--;
      } else if (routine && i > start && (token.isWord("begin") || token.isWord("case"))) {
        beginDepth++;
      } else if (routine && token.isWord("end") && beginDepth > 0) {
        beginDepth--;
      } else if (token.is(";") && depth == 0 && beginDepth == 0) {
        addRange(ranges, start, i);
        start = i + 1;
      }
    }
    addRange(ranges, start, lexed.size());
    return ranges;
  }

  /** The source text of each statement, without its {@code ;} and surrounding blanks. */
  static List<String> texts(Lexed lexed) {
    List<String> texts = new ArrayList<>();
    String sql = lexed.sql();
    int previousEnd = 0;
    for (int[] range : ranges(lexed)) {
      int textStart = range[0] == 0 ? 0 : lexed.get(range[0] - 1).end();
      textStart = Math.max(textStart, previousEnd);
      int textEnd = range[1] < lexed.size() ? lexed.get(range[1]).start() : sql.length();
      if (lexed.malformed() && range[1] == lexed.size()) {
        textEnd = sql.length(); // keep the unreadable rest: the node reports the error
      }
      texts.add(sql.substring(textStart, textEnd).strip());
      previousEnd = textEnd;
    }
    if (lexed.malformed() && !sql.substring(previousEnd).isBlank()) {
      int restStart =
          lexed.size() == 0 ? 0 : Math.max(previousEnd, lexed.get(lexed.size() - 1).end());
      texts.add(sql.substring(restStart).strip());
    }
    return texts;
  }

  private static void addRange(List<int[]> ranges, int from, int to) {
    if (from < to) {
      ranges.add(new int[] {from, to});
    }
  }

  /** CREATE [OR REPLACE] FUNCTION|PROCEDURE: its body may hold semicolons. */
  private static boolean startsRoutine(Lexed lexed, int i) {
    Cursor cursor = new Cursor(lexed, i, lexed.size());
    if (!cursor.acceptWords("create")) {
      return false;
    }
    cursor.acceptWords("or", "replace");
    return cursor.atWord("function") || cursor.atWord("procedure");
  }
}
