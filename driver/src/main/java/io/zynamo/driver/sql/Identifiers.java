package io.zynamo.driver.sql;

import java.nio.charset.StandardCharsets;

/** PostgreSQL identifier rules: truncation to NAMEDATALEN - 1 bytes and quoting for display. */
final class Identifiers {

  /** NAMEDATALEN - 1: the longest identifier in bytes (pg_config_manual.h). */
  static final int MAX_BYTES = 63;

  private Identifiers() {}

  /** Cuts {@code name} to at most 63 UTF-8 bytes without splitting a character. */
  static String truncate(String name) {
    if (name.length() * 3 <= MAX_BYTES
        || name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
      return name;
    }
    int bytes = 0;
    int i = 0;
    while (i < name.length()) {
      int cp = name.codePointAt(i);
      int width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + width > MAX_BYTES) {
        break;
      }
      bytes += width;
      i += Character.charCount(cp);
    }
    return name.substring(0, i);
  }

  /** The name as PostgreSQL's quote_ident would print it: bare when lower-case and plain. */
  static String quote(String name) {
    boolean plain = !name.isEmpty() && (name.charAt(0) == '_' || isLower(name.charAt(0)));
    for (int i = 0; plain && i < name.length(); i++) {
      char c = name.charAt(i);
      plain = isLower(c) || PgLexer.isDigit(c) || c == '_' || c == '$';
    }
    if (plain && !Keywords.isReserved(name)) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }
}
