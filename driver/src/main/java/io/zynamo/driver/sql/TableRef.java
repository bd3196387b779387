package io.zynamo.driver.sql;

import org.jspecify.annotations.Nullable;

/** A table in a FROM list or a DML target, with its alias if any. */
record TableRef(ObjectName name, @Nullable String alias) {

  /** Whether a column qualifier {@code q.} (one or two parts) names this table. */
  boolean isNamedBy(@Nullable String schema, String qualifier) {
    if (alias != null) {
      return schema == null && alias.equals(qualifier);
    }
    if (!name.name().equals(qualifier)) {
      return false;
    }
    return schema == null || schema.equals(name.schema());
  }
}
