package io.zynamo.driver.routing;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.sql.ColumnDefinition;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.TableDefinition;
import io.zynamo.driver.sql.Trait;
import java.sql.SQLException;
import java.util.List;

/**
 * How a table created through Zynamo is distributed by default: sharded by its primary key's first
 * column, else by its first column (the brief's rule; {@code zynamo.distribute} and {@code
 * zynamo.reference} change it later). Unique constraints and the primary key must include the shard
 * key, or one node could not enforce them: ZY005 before anything runs.
 */
public final class DistributionChoice {

  private DistributionChoice() {}

  /** The default sharding of the table a CREATE TABLE defines. */
  public static TableDistribution forCreate(ParsedStatement create) throws SQLException {
    TableDefinition definition = create.definition();
    if (definition == null || create.has(Trait.INCOMPLETE_DEFINITION) || create.target() == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.FEATURE_NOT_SUPPORTED,
          "not supported yet: CREATE TABLE whose columns are not all listed (LIKE, OF, PARTITION"
              + " OF, AS SELECT)");
    }
    if (definition.columns().isEmpty()) {
      throw ZynamoErrors.create(
          ZynamoSqlState.FEATURE_NOT_SUPPORTED,
          "a table without columns cannot be sharded: " + create.target());
    }
    ColumnDefinition key = shardKey(definition);
    requireKeyInUniques(create.target(), definition, key.name());
    List<String> columns = definition.columns().stream().map(ColumnDefinition::name).toList();
    return TableDistribution.sharded(
        TableCatalog.qualified(create.target()), key.name(), key.type(), columns);
  }

  private static ColumnDefinition shardKey(TableDefinition definition) {
    String name =
        definition.primaryKey().isEmpty()
            ? definition.columns().get(0).name()
            : definition.primaryKey().get(0);
    return definition.columns().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElse(definition.columns().get(0));
  }

  private static void requireKeyInUniques(ObjectName table, TableDefinition definition, String key)
      throws SQLException {
    for (List<String> unique : definition.uniqueKeys()) {
      if (!unique.contains(key)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.UNIQUE_WITHOUT_SHARD_KEY,
            "unique constraint on "
                + unique
                + " of "
                + table
                + " does not include the shard key \""
                + key
                + "\" (each node could only enforce it for its own rows; add \""
                + key
                + "\" to it)");
      }
    }
  }
}
