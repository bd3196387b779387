package io.zynamo.driver.routing;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.sql.ObjectName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of the distributed tables; unqualified names resolve in schema {@code
 * public} (Zynamo does not follow per-session search paths yet).
 */
public final class TableCatalog {

  static final String DEFAULT_SCHEMA = "public";

  private final Map<ObjectName, TableDistribution> tables = new HashMap<>();

  /**
   * The tables of schema {@code public} by bare name, for unqualified names without a lookup key.
   */
  private final Map<String, TableDistribution> defaultSchema = new HashMap<>();

  public TableCatalog(List<TableDistribution> distributions) {
    for (TableDistribution d : distributions) {
      ObjectName name = qualified(d.table());
      tables.put(name, d);
      if (DEFAULT_SCHEMA.equals(name.schema())) {
        defaultSchema.put(name.name(), d);
      }
    }
  }

  /** The distribution of a table, if Zynamo manages it. */
  public Optional<TableDistribution> find(ObjectName name) {
    requireNonNull(name, "name");
    return Optional.ofNullable(
        name.schema() == null ? defaultSchema.get(name.name()) : tables.get(name));
  }

  /** Every distributed table, sorted by name. */
  public List<TableDistribution> all() {
    return tables.values().stream()
        .sorted(java.util.Comparator.comparing(d -> d.table().toString()))
        .toList();
  }

  /** The name with its schema: {@code public} when none is given. */
  public static ObjectName qualified(ObjectName name) {
    return name.schema() == null ? new ObjectName(DEFAULT_SCHEMA, name.name()) : name;
  }
}
