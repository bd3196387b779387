package io.zynamo.driver.execution;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads transaction control statements (PostgreSQL's spellings): BEGIN / START TRANSACTION with
 * their modes, COMMIT / END, ROLLBACK / ABORT, SAVEPOINT, RELEASE, ROLLBACK TO, SET TRANSACTION,
 * SET LOCAL, and the two-phase commands a client must not send through Zynamo.
 */
final class TransactionControl {

  private TransactionControl() {}

  /** A transaction control statement. */
  sealed interface Command {}

  /** BEGIN with its modes (text for {@code SET TRANSACTION}, empty when none). */
  record Begin(String modes) implements Command {}

  /** COMMIT; {@code chain} for COMMIT AND CHAIN. */
  record Commit(boolean chain) implements Command {}

  /** ROLLBACK; {@code chain} for ROLLBACK AND CHAIN. */
  record Rollback(boolean chain) implements Command {}

  record Savepoint(String name) implements Command {}

  record Release(String name) implements Command {}

  record RollbackTo(String name) implements Command {}

  /** SET TRANSACTION modes. */
  record SetTransaction(String modes) implements Command {}

  /** SET LOCAL name = value, as written. */
  record SetLocal(String sql) implements Command {}

  /** PREPARE TRANSACTION, COMMIT PREPARED, ROLLBACK PREPARED: Zynamo's own business. */
  record TwoPhase(String command) implements Command {}

  private static final String END = "\\s*;?\\s*";
  private static final String NAME = "([A-Za-z_][A-Za-z0-9_$]*|\"(?:[^\"]|\"\")+\")";
  private static final String MODE =
      "(?:ISOLATION\\s+LEVEL\\s+(?:SERIALIZABLE|REPEATABLE\\s+READ|READ\\s+COMMITTED"
          + "|READ\\s+UNCOMMITTED)|READ\\s+WRITE|READ\\s+ONLY|(?:NOT\\s+)?DEFERRABLE)";
  private static final String MODES = "(" + MODE + "(?:\\s*,?\\s*" + MODE + ")*)";

  private static final Pattern BEGIN =
      pattern("(?:BEGIN(?:\\s+(?:WORK|TRANSACTION))?|START\\s+TRANSACTION)(?:\\s+" + MODES + ")?");
  private static final Pattern COMMIT =
      pattern("(?:COMMIT|END)(?:\\s+(?:WORK|TRANSACTION))?(\\s+AND\\s+(?:NO\\s+)?CHAIN)?");
  private static final Pattern ROLLBACK =
      pattern("(?:ROLLBACK|ABORT)(?:\\s+(?:WORK|TRANSACTION))?(\\s+AND\\s+(?:NO\\s+)?CHAIN)?");
  private static final Pattern SAVEPOINT = pattern("SAVEPOINT\\s+" + NAME);
  private static final Pattern RELEASE = pattern("RELEASE(?:\\s+SAVEPOINT)?\\s+" + NAME);
  private static final Pattern ROLLBACK_TO =
      pattern("ROLLBACK(?:\\s+(?:WORK|TRANSACTION))?\\s+TO(?:\\s+SAVEPOINT)?\\s+" + NAME);
  private static final Pattern SET_TRANSACTION = pattern("SET\\s+TRANSACTION\\s+" + MODES);
  private static final Pattern SET_LOCAL =
      pattern(
          "(SET\\s+LOCAL\\s+[A-Za-z_][A-Za-z0-9_.]*\\s*(?:=|TO)\\s*(?:'[^';]*'|[A-Za-z0-9_.-]+))");
  private static final Pattern TWO_PHASE =
      pattern("(PREPARE\\s+TRANSACTION|COMMIT\\s+PREPARED|ROLLBACK\\s+PREPARED)\\s+'.*'");

  private static Pattern pattern(String body) {
    return Pattern.compile("\\s*" + body + END, Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }

  /** What each pattern reads into; ROLLBACK TO is tried before ROLLBACK. */
  private static final List<Map.Entry<Pattern, Function<Matcher, Command>>> READERS =
      List.of(
          Map.entry(BEGIN, m -> new Begin(modes(m.group(1)))),
          Map.entry(COMMIT, m -> new Commit(chains(m.group(1)))),
          Map.entry(ROLLBACK_TO, m -> new RollbackTo(name(m.group(1)))),
          Map.entry(ROLLBACK, m -> new Rollback(chains(m.group(1)))),
          Map.entry(SAVEPOINT, m -> new Savepoint(name(m.group(1)))),
          Map.entry(RELEASE, m -> new Release(name(m.group(1)))),
          Map.entry(SET_TRANSACTION, m -> new SetTransaction(modes(m.group(1)))),
          Map.entry(SET_LOCAL, m -> new SetLocal(m.group(1).strip())),
          Map.entry(
              TWO_PHASE,
              m -> new TwoPhase(m.group(1).replaceAll("\\s+", " ").toUpperCase(Locale.ROOT))));

  /** The command, or empty when {@code sql} is not transaction control. */
  static Optional<Command> parse(String sql) {
    if (!SqlText.firstWordIn(sql, FIRST_WORDS)) {
      return Optional.empty(); // most statements: no pattern can match
    }
    for (Map.Entry<Pattern, Function<Matcher, Command>> reader : READERS) {
      Matcher m = reader.getKey().matcher(sql);
      if (m.matches()) {
        return Optional.of(reader.getValue().apply(m));
      }
    }
    return Optional.empty();
  }

  /** The words every pattern above starts with (after white space), upper case. */
  private static final Set<String> FIRST_WORDS =
      Set.of(
          "BEGIN",
          "START",
          "COMMIT",
          "END",
          "ROLLBACK",
          "ABORT",
          "SAVEPOINT",
          "RELEASE",
          "SET",
          "PREPARE");

  /** Modes as {@code SET TRANSACTION} takes them: normalized spaces, upper case. */
  private static String modes(String modes) {
    return modes == null ? "" : modes.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
  }

  private static boolean chains(String chain) {
    return chain != null && !chain.toUpperCase(Locale.ROOT).contains("NO");
  }

  /** A savepoint name as PostgreSQL compares it: unquoted names fold to lower case. */
  private static String name(String name) {
    if (!name.startsWith("\"")) {
      return name.toLowerCase(Locale.ROOT);
    }
    String inner = name.substring(1, name.length() - 1);
    return inner.matches("[a-z_][a-z0-9_$]*") ? inner : name;
  }

  /** Whether modes ask for SERIALIZABLE isolation. */
  static boolean serializable(String modes) {
    return modes.contains("SERIALIZABLE");
  }
}
