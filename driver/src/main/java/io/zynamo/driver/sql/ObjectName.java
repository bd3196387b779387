package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A schema-qualified name normalized the PostgreSQL way: unquoted parts lower-cased (ASCII only),
 * quoted parts exact, each cut to 63 bytes. A catalog (database) qualifier is dropped.
 */
public record ObjectName(@Nullable String schema, String name) {

  public ObjectName {
    requireNonNull(name, "name");
    if (name.isEmpty() || (schema != null && schema.isEmpty())) {
      throw new IllegalArgumentException("object name: empty part (expected: non-empty names)");
    }
  }

  /** An unqualified name. */
  public static ObjectName of(String name) {
    return new ObjectName(null, name);
  }

  /** Column names as a column list's text: {@code id, "Order", note}, each quoted as needed. */
  public static String list(java.util.List<String> names) {
    StringBuilder text = new StringBuilder();
    for (String name : names) {
      text.append(text.isEmpty() ? "" : ", ").append(Identifiers.quote(name));
    }
    return text.toString();
  }

  /** {@code schema.name} or {@code name}, each part quoted when PostgreSQL would quote it. */
  @Override
  public String toString() {
    String quoted = Identifiers.quote(name);
    return schema == null ? quoted : Identifiers.quote(schema) + "." + quoted;
  }
}
