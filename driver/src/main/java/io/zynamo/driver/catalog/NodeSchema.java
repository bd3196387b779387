package io.zynamo.driver.catalog;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.result.CloseAll;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Installs the node side of ADR 0001 on a PostgreSQL node and calls it: distributing tables,
 * draining the row images a write captured, applying them to a replica.
 *
 * <p>The schema is a list of versioned SQL files shipped in the driver jar ({@link SchemaScript});
 * {@link #install} runs those a node lacks, in order. The SQL API itself (functions, settings,
 * SQLStates) is described in {@code docs/node-schema.md}. Errors from the node pass through
 * unchanged, with their SQLState ({@code ZY004}, {@code ZY006}, ...).
 *
 * <p>Stateless and thread-safe; every method uses only the connection it is given.
 */
public final class NodeSchema {

  /**
   * The transaction-scoped advisory lock that serializes installs on one node: "ZYNAMO" in ASCII
   * followed by 0001. Two clients that install at once both create the schema otherwise, and one
   * fails on a duplicate catalog row.
   */
  static final long INSTALL_LOCK = 0x5A594E414D4F0001L;

  /** The bundled files, in version order; each must exist under {@link SchemaScript#FOLDER}. */
  static final List<String> SCRIPT_NAMES =
      List.of(
          "001-zynamo-schema.sql",
          "002-conflicts.sql",
          "003-decisions.sql",
          "004-drain-mark.sql",
          "005-json-null.sql",
          "006-catalog-views.sql",
          "007-anti-entropy.sql",
          "008-hints.sql",
          "009-tombstone-gc.sql",
          "010-instances.sql",
          "011-apply-by-index.sql");

  private final List<SchemaScript> scripts;

  private NodeSchema(List<SchemaScript> scripts) {
    this.scripts = List.copyOf(scripts);
  }

  /**
   * The schema bundled with this driver.
   *
   * @throws IllegalStateException if a bundled file is missing (a broken jar)
   */
  public static NodeSchema bundled() {
    ClassLoader loader = NodeSchema.class.getClassLoader();
    List<SchemaScript> scripts = new ArrayList<>();
    for (String name : SCRIPT_NAMES) {
      scripts.add(SchemaScript.load(loader, name));
    }
    return new NodeSchema(scripts);
  }

  /** The version the newest bundled file brings a node to. */
  public int latestVersion() {
    return scripts.get(scripts.size() - 1).version();
  }

  /**
   * Brings the node's {@code zynamo} schema up to {@link #latestVersion()}: runs, in order, every
   * bundled file whose version {@code zynamo.schema_version} does not record. Idempotent, and safe
   * when several clients install on one node at once: they take turns on an advisory lock.
   *
   * <p>With auto-commit on (a fresh connection) the install is one transaction of its own;
   * otherwise it joins the caller's transaction, which must be READ COMMITTED, and the caller
   * commits it.
   *
   * @return the node's schema version afterwards: {@link #latestVersion()}, or more if a newer
   *     Zynamo installed a newer schema
   */
  public int install(Connection connection) throws SQLException {
    requireNonNull(connection, "connection");
    Set<Integer> installed = installedVersions(connection);
    if (scripts.stream().allMatch(script -> installed.contains(script.version()))) {
      return maxVersion(installed); // up to date: one query
    }
    if (!connection.getAutoCommit()) {
      return installInTransaction(connection);
    }
    connection.setAutoCommit(false);
    try {
      int version = installInTransaction(connection);
      connection.commit();
      return version;
    } catch (SQLException | RuntimeException e) {
      CloseAll.closeAfter(e, connection::rollback);
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private int installInTransaction(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + INSTALL_LOCK + ")");
      // Read again under the lock: a client that held it may have installed meanwhile.
      Set<Integer> installed = installedVersions(connection);
      String messages = setting(statement, "client_min_messages");
      // CREATE ... IF NOT EXISTS reports each skipped object as a notice; nobody reads them.
      statement.execute("SET LOCAL client_min_messages = warning");
      for (SchemaScript script : scripts) {
        if (!installed.contains(script.version())) {
          statement.execute(script.sql());
          installed.add(script.version());
        }
      }
      statement.execute("SET LOCAL client_min_messages = " + messages);
      return maxVersion(installed);
    }
  }

  private static String setting(Statement statement, String name) throws SQLException {
    try (ResultSet value = statement.executeQuery("SHOW " + name)) {
      value.next();
      return value.getString(1);
    }
  }

  /** The versions {@code zynamo.schema_version} records; empty on a node without the schema. */
  static Set<Integer> installedVersions(Connection connection) throws SQLException {
    Set<Integer> versions = new HashSet<>();
    try (Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("SELECT to_regclass('zynamo.schema_version') IS NOT NULL")) {
        exists.next();
        if (!exists.getBoolean(1)) {
          return versions;
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT version FROM zynamo.schema_version")) {
        while (rows.next()) {
          versions.add(rows.getInt(1));
        }
      }
    }
    return versions;
  }

