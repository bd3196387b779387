package io.zynamo.it;

import io.zynamo.driver.catalog.ApplyResult;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The node schema on test nodes: install it, create distributed tables, apply images. */
final class SchemaFixture {

  static final NodeSchema SCHEMA = NodeSchema.bundled();

  private SchemaFixture() {}

  static void installOn(List<PostgresNode> nodes) throws SQLException {
    for (PostgresNode node : nodes) {
      try (Connection connection = NodeSql.connect(node)) {
        SCHEMA.install(connection);
      }
    }
  }

  /** Creates {@code definition} ("name (columns)") on every node and shards it by a column. */
  static void createSharded(List<PostgresNode> nodes, String definition, String shardColumn)
      throws SQLException {
    String table = definition.substring(0, definition.indexOf(' '));
    NodeSql.executeOnEach(
        nodes,
        "CREATE TABLE " + definition,
        "SELECT zynamo.shard_table('" + table + "', '" + shardColumn + "')");
  }

  /** Applies images on the node in a transaction of their own. */
  static ApplyResult apply(PostgresNode node, String table, List<ChangeRecord> images)
      throws SQLException {
    try (Connection connection = NodeSql.connect(node)) {
      return SCHEMA.apply(connection, table, images);
    }
  }

  static Coordinator coordinator(PostgresNode node, String nodeId) {
    return new Coordinator(node, nodeId, SCHEMA);
  }
}
