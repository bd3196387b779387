package io.zynamo.driver.routing;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.SequenceColumn;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one user table is spread over the cluster, as recorded in {@code zynamo.tables}.
 *
 * @param table the table, schema-qualified
 * @param shardColumn the column whose value picks the bucket; null for a reference table
 * @param shardType the shard column's PostgreSQL type as {@code format_type} prints it
 * @param columns the user's columns in table order (positional INSERTs map values with it)
 * @param sequenceColumns the columns whose default comes from a sequence, in table order
 */
public record TableDistribution(
    ObjectName table,
    Kind kind,
    @Nullable String shardColumn,
    @Nullable String shardType,
    List<String> columns,
    List<SequenceColumn> sequenceColumns) {

  /** Sharded by a column, or a full copy on every node. */
  public enum Kind {
    SHARDED,
    REFERENCE
  }

  public TableDistribution {
    requireNonNull(table, "table");
    requireNonNull(kind, "kind");
    columns = List.copyOf(columns);
    sequenceColumns = List.copyOf(sequenceColumns);
    if ((kind == Kind.SHARDED) != (shardColumn != null && shardType != null)) {
      throw new IllegalArgumentException(
          table + ": shard column " + shardColumn + " of type " + shardType + " for a " + kind);
    }
  }

  /** A table sharded by {@code column}. */
  public static TableDistribution sharded(
      ObjectName table, String column, String type, List<String> columns) {
    return new TableDistribution(table, Kind.SHARDED, column, type, columns, List.of());
  }

  /** A reference table. */
  public static TableDistribution reference(ObjectName table, List<String> columns) {
    return new TableDistribution(table, Kind.REFERENCE, null, null, columns, List.of());
  }

  /** This table with the columns whose default comes from a sequence. */
  public TableDistribution withSequenceColumns(List<SequenceColumn> sequenceColumns) {
    return new TableDistribution(table, kind, shardColumn, shardType, columns, sequenceColumns);
  }
}
