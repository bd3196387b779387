package io.zynamo.driver.sql;

import java.util.Map;

/**
 * Reads a type name in a cast ({@code ::t}, {@code CAST(x AS t)}, {@code t 'literal'}) and gives
 * PostgreSQL's canonical spelling, as {@code format_type} prints it ({@code int8} becomes {@code
 * bigint}, {@code timestamptz} becomes {@code timestamp with time zone}).
 */
final class TypeNames {

  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("int", "integer"),
          Map.entry("int4", "integer"),
          Map.entry("int2", "smallint"),
          Map.entry("int8", "bigint"),
          Map.entry("decimal", "numeric"),
          Map.entry("dec", "numeric"),
          Map.entry("float4", "real"),
          Map.entry("float8", "double precision"),
          Map.entry("float", "double precision"),
          Map.entry("bool", "boolean"),
          Map.entry("varchar", "character varying"),
          Map.entry("char", "character"),
          Map.entry("bpchar", "character"),
          Map.entry("timestamp", "timestamp without time zone"),
          Map.entry("timestamptz", "timestamp with time zone"),
          Map.entry("time", "time without time zone"),
          Map.entry("timetz", "time with time zone"),
          Map.entry("varbit", "bit varying"));

  private TypeNames() {}

  /** Reads a type name at the cursor and returns its canonical spelling. */
  static String read(Cursor cursor) {
    String base = baseName(cursor);
    StringBuilder type = new StringBuilder(ALIASES.getOrDefault(base, base));
    if (cursor.at("(")) {
      int close = cursor.groupEnd();
      type.append(cursor.lexed().text(cursor.pos(), close + 1).replaceAll("\\s+", ""));
      cursor.seek(close + 1);
    }
    timeZone(cursor, type);
    while (cursor.at("[")) {
      cursor.skipGroup();
      type.append("[]");
    }
    if (cursor.acceptWords("array")) {
      type.append("[]");
    }
    return type.toString();
  }

  private static String baseName(Cursor cursor) {
    if (cursor.acceptWords("double", "precision")) {
      return "double precision";
    }
    if (cursor.acceptWords("character", "varying") || cursor.acceptWords("char", "varying")) {
      return "character varying";
    }
    if (cursor.acceptWords("bit", "varying")) {
      return "bit varying";
    }
    if (cursor.acceptWords("national", "character", "varying")) {
      return "character varying";
    }
    if (cursor.acceptWords("national", "character") || cursor.acceptWords("nchar")) {
      return "character";
    }
    ObjectName name = cursor.qualifiedName();
    return name.schema() == null ? name.name() : name.schema() + "." + name.name();
  }

  /** {@code timestamp [(p)] with|without time zone}: the zone words follow the precision. */
  private static void timeZone(Cursor cursor, StringBuilder type) {
    String base = type.toString();
    if (!base.startsWith("timestamp") && !base.startsWith("time")) {
      return;
    }
    String zone = null;
    if (cursor.acceptWords("with", "time", "zone")) {
      zone = "with time zone";
    } else if (cursor.acceptWords("without", "time", "zone")) {
      zone = "without time zone";
    }
    if (zone != null) {
      String word = base.startsWith("timestamp") ? "timestamp" : "time";
      String precision = base.contains("(") ? base.substring(base.indexOf('(')) : "";
      type.setLength(0);
      type.append(word).append(precision).append(' ').append(zone);
    }
  }
}
