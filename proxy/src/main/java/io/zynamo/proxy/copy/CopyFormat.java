package io.zynamo.proxy.copy;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.Utf8;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How COPY rows are written: PostgreSQL's text or CSV format and its options, checked as
 * PostgreSQL's {@code ProcessCopyOptions} checks them (same messages and SQLStates).
 *
 * @param csv CSV, else text
 * @param delimiter one byte (default tab, or comma for CSV)
 * @param nullString the text of a NULL (default {@code \N}, or the empty string for CSV)
 * @param header whether the first line names the columns
 * @param matchHeader {@code HEADER MATCH}: the first line must name the columns in order
 * @param quote the CSV quote byte (default {@code "})
 * @param escape the CSV escape byte (default the quote)
 * @param forceQuoteAll {@code FORCE_QUOTE *}
 * @param forceQuote columns always quoted (COPY TO, CSV)
 * @param forceNotNull columns whose null string is read as the string (COPY FROM, CSV)
 * @param forceNull columns whose quoted null string is read as NULL (COPY FROM, CSV)
 */
public record CopyFormat(
    boolean csv,
    byte delimiter,
    String nullString,
    boolean header,
    boolean matchHeader,
    byte quote,
    byte escape,
    boolean forceQuoteAll,
    Set<String> forceQuote,
    Set<String> forceNotNull,
    Set<String> forceNull) {

  public CopyFormat {
    requireNonNull(nullString, "nullString");
    forceQuote = Set.copyOf(forceQuote);
    forceNotNull = Set.copyOf(forceNotNull);
    forceNull = Set.copyOf(forceNull);
  }

  /** PostgreSQL's defaults for the text format. */
  public static CopyFormat text() {
    return new CopyFormat(
        false,
        (byte) '\t',
        "\\N",
        false,
        false,
        (byte) '"',
        (byte) '"',
        false,
        Set.of(),
        Set.of(),
        Set.of());
  }

  /** Collects options, then checks them together ({@link #build()}). */
  static final class Builder {
    private final boolean from;
    private final Map<String, @Nullable String> values = new HashMap<>();
    private final Map<String, List<String>> columns = new HashMap<>();
    private boolean forceQuoteAll;

    Builder(boolean from) {
      this.from = from;
    }

    boolean isEmpty() {
      return values.isEmpty() && columns.isEmpty() && !forceQuoteAll;
    }

    void set(String name, @Nullable String value) throws SQLException {
      String key = name.toLowerCase(Locale.ROOT);
      switch (key) {
        case "format", "delimiter", "null", "header", "quote", "escape", "freeze", "encoding" -> {}
        case "force_quote", "force_not_null", "force_null" ->
            throw ZynamoErrors.create(
                ZynamoSqlState.SYNTAX_ERROR,
                "argument to option \"" + key + "\" must be a list of column names");
        case "oids" -> throw ZynamoErrors.notSupportedYet("COPY ... OIDS");
        default ->
            throw ZynamoErrors.create(
                ZynamoSqlState.SYNTAX_ERROR, "option \"" + key + "\" not recognized");
      }
      redundant(key);
      values.put(key, value);
    }

    void columns(String name, List<String> names, boolean all) throws SQLException {
      String key = name.toLowerCase(Locale.ROOT);
      boolean force =
          key.equals("force_quote") || key.equals("force_not_null") || key.equals("force_null");
      if (!force || (all && !key.equals("force_quote"))) {
        throw ZynamoErrors.create(
            ZynamoSqlState.SYNTAX_ERROR,
            force
                ? "argument to option \"" + key + "\" must be a list of column names"
                : "argument to option \"" + key + "\" must be a single value");
      }
      redundant(key);
      columns.put(key, List.copyOf(names));
      forceQuoteAll |= all;
    }

    private void redundant(String key) throws SQLException {
      if (values.containsKey(key) || columns.containsKey(key)) {
        throw ZynamoErrors.create(ZynamoSqlState.SYNTAX_ERROR, "conflicting or redundant options");
      }
    }

    CopyFormat build() throws SQLException {
      String format = lower(values.getOrDefault("format", "text"), "format");
      boolean csv =
          switch (format) {
            case "text" -> false;
            case "csv" -> true;
            case "binary" ->
                throw ZynamoErrors.notSupportedYet(
                    "COPY in binary format through the proxy; use text or CSV");
            default ->
                throw ZynamoErrors.create(
                    ZynamoSqlState.INVALID_PARAMETER_VALUE,
                    "COPY format \"" + format + "\" not recognized");
          };
      String encoding = values.get("encoding");
      if (encoding != null && !Utf8.isUtf8Name(encoding)) {
        throw ZynamoErrors.notSupportedYet(
            "COPY with ENCODING '" + encoding + "' (the proxy speaks UTF8 only)");
      }
      if (values.containsKey("freeze")) {
        bool(values.get("freeze"), "freeze"); // checked, then ignored: rows are inserted
      }
      byte delimiter = oneByte("delimiter", csv ? "," : "\t");
      String nullString = values.containsKey("null") ? value("null") : (csv ? "" : "\\N");
      boolean header = false;
      boolean match = false;
      if (values.containsKey("header")) {
        String h = values.get("header");
        if (h != null && h.equalsIgnoreCase("match")) {
          if (!from) {
            throw ZynamoErrors.create(
                ZynamoSqlState.FEATURE_NOT_SUPPORTED,
                "cannot use \"match\" with HEADER in COPY TO");
          }
          header = true;
          match = true;
        } else {
          header = bool(h, "header");
        }
      }
      if (!csv) {
        for (String csvOnly : List.of("quote", "escape")) {
          if (values.containsKey(csvOnly)) {
            throw ZynamoErrors.create(
                ZynamoSqlState.FEATURE_NOT_SUPPORTED,
                "COPY " + csvOnly + " available only in CSV mode");
          }
        }
        if (!columns.isEmpty()) {
          String key = columns.keySet().iterator().next();
          throw ZynamoErrors.create(
              ZynamoSqlState.FEATURE_NOT_SUPPORTED,
              "COPY " + key.replace('_', ' ') + " available only in CSV mode");
        }
      }
      if (from && columns.containsKey("force_quote")) {
        throw ZynamoErrors.create(
            ZynamoSqlState.FEATURE_NOT_SUPPORTED, "COPY force quote only available using COPY TO");
      }
      if (!from && (columns.containsKey("force_not_null") || columns.containsKey("force_null"))) {
        String key = columns.containsKey("force_not_null") ? "force not null" : "force null";
        throw ZynamoErrors.create(
            ZynamoSqlState.FEATURE_NOT_SUPPORTED,
            "COPY " + key + " only available using COPY FROM");
      }
      byte quote = oneByte("quote", "\"");
      byte escape = values.containsKey("escape") ? oneByte("escape", "\"") : quote;
      if (delimiter == '\n' || delimiter == '\r') {
        throw invalid("COPY delimiter cannot be newline or carriage return");
      }
      if (nullString.indexOf('\n') >= 0 || nullString.indexOf('\r') >= 0) {
        throw invalid("COPY null representation cannot use newline or carriage return");
      }
      if (!csv && "\\.abcdefghijklmnopqrstuvwxyz0123456789".indexOf((char) delimiter) >= 0) {
        throw invalid("COPY delimiter cannot be \"" + (char) delimiter + "\"");
      }
      if (csv && delimiter == quote) {
        throw invalid("COPY delimiter and quote must be different");
      }
      if (nullString.indexOf((char) delimiter) >= 0) {
        throw invalid("COPY delimiter must not appear in the NULL specification");
      }
      if (csv && nullString.indexOf((char) quote) >= 0) {
        throw invalid("CSV quote character must not appear in the NULL specification");
      }
      return new CopyFormat(
          csv,
          delimiter,
          nullString,
          header,
          match,
          quote,
          escape,
          forceQuoteAll,
          Set.copyOf(columns.getOrDefault("force_quote", List.of())),
          Set.copyOf(columns.getOrDefault("force_not_null", List.of())),
          Set.copyOf(columns.getOrDefault("force_null", List.of())));
    }

    private String value(String key) throws SQLException {
      String v = values.get(key);
      if (v == null) {
        throw ZynamoErrors.create(ZynamoSqlState.SYNTAX_ERROR, key + " requires a parameter");
      }
      return v;
    }

    private String lower(@Nullable String value, String key) throws SQLException {
      if (value == null) {
        throw ZynamoErrors.create(ZynamoSqlState.SYNTAX_ERROR, key + " requires a parameter");
      }
      return value.toLowerCase(Locale.ROOT);
    }

    private byte oneByte(String key, String fallback) throws SQLException {
      String v = values.containsKey(key) ? value(key) : fallback;
      byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
      if (bytes.length != 1) {
        throw ZynamoErrors.create(
            ZynamoSqlState.FEATURE_NOT_SUPPORTED,
            "COPY " + key + " must be a single one-byte character");
      }
      return bytes[0];
    }

    private static boolean bool(@Nullable String value, String key) throws SQLException {
      if (value == null) {
        return true;
      }
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true", "on", "1", "yes" -> true;
        case "false", "off", "0", "no" -> false;
        default ->
            throw ZynamoErrors.create(
                ZynamoSqlState.SYNTAX_ERROR, key + " requires a Boolean value");
      };
    }

    private static SQLException invalid(String message) {
      return ZynamoErrors.create(ZynamoSqlState.INVALID_PARAMETER_VALUE, message);
    }
  }
}
