package io.zynamo.driver.sql;

/**
 * Names a statement's kind from its leading key words, looking past a {@code WITH} list to the main
 * command, as PostgreSQL's grammar does at the top of {@code stmt}.
 */
final class StatementClassifier {

  private StatementClassifier() {}

  /** The kind and the index of the main command word of the statement in {@code [from, to)}. */
  static Classified classify(Lexed lexed, int from, int to) {
    if (from >= to) {
      return new Classified(StatementKind.EMPTY, from);
    }
    Cursor cursor = new Cursor(lexed, from, to);
    int main = from;
    if (cursor.atWord("with")) {
      main = cursor.findWord("select", "insert", "update", "delete", "merge", "values", "table");
      cursor.seek(main);
    }
    Token first = cursor.peek();
    if (first == null) {
      return new Classified(StatementKind.OTHER, from);
    }
    if (first.is("(")) {
      return new Classified(StatementKind.SELECT, main);
    }
    if (first.is("{")) {
      return new Classified(jdbcEscape(cursor), main);
    }
    if (first.type() != TokenType.WORD) {
      return new Classified(StatementKind.OTHER, main);
    }
    cursor.next();
    return new Classified(byWord(first.text(), cursor), main);
  }

  /** The key words a PostgreSQL 17 statement can start with (gram.y's stmt rule). */
  private static final java.util.Set<String> COMMAND_WORDS =
      java.util.Set.of(
          "abort",
          "alter",
          "analyse",
          "analyze",
          "begin",
          "call",
          "checkpoint",
          "close",
          "cluster",
          "comment",
          "commit",
          "copy",
          "create",
          "deallocate",
          "declare",
          "delete",
          "discard",
          "do",
          "drop",
          "end",
          "execute",
          "explain",
          "fetch",
          "grant",
          "import",
          "insert",
          "listen",
          "load",
          "lock",
          "merge",
          "move",
          "notify",
          "prepare",
          "reassign",
          "refresh",
          "reindex",
          "release",
          "reset",
          "revoke",
          "rollback",
          "savepoint",
          "security",
          "select",
          "set",
          "show",
          "start",
          "table",
          "truncate",
          "unlisten",
          "update",
          "vacuum",
          "values",
          "with");

  /**
   * Whether {@code first} can start a statement. One that cannot is a syntax error on any node,
   * which then answers it as PostgreSQL does (42601 at that word), touching nothing.
   */
  static boolean startsACommand(Token first) {
    return first.type() != TokenType.WORD || COMMAND_WORDS.contains(first.text());
  }

  private static StatementKind byWord(String word, Cursor cursor) {
    return switch (word) {
      case "select", "values", "table" -> StatementKind.SELECT;
      case "insert" -> StatementKind.INSERT;
      case "update" -> StatementKind.UPDATE;
      case "delete" -> StatementKind.DELETE;
      case "merge" -> StatementKind.MERGE;
      case "create" -> create(cursor);
      case "alter" -> cursor.atWord("table") ? StatementKind.ALTER_TABLE : StatementKind.OTHER_DDL;
      case "drop" -> drop(cursor);
      case "truncate" -> StatementKind.TRUNCATE;
      case "comment", "grant", "revoke", "security" -> StatementKind.OTHER_DDL;
      case "set" -> StatementKind.SET;
      case "show" -> StatementKind.SHOW;
      case "reset" -> StatementKind.RESET;
      case "begin" -> StatementKind.BEGIN;
      case "start" -> cursor.atWord("transaction") ? StatementKind.BEGIN : StatementKind.OTHER;
      case "commit", "end" ->
          cursor.atWord("prepared") ? StatementKind.OTHER : StatementKind.COMMIT;
      case "rollback", "abort" -> rollback(cursor);
      case "savepoint" -> StatementKind.SAVEPOINT;
      case "release" -> StatementKind.RELEASE;
      case "explain" -> StatementKind.EXPLAIN;
      case "copy" -> StatementKind.COPY;
      case "vacuum", "analyze", "analyse", "checkpoint" -> StatementKind.MAINTENANCE;
      case "call" -> StatementKind.CALL;
      case "do" -> StatementKind.DO;
      default -> StatementKind.OTHER;
    };
  }

  private static StatementKind create(Cursor cursor) {
    cursor.acceptWords("or", "replace");
    while (cursor.acceptWords("global")
        || cursor.acceptWords("local")
        || cursor.acceptWords("temporary")
        || cursor.acceptWords("temp")
        || cursor.acceptWords("unlogged")) {
      // persistence words before TABLE
    }
    if (cursor.atWord("table")) {
      return StatementKind.CREATE_TABLE;
    }
    cursor.acceptWords("unique");
    return cursor.atWord("index") ? StatementKind.CREATE_INDEX : StatementKind.OTHER_DDL;
  }

  private static StatementKind drop(Cursor cursor) {
    if (cursor.atWord("table")) {
      return StatementKind.DROP_TABLE;
    }
    return cursor.atWord("index") ? StatementKind.DROP_INDEX : StatementKind.OTHER_DDL;
  }

  private static StatementKind rollback(Cursor cursor) {
    cursor.acceptWords("work");
    cursor.acceptWords("transaction");
    if (cursor.atWord("prepared")) {
      return StatementKind.OTHER;
    }
    return cursor.atWord("to") ? StatementKind.ROLLBACK_TO_SAVEPOINT : StatementKind.ROLLBACK;
  }

  /** {@code {call p(?)}} and {@code {? = call f(?)}}: pgjdbc's escape for procedure calls. */
  private static StatementKind jdbcEscape(Cursor cursor) {
    cursor.next();
    if (cursor.peek() != null
        && cursor.peek().type() == TokenType.PARAM
        && cursor.peek(1) != null
        && cursor.peek(1).is("=")) {
      cursor.seek(cursor.pos() + 2);
    }
    return cursor.atWord("call") ? StatementKind.CALL : StatementKind.OTHER;
  }

  /** A kind and the index of the main command word. */
  record Classified(StatementKind kind, int main) {}
}
