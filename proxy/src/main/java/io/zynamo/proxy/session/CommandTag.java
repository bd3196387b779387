package io.zynamo.proxy.session;

import io.zynamo.driver.sql.StatementKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The CommandComplete tag PostgreSQL writes for a statement (cmdtaglist.h): {@code SELECT n},
 * {@code INSERT 0 n}, {@code UPDATE n}, {@code DELETE n}, {@code MERGE n}, {@code COPY n}, or the
 * command's name ({@code CREATE TABLE}, {@code SET}...).
 */
final class CommandTag {

  /** Words between CREATE and the object type that do not name it. */
  private static final Set<String> CREATE_MODIFIERS =
      Set.of(
          "or",
          "replace",
          "temp",
          "temporary",
          "unlogged",
          "global",
          "local",
          "unique",
          "trusted",
          "procedural",
          "recursive",
          "default",
          "constraint");

  /** Object types named by two words. */
  private static final Set<String> TWO_WORD_OBJECTS =
      Set.of("materialized", "foreign", "event", "access", "user", "operator", "default");

  private CommandTag() {}

  /**
   * The tag of a statement of {@code kind} whose text is {@code sql}, after {@code count} rows were
   * returned or affected (-1: none).
   */
  static String of(StatementKind kind, String sql, long count) {
    long n = Math.max(count, 0);
    return switch (kind) {
      case SELECT -> "SELECT " + n;
      case INSERT -> "INSERT 0 " + n;
      case UPDATE -> "UPDATE " + n;
      case DELETE -> "DELETE " + n;
      case MERGE -> "MERGE " + n;
      case COPY -> "COPY " + n;
      case CREATE_TABLE -> count >= 0 && isCreateTableAs(sql) ? "SELECT " + n : named(sql);
      case TRUNCATE -> "TRUNCATE TABLE";
      case BEGIN -> leadingWords(sql, 1).equals(List.of("start")) ? "START TRANSACTION" : "BEGIN";
      case COMMIT -> "COMMIT";
      case ROLLBACK, ROLLBACK_TO_SAVEPOINT -> "ROLLBACK";
      default -> named(sql);
    };
  }

  /** For a statement whose kind the front end does not single out: built from its words. */
  static String named(String sql) {
    List<String> words = leadingWords(sql, 8);
    if (words.isEmpty()) {
      return "";
    }
    String first = words.get(0);
    return switch (first) {
      case "create", "alter", "drop" -> withObject(first, words);
      case "fetch", "move" -> first.toUpperCase(Locale.ROOT) + " 0";
      case "declare" -> "DECLARE CURSOR";
      case "discard", "deallocate" ->
          words.size() > 1 && words.get(1).equals("all")
              ? first.toUpperCase(Locale.ROOT) + " ALL"
              : first.toUpperCase(Locale.ROOT);
      case "refresh" -> "REFRESH MATERIALIZED VIEW";
      case "end" -> "COMMIT";
      case "analyse" -> "ANALYZE";
      case "abort" -> "ROLLBACK";
      default -> first.toUpperCase(Locale.ROOT);
    };
  }

  private static String withObject(String verb, List<String> words) {
    int i = 1;
    while (verb.equals("create") && i < words.size() && CREATE_MODIFIERS.contains(words.get(i))) {
      i++;
    }
    if (i >= words.size()) {
      return verb.toUpperCase(Locale.ROOT);
    }
    String object = words.get(i);
    if (TWO_WORD_OBJECTS.contains(object) && i + 1 < words.size()) {
      object = object + " " + words.get(i + 1);
      if ((object.equals("foreign data") || object.startsWith("text search"))
          && i + 2 < words.size()) {
        object = object + " " + words.get(i + 2);
      }
    } else if (object.equals("text") && i + 2 < words.size()) {
      object = "text search " + words.get(i + 2);
    }
    return (verb + " " + object).toUpperCase(Locale.ROOT);
  }

  private static boolean isCreateTableAs(String sql) {
    List<String> words = leadingWords(sql, 64);
    return words.contains("as") || words.contains("select");
  }

  /** Up to {@code max} leading words, lower case; stops at the first other token. */
  static List<String> leadingWords(String sql, int max) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < sql.length() && words.size() < max) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? sql.length() : eol + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 2;
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        words.add(sql.substring(start, i).toLowerCase(Locale.ROOT));
      } else {
        break;
      }
    }
    return words;
  }
}
