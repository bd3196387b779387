package io.zynamo.proxy.types;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL's built-in types the proxy names in RowDescription and ParameterDescription: their
 * OIDs are fixed in pg_type.dat and the same on every server. The proxy learns a column's type as
 * the name pgjdbc reports for it on the node ({@code int4}, {@code _text}, {@code serial}...); a
 * name not listed here (a user's enum or domain) is described as {@link #TEXT}, which is how its
 * text-format values read.
 */
public enum PgType {
  BOOL(16, "bool", 1),
  BYTEA(17, "bytea", -1),
  CHAR(18, "char", 1),
  NAME(19, "name", 64),
  INT8(20, "int8", 8),
  INT2(21, "int2", 2),
  INT4(23, "int4", 4),
  REGPROC(24, "regproc", 4),
  TEXT(25, "text", -1),
  OID(26, "oid", 4),
  JSON(114, "json", -1),
  XML(142, "xml", -1),
  POINT(600, "point", 16),
  CIDR(650, "cidr", -1),
  FLOAT4(700, "float4", 4),
  FLOAT8(701, "float8", 8),
  UNKNOWN(705, "unknown", -2),
  MONEY(790, "money", 8),
  MACADDR(829, "macaddr", 6),
  INET(869, "inet", -1),
  BPCHAR(1042, "bpchar", -1),
  VARCHAR(1043, "varchar", -1),
  DATE(1082, "date", 4),
  TIME(1083, "time", 8),
  TIMESTAMP(1114, "timestamp", 8),
  TIMESTAMPTZ(1184, "timestamptz", 8),
  INTERVAL(1186, "interval", 16),
  TIMETZ(1266, "timetz", 12),
  BIT(1560, "bit", -1),
  VARBIT(1562, "varbit", -1),
  NUMERIC(1700, "numeric", -1),
  REGCLASS(2205, "regclass", 4),
  REGTYPE(2206, "regtype", 4),
  RECORD(2249, "record", -1),
  VOID(2278, "void", 4),
  UUID(2950, "uuid", 16),
  TSVECTOR(3614, "tsvector", -1),
  JSONB(3802, "jsonb", -1),
  BOOL_ARRAY(1000, "_bool", -1),
  BYTEA_ARRAY(1001, "_bytea", -1),
  NAME_ARRAY(1003, "_name", -1),
  INT2_ARRAY(1005, "_int2", -1),
  INT4_ARRAY(1007, "_int4", -1),
  TEXT_ARRAY(1009, "_text", -1),
  BPCHAR_ARRAY(1014, "_bpchar", -1),
  VARCHAR_ARRAY(1015, "_varchar", -1),
  INT8_ARRAY(1016, "_int8", -1),
  FLOAT4_ARRAY(1021, "_float4", -1),
  FLOAT8_ARRAY(1022, "_float8", -1),
  OID_ARRAY(1028, "_oid", -1),
  TIMESTAMP_ARRAY(1115, "_timestamp", -1),
  DATE_ARRAY(1182, "_date", -1),
  TIMESTAMPTZ_ARRAY(1185, "_timestamptz", -1),
  NUMERIC_ARRAY(1231, "_numeric", -1),
  UUID_ARRAY(2951, "_uuid", -1),
  JSON_ARRAY(199, "_json", -1),
  JSONB_ARRAY(3807, "_jsonb", -1);

  private static final Map<Integer, PgType> BY_OID = new HashMap<>();
  private static final Map<String, PgType> BY_NAME = new HashMap<>();

  static {
    for (PgType type : values()) {
      BY_OID.put(type.oid, type);
      BY_NAME.put(type.typeName, type);
    }
    // pgjdbc's getColumnTypeName reports these for auto-increment columns and SQL names.
    BY_NAME.put("serial", INT4);
    BY_NAME.put("smallserial", INT2);
    BY_NAME.put("bigserial", INT8);
    BY_NAME.put("character varying", VARCHAR);
    BY_NAME.put("character", BPCHAR);
    BY_NAME.put("integer", INT4);
    BY_NAME.put("bigint", INT8);
    BY_NAME.put("smallint", INT2);
    BY_NAME.put("boolean", BOOL);
    BY_NAME.put("double precision", FLOAT8);
    BY_NAME.put("real", FLOAT4);
    BY_NAME.put("timestamp without time zone", TIMESTAMP);
    BY_NAME.put("timestamp with time zone", TIMESTAMPTZ);
  }

  private final int oid;
  private final String typeName;
  private final short size;

  PgType(int oid, String typeName, int size) {
    this.oid = oid;
    this.typeName = typeName;
    this.size = (short) size;
  }

  public int oid() {
    return oid;
  }

  /** The name in pg_type ({@code int4}, {@code _text}). */
  public String typeName() {
    return typeName;
  }

  /** pg_type.typlen: bytes of a fixed-size value, -1 variable, -2 NUL-terminated. */
  public short size() {
    return size;
  }

  public static Optional<PgType> byOid(int oid) {
    return Optional.ofNullable(BY_OID.get(oid));
  }

  /** The type pgjdbc names {@code name} (case-insensitive; quoted names never match). */
  public static Optional<PgType> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The type of a column pgjdbc names {@code name}; {@link #TEXT} when not a built-in one. */
  public static PgType ofColumn(String name) {
    return byName(name).orElse(TEXT);
  }
}