  private static int maxVersion(Set<Integer> versions) {
    return versions.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /**
   * Shards {@code table} by {@code shardColumn}: {@code zynamo.shard_table}. The table name is
   * resolved as PostgreSQL resolves a {@code regclass} (search path, quoting).
   */
  public void shardTable(Connection connection, String table, String shardColumn)
      throws SQLException {
    requireNonNull(table, "table");
    requireNonNull(shardColumn, "shardColumn");
    call(connection, "SELECT zynamo.shard_table(?::regclass, ?)", table, shardColumn);
  }

  /**
   * Makes {@code table} a reference table, copied to every node: {@code zynamo.reference_table}.
   */
  public void referenceTable(Connection connection, String table) throws SQLException {
    requireNonNull(table, "table");
    call(connection, "SELECT zynamo.reference_table(?::regclass)", table);
  }

  private static void call(Connection connection, String sql, String... arguments)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < arguments.length; i++) {
        statement.setString(i + 1, arguments[i]);
      }
      statement.execute();
    }
  }

  /**
   * Takes the row images the current transaction captured, in capture order: {@code
   * zynamo.drain_changes()}. Call it in the writing transaction, before commit (auto-commit off); a
   * later transaction sees none of them.
   */
  public List<ChangeRecord> drainChanges(Connection connection) throws SQLException {
    return drain(connection, DRAIN);
  }

  /**
   * As {@link #drainChanges}, committing the transaction in the same round trip: the COMMIT goes
   * with the query, and an error of either fails the call (the transaction is then rolled back).
   */
  public List<ChangeRecord> drainChangesAndCommit(Connection connection) throws SQLException {
    return drain(connection, DRAIN + "; COMMIT");
  }

  private static final String DRAIN =
      "SELECT table_name, op, image::text FROM zynamo.drain_changes()";

  private static List<ChangeRecord> drain(Connection connection, String sql) throws SQLException {
    List<ChangeRecord> records = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
      try (ResultSet rows = statement.getResultSet()) {
        while (rows.next()) {
          records.add(
              new ChangeRecord(
                  rows.getString(1), ChangeOp.fromCode(rows.getString(2)), rows.getString(3)));
        }
      }
    }
    return records;
  }

  /**
   * Leaves images that replica {@code owner} could not take as hints for it on the node of {@code
   * holder} ({@code zynamo.hints}, one row per table), to be handed off once it answers again.
   */
  public void storeHints(Connection holder, String owner, List<ChangeRecord> records)
      throws SQLException {
    requireNonNull(owner, "owner");
    Map<String, List<ChangeRecord>> byTable = ChangeRecord.byTable(records);
    try (PreparedStatement statement =
        holder.prepareStatement(
            "INSERT INTO zynamo.hints (owner, table_name, images) VALUES (?, ?, ?::jsonb)")) {
      for (Map.Entry<String, List<ChangeRecord>> table : byTable.entrySet()) {
        statement.setString(1, owner);
        statement.setString(2, table.getKey());
        statement.setString(3, ApplyBatch.toJson(table.getValue()));
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** A hint: images for one table, waiting on a node for the replica they are for. */
  public record Hint(long id, String table, String images) {}

  /**
   * The oldest {@code limit} hints for {@code owner} held on the node of {@code holder}, locked
   * (another instance handing off at the same time skips them); call inside a transaction.
   */
  public List<Hint> lockHints(Connection holder, String owner, int limit) throws SQLException {
    List<Hint> hints = new ArrayList<>();
    try (PreparedStatement statement =
        holder.prepareStatement(
            "SELECT id, table_name, images::text FROM zynamo.hints WHERE owner = ?"
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
      statement.setString(1, owner);
      statement.setInt(2, limit);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          hints.add(new Hint(rows.getLong(1), rows.getString(2), rows.getString(3)));
        }
      }
    }
    return hints;
  }

  /** Deletes hints handed off. */
  public void deleteHints(Connection holder, List<Hint> hints) throws SQLException {
    try (PreparedStatement statement =
        holder.prepareStatement("DELETE FROM zynamo.hints WHERE id = ANY (?)")) {
      statement.setArray(1, holder.createArrayOf("bigint", hints.stream().map(Hint::id).toArray()));
      statement.executeUpdate();
    }
  }

  /** How many hints the node of {@code holder} keeps, per replica they are for. */
  public Map<String, Long> hintCounts(Connection holder) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (Statement statement = holder.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT owner, count(*) FROM zynamo.hints GROUP BY owner")) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
    }
    return counts;
  }

  /**
   * The tables the node of {@code holder} keeps hints for, spelled as in {@code zynamo.tables}:
   * their tombstones must stay until the hints are handed off.
   */
  public static Set<String> hintedTables(Connection holder) throws SQLException {
    Set<String> tables = new HashSet<>();
    try (Statement statement = holder.createStatement();
        ResultSet rows = statement.executeQuery("SELECT DISTINCT table_name FROM zynamo.hints")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }

  /**
   * Applies row images of {@code table}, captured on a coordinator, to the node of {@code
   * connection}: {@code zynamo.apply}. Newer images win, so repeating a batch or applying batches
   * out of order leaves the same rows.
   */
  public ApplyResult apply(Connection connection, String table, List<ChangeRecord> records)
      throws SQLException {
    requireNonNull(table, "table");
    requireNonNull(records, "records");
    if (records.isEmpty()) {
      return new ApplyResult(0, 0);
    }
    return apply(connection, table, ApplyBatch.toJson(records));
  }

  /** As {@link #apply(Connection, String, List)}, for a batch already in its JSON form. */
  public ApplyResult apply(Connection connection, String table, String images) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT applied, skipped FROM zynamo.apply(?::regclass, ?::jsonb)")) {
      statement.setString(1, table);
      statement.setString(2, images);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return new ApplyResult(result.getInt(1), result.getInt(2));
      }
    }
  }
}
