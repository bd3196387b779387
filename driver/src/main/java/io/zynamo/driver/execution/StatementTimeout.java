package io.zynamo.driver.execution;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The session setting {@code statement_timeout}, kept by the engine (a SET on a pooled node
 * connection would leak to its next borrower): {@code SET [SESSION] statement_timeout {= | TO}
 * value | DEFAULT}, {@code RESET statement_timeout} and {@code SHOW statement_timeout}, with
 * PostgreSQL's values (milliseconds, or a number with a unit: us, ms, s, min, h, d) and its
 * display.
 */
final class StatementTimeout {

  private static final Pattern SET =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+)?statement_timeout\\s*(?:=|\\bTO\\b)\\s*(.*?)\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final Pattern RESET =
      Pattern.compile("\\s*RESET\\s+statement_timeout\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

  private static final Pattern SHOW =
      Pattern.compile("\\s*SHOW\\s+statement_timeout\\s*;?\\s*", Pattern.CASE_INSENSITIVE);

  private static final Pattern VALUE =
      Pattern.compile("([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*(us|ms|s|min|h|d)?");

  private static final long MAX_MILLIS = Integer.MAX_VALUE;

  private StatementTimeout() {}

  /**
   * The timeout a SET or RESET of {@code statement_timeout} asks for ({@link Duration#ZERO}: none,
   * also for DEFAULT); empty when {@code sql} is not one.
   */
  static Optional<Duration> setting(String sql) throws SQLException {
    if (RESET.matcher(sql).matches()) {
      return Optional.of(Duration.ZERO);
    }
    Matcher set = SET.matcher(sql);
    if (!set.matches()) {
      return Optional.empty();
    }
    String value = set.group(1);
    if (value.equalsIgnoreCase("DEFAULT")) {
      return Optional.of(Duration.ZERO);
    }
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.substring(1, value.length() - 1).replace("''", "'");
    }
    return Optional.of(Duration.ofMillis(parse(value.strip())));
  }

  /** Whether {@code sql} is {@code SHOW statement_timeout}. */
  static boolean isShow(String sql) {
    return SHOW.matcher(sql).matches();
  }

  /** Milliseconds of a value, rounded as PostgreSQL rounds a fraction of its unit. */
  static long parse(String value) throws SQLException {
    Matcher m = VALUE.matcher(value);
    if (!m.matches()) {
      throw ZynamoErrors.create(
          ZynamoSqlState.INVALID_PARAMETER_VALUE,
          "invalid value for parameter \"statement_timeout\": \""
              + value
              + "\" (expected: milliseconds, or a number with one of the units us, ms, s, min,"
              + " h, d)");
    }
    double number = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    double millis =
        number
            * switch (unit) {
              case "us" -> 0.001;
              case "s" -> 1_000;
              case "min" -> 60_000;
              case "h" -> 3_600_000;
              case "d" -> 86_400_000;
              default -> 1;
            };
    double rounded = Math.rint(millis);
    if (rounded < 0 || rounded > MAX_MILLIS) {
      throw ZynamoErrors.create(
          ZynamoSqlState.INVALID_PARAMETER_VALUE,
          value
              + " is outside the valid range for parameter \"statement_timeout\" (0 .. "
              + MAX_MILLIS
              + ")");
    }
    return (long) rounded;
  }

  /** As SHOW gives it: in the largest unit that holds the value whole ("0", "1500ms", "5s"). */
  static String show(Duration timeout) {
    long millis = timeout.toMillis();
    if (millis == 0) {
      return "0";
    }
    long[] sizes = {86_400_000, 3_600_000, 60_000, 1_000};
    String[] units = {"d", "h", "min", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis % sizes[i] == 0) {
        return millis / sizes[i] + units[i];
      }
    }
    return millis + "ms";
  }
}
