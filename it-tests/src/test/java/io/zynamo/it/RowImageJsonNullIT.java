package io.zynamo.it;

import static io.zynamo.it.NodeSql.execute;
import static io.zynamo.it.NodeSql.executeOnEach;
import static io.zynamo.it.NodeSql.snapshot;
import static io.zynamo.it.NodeSql.strings;
import static io.zynamo.it.SchemaFixture.apply;
import static io.zynamo.it.SchemaFixture.coordinator;
import static io.zynamo.it.SchemaFixture.installOn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.execution.NodeSchemaReplication;
import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A json or jsonb value that is JSON {@code null} stays JSON null on every replica, and SQL NULL
 * stays SQL NULL: at the top of a column, inside arrays, composite types and domains, on insert and
 * update. ({@code to_jsonb} writes both as {@code null}, and {@code jsonb_populate_record} reads
 * {@code null} back as SQL NULL.)
 */
@ZynamoCluster(nodes = 3)
class RowImageJsonNullIT {

  /** Per row: id, then for each json column whether it is SQL NULL and its text. */
  private static final String NULLS =
      "SELECT concat_ws(' ', id, doc IS NULL, doc, raw IS NULL, raw) FROM json_rows ORDER BY id";

  /** The files released before JSON null was told apart; released files never change. */
  private static final List<String> RELEASED_BEFORE_JSON_NULL =
      List.of(
          "001-zynamo-schema.sql", "002-conflicts.sql", "003-decisions.sql", "004-drain-mark.sql");

  private final List<PostgresNode> nodes;
  private final PostgresNode first;

  RowImageJsonNullIT(PostgresCluster cluster) {
    this.nodes = cluster.nodes();
    this.first = cluster.node(0);
  }

  @BeforeEach
  void installedEverywhere() throws SQLException {
    installOn(nodes);
  }

  @Test
  void jsonNullAndSqlNullStayApartOnInsertAndUpdate() throws SQLException {
    SchemaFixture.createSharded(nodes, "json_rows (id int PRIMARY KEY, doc jsonb, raw json)", "id");
    Coordinator coordinator = coordinator(first, "n1");

    // One transaction, a multi-row insert, then updates from SQL NULL to JSON null and back.
    List<ChangeRecord> inserted;
    try (Coordinator.Transaction write = coordinator.begin(3, 100)) {
      write.execute(
          "INSERT INTO json_rows VALUES (1, 'null', 'null'), (2, NULL, NULL),"
              + " (3, '{\"a\": null}', '[null]'), (4, '\"null\"', '\"null\"')");
      write.execute("UPDATE json_rows SET doc = 'null', raw = 'null' WHERE id = 2");
      write.execute("UPDATE json_rows SET doc = NULL, raw = NULL WHERE id = 1");
      inserted = write.commit();
    }
    List<ChangeRecord> updated =
        coordinator.write(
            3,
            200,
            "UPDATE json_rows SET doc = NULL WHERE id = 2",
            "UPDATE json_rows SET raw = 'null' WHERE id = 1",
            "INSERT INTO json_rows VALUES (5, 'null', NULL)");
    for (PostgresNode replica : nodes.subList(1, 3)) {
      apply(replica, "json_rows", inserted);
      apply(replica, "json_rows", updated);
    }

    List<String> expected =
        List.of(
            "1 t f null",
            "2 t f null",
            "3 f {\"a\": null} f [null]",
            "4 f \"null\" f \"null\"",
            "5 f null t");
    for (PostgresNode node : nodes) {
      assertEquals(expected, strings(node, NULLS), node.name());
      assertEquals(snapshot(first, "json_rows"), snapshot(node, "json_rows"), node.name());
    }
  }

