package io.zynamo.driver.execution;

import io.zynamo.driver.sql.ObjectName;
import java.sql.Connection;
import java.sql.SQLException;

/** Node-side bookkeeping of distributed tables (ADR 0001): internal columns, triggers, catalog. */
public interface TableSetup {

  /** Makes a just-created table sharded by {@code column} on this node. */
  void shard(Connection node, ObjectName table, String column) throws SQLException;

  /** Makes a table a reference table (a full copy) on this node. */
  void reference(Connection node, ObjectName table) throws SQLException;

  /** Forgets a dropped table in this node's catalog. */
  void forget(Connection node, ObjectName table) throws SQLException;
}
