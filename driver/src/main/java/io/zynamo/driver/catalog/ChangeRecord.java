package io.zynamo.driver.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row image captured on a coordinator by the triggers of a distributed table, as {@code
 * zynamo.drain_changes()} returns it and {@code zynamo.apply} takes it.
 *
 * @param table the table, schema-qualified and quoted as in {@code zynamo.tables.name}, e.g. {@code
 *     public.items}
 * @param op whether the row was inserted, updated or deleted
 * @param image the image as JSON text: for an insert or update the whole new row, internal columns
 *     included; for a delete the row's {@code zynamo_rowid} and {@code zynamo_bucket} with the
 *     deletion's {@code zynamo_version} and {@code zynamo_clock}
 */
public record ChangeRecord(String table, ChangeOp op, String image) {

  /** The records grouped by table, tables and records in their first order. */
  public static Map<String, List<ChangeRecord>> byTable(List<ChangeRecord> records) {
    Map<String, List<ChangeRecord>> byTable = new LinkedHashMap<>();
    records.forEach(r -> byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r));
    return byTable;
  }

  public ChangeRecord {
    requireNonNull(table, "table");
    requireNonNull(op, "op");
    requireNonNull(image, "image");
    if (table.isEmpty()) {
      throw new IllegalArgumentException("table: '' (expected: a schema-qualified table name)");
    }
  }

  /** Never prints the image: it holds row data. */
  @Override
  public String toString() {
    return "ChangeRecord[" + op + " " + table + ", " + image.length() + " chars]";
  }
}