  @Test
  void jsonNullInsideArraysCompositesAndDomainsSurvives() throws SQLException {
    executeOnEach(
        nodes,
        "CREATE TYPE json_pair AS (n int, j jsonb, at timestamptz, f float8)",
        "CREATE DOMAIN json_doc AS jsonb",
        "CREATE DOMAIN json_required AS jsonb NOT NULL",
        "CREATE TABLE nested_json (id int PRIMARY KEY, docs jsonb[], raws json[], pair json_pair,"
            + " pairs json_pair[], dom json_doc, required json_required NOT NULL DEFAULT '{}',"
            + " plain int[])",
        "SELECT zynamo.shard_table('nested_json', 'id')");
    Coordinator coordinator = coordinator(first, "n1");

    List<ChangeRecord> images =
        coordinator.write(
            1,
            100,
            "INSERT INTO nested_json VALUES"
                + " (1, ARRAY['null'::jsonb, NULL, '1'], ARRAY['null'::json, NULL],"
                + "  ROW(1, 'null', '2024-02-29 10:00+01', 0.1),"
                + "  ARRAY[ROW(1, 'null', NULL, '-0')::json_pair,"
                + "  ROW(2, NULL, NULL, NULL)::json_pair, NULL], 'null', 'null', ARRAY[1, NULL]),"
                + " (2, ARRAY[NULL::jsonb], ARRAY[NULL::json], ROW(2, NULL, NULL, NULL), NULL,"
                + "  NULL, '{}', NULL),"
                + " (3, '{}', '{}', NULL, '{}', '{\"k\": null}', '[null]', '{}')",
            "UPDATE nested_json SET pair.j = 'null', dom = NULL WHERE id = 3");
    for (PostgresNode replica : nodes.subList(1, 3)) {
      apply(replica, "nested_json", images);
    }

    List<String> expected = snapshot(first, "nested_json");
    for (PostgresNode node : nodes) {
      assertEquals(expected, snapshot(node, "nested_json"), node.name());
      assertEquals(
          List.of("1 f t f t f f null null", "2 t t t t t t {}", "3 t t f t t t [null]"),
          strings(
              node,
              "SELECT concat_ws(' ', id, docs[1] IS NULL, docs[2] IS NULL, (pair).j IS NULL,"
                  + " (pairs[2]).j IS NULL, raws[1] IS NULL, dom IS NULL, dom, required)"
                  + " FROM nested_json ORDER BY id"),
          node.name());
    }
  }

  /**
   * ALTER TYPE can give a composite column a jsonb attribute without touching the table (so without
   * refreshing its capture trigger): composite columns are looked at from the start.
   */
  @Test
  void aCompositeColumnThatGainsAJsonAttributeLaterKeepsItsJsonNull() throws SQLException {
    executeOnEach(
        nodes,
        "CREATE TYPE later_pair AS (n int)",
        "CREATE TABLE later_rows (id int PRIMARY KEY, pair later_pair)",
        "SELECT zynamo.shard_table('later_rows', 'id')",
        "ALTER TYPE later_pair ADD ATTRIBUTE j jsonb");
    List<ChangeRecord> images =
        coordinator(first, "n1")
            .write(1, 100, "INSERT INTO later_rows VALUES (1, ROW(1, 'null')), (2, ROW(2, NULL))");
    for (PostgresNode replica : nodes.subList(1, 3)) {
      apply(replica, "later_rows", images);
    }

    for (PostgresNode node : nodes) {
      assertEquals(
          List.of("1 f null", "2 t"),
          strings(
              node,
              "SELECT concat_ws(' ', id, (pair).j IS NULL, (pair).j) FROM later_rows ORDER BY id"),
          node.name());
    }
  }

  /**
   * Mixed versions while a cluster upgrades: an image the version-4 trigger captured applies on an
   * upgraded replica as it always did (its {@code null} was SQL NULL), an image the upgraded
   * trigger captures applies on a replica not upgraded yet as it always did, and the upgrade itself
   * makes the capture trigger of a table distributed before it tell JSON null apart.
   */
  @Test
  void imagesFromBeforeTheUpgradeApplyAsBeforeAndTheUpgradeFixesExistingTables()
      throws SQLException, IOException {
    for (PostgresNode node : nodes) {
      execute(node, "DROP DATABASE IF EXISTS json_upgrade", "CREATE DATABASE json_upgrade");
      try (Connection c = NodeSql.connect(node, "json_upgrade");
          Statement s = c.createStatement()) {
        for (String script : RELEASED_BEFORE_JSON_NULL) {
          s.execute(releasedScript(script));
        }
        s.execute("CREATE TABLE docs (id int PRIMARY KEY, doc jsonb)");
        s.execute("SELECT zynamo.shard_table('docs', 'id')");
      }
    }
    PostgresNode upgraded = nodes.get(1);
    PostgresNode notUpgraded = nodes.get(2);
    List<ChangeRecord> before =
        write(
            first,
            100,
            "INSERT INTO docs VALUES (1, 'null'), (2, NULL), (3, '{\"a\": null}')",
            "UPDATE docs SET doc = 'null' WHERE id = 3");
    for (PostgresNode node : List.of(first, upgraded)) {
      try (Connection c = NodeSql.connect(node, "json_upgrade")) {
        assertEquals(SchemaFixture.SCHEMA.latestVersion(), SchemaFixture.SCHEMA.install(c));
      }
    }
    applyIn(upgraded, before);
    applyIn(notUpgraded, before);
    assertEquals(List.of("1 t", "2 t", "3 t"), docNulls(upgraded));
    assertEquals(docNulls(notUpgraded), docNulls(upgraded));

    List<ChangeRecord> after =
        write(
            first,
            200,
            "UPDATE docs SET doc = 'null' WHERE id = 2",
            "INSERT INTO docs VALUES (4, 'null'), (5, NULL)");
    applyIn(upgraded, after);
    applyIn(notUpgraded, after);
    assertEquals(List.of("1 f null", "2 f null", "3 f null", "4 f null", "5 t"), docNulls(first));
    assertEquals(List.of("1 t", "2 f null", "3 t", "4 f null", "5 t"), docNulls(upgraded));
    assertEquals(List.of("1 t", "2 t", "3 t", "4 t", "5 t"), docNulls(notUpgraded));

    // Read repair fetches images as the node's own trigger would capture them.
    List<String> fetched = fetchAll(first);
    assertEquals(5, fetched.size());
    assertEquals(4, fetched.stream().filter(i -> i.contains("\"zynamo_json_null\"")).count());
    fetched = fetchAll(notUpgraded); // it lacks zynamo.row_image: to_jsonb, as its trigger
    assertEquals(5, fetched.size());
    assertEquals(0, fetched.stream().filter(i -> i.contains("\"zynamo_json_null\"")).count());
  }

  /** The images of every row of docs, as read repair fetches them from the node. */
  private static List<String> fetchAll(PostgresNode node) throws SQLException {
    try (Connection c = NodeSql.connect(node, "json_upgrade")) {
      Set<UUID> rows = new HashSet<>();
      for (String id : strings(c, "SELECT zynamo_rowid FROM docs")) {
        rows.add(UUID.fromString(id));
      }
      TableDistribution docs =
          TableDistribution.sharded(
              new ObjectName("public", "docs"), "id", "integer", List.of("id", "doc"));
      return new NodeSchemaReplication(SchemaFixture.SCHEMA)
          .fetch(c, docs, rows).stream().map(ChangeRecord::image).toList();
    }
  }

  private static String releasedScript(String name) throws IOException {
    try (InputStream in =
        RowImageJsonNullIT.class
            .getClassLoader()
            .getResourceAsStream("io/zynamo/driver/schema/" + name)) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs a write routed to bucket 1 in database json_upgrade of the node; returns its images. */
  private static List<ChangeRecord> write(PostgresNode node, long hlc, String... statements)
      throws SQLException {
    try (Connection c = NodeSql.connect(node, "json_upgrade");
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute(
          "SELECT set_config('zynamo.bucket', '1', true), set_config('zynamo.hlc', '"
              + hlc
              + "', true), set_config('zynamo.node', 'n1', true)");
      for (String sql : statements) {
        s.execute(sql);
      }
      List<ChangeRecord> images = SchemaFixture.SCHEMA.drainChanges(c);
      c.commit();
      return images;
    }
  }

  private static void applyIn(PostgresNode node, List<ChangeRecord> images) throws SQLException {
    try (Connection c = NodeSql.connect(node, "json_upgrade")) {
      SchemaFixture.SCHEMA.apply(c, "docs", images);
    }
  }

  private static List<String> docNulls(PostgresNode node) throws SQLException {
    try (Connection c = NodeSql.connect(node, "json_upgrade")) {
      return strings(c, "SELECT concat_ws(' ', id, doc IS NULL, doc) FROM docs ORDER BY id");
    }
  }
}
