package io.zynamo.it;

import static io.zynamo.it.NodeSql.execute;
import static io.zynamo.it.NodeSql.string;
import static io.zynamo.it.NodeSql.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.catalog.ChangeOp;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The node schema of ADR 0001 on real PostgreSQL: install, distribute, stamp, refuse. */
@ZynamoCluster(nodes = 3)
class NodeSchemaIT {

  private static final NodeSchema SCHEMA = SchemaFixture.SCHEMA;
  private static final ExecutorService THREADS = Executors.newCachedThreadPool();

  private final PostgresCluster cluster;
  private final PostgresNode node;
  private final Coordinator coordinator;

  NodeSchemaIT(PostgresCluster cluster) {
    this.cluster = cluster;
    this.node = cluster.node(0);
    this.coordinator = new Coordinator(node, "n1", SCHEMA);
  }

  @AfterAll
  static void stopThreads() {
    THREADS.shutdownNow();
  }

  @BeforeEach
  void installed() throws SQLException {
    try (Connection connection = NodeSql.connect(node)) {
      SCHEMA.install(connection);
    }
  }

  @Test
  void installingAgainChangesNothing() throws SQLException {
    for (PostgresNode each : cluster.nodes()) {
      try (Connection connection = NodeSql.connect(each)) {
        assertEquals(SCHEMA.latestVersion(), SCHEMA.install(connection));
        assertEquals(SCHEMA.latestVersion(), SCHEMA.install(connection));
      }
      assertEquals(
          List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"),
          strings(each, "SELECT version FROM zynamo.schema_version ORDER BY 1"));
    }
  }

  @Test
  void schemaFileRunsAgainOverItselfWithoutHarm() throws SQLException {
    shard("rerun_rows (id int PRIMARY KEY, v text)", "id");
    coordinator.write(1, 10, "INSERT INTO rerun_rows VALUES (1, 'kept')");

    execute(node, "DELETE FROM zynamo.schema_version");
    try (Connection connection = NodeSql.connect(node)) {
      assertEquals(SCHEMA.latestVersion(), SCHEMA.install(connection));
    }

    assertEquals(
        List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"),
        strings(node, "SELECT version FROM zynamo.schema_version ORDER BY 1"));
    assertEquals("kept", string(node, "SELECT v FROM rerun_rows"));
    coordinator.write(1, 11, "UPDATE rerun_rows SET v = 'still stamped'");
    assertEquals("11", string(node, "SELECT zynamo_version FROM rerun_rows"));
  }

  @Test
  void aVersionMissingBelowTheLatestIsInstalledToo() throws SQLException {
    execute(node, "DELETE FROM zynamo.schema_version WHERE version = 5");
    try (Connection connection = NodeSql.connect(node)) {
      assertEquals(SCHEMA.latestVersion(), SCHEMA.install(connection));
    }
    assertEquals(
        List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"),
        strings(node, "SELECT version FROM zynamo.schema_version ORDER BY 1"));
  }

  @Test
  void clientsInstallingAtOnceAllSucceed() throws Exception {
    execute(node, "DROP DATABASE IF EXISTS install_race", "CREATE DATABASE install_race");
    int clients = 8;
    CyclicBarrier start = new CyclicBarrier(clients);
    List<Future<Integer>> installs = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      installs.add(
          THREADS.submit(
              () -> {
                try (Connection connection = NodeSql.connect(node, "install_race")) {
                  start.await(10, TimeUnit.SECONDS);
                  return SCHEMA.install(connection);
                }
              }));
    }

    for (Future<Integer> install : installs) {
      assertEquals(SCHEMA.latestVersion(), install.get(60, TimeUnit.SECONDS));
    }
    try (Connection connection = NodeSql.connect(node, "install_race")) {
      assertEquals(
          List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"),
          strings(connection, "SELECT version FROM zynamo.schema_version ORDER BY 1"));
    }
  }

  @Test
  void shardingAppendsInternalColumnsAndRecordsTheTable() throws SQLException {
    execute(node, "CREATE TABLE appended (id int PRIMARY KEY, v text)");
    execute(node, "SELECT zynamo.shard_table('appended', 'id')");
    execute(node, "SELECT zynamo.shard_table('public.appended', 'id')");

    assertEquals(
        List.of("id", "v", "zynamo_bucket", "zynamo_rowid", "zynamo_version", "zynamo_clock"),
        strings(
            node,
            "SELECT attname FROM pg_attribute WHERE attrelid = 'appended'::regclass"
                + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum"));
    assertEquals(
        "public.appended sharded id",
        string(
            node,
            "SELECT concat_ws(' ', name, kind, shard_column) FROM zynamo.tables"
                + " WHERE name = 'public.appended'"));
    assertEquals(
        List.of("zynamo_capture", "zynamo_stamp"),
        strings(
            node, "SELECT tgname FROM pg_trigger WHERE tgrelid = 'appended'::regclass ORDER BY 1"));
    // Positional INSERT without a column list still works: internal columns come last.
    coordinator.write(9, 1, "INSERT INTO appended VALUES (1, 'positional')");
    execute(node, "SELECT zynamo.shard_table('appended', 'id')"); // again, with a row: harmless
    assertEquals("9", string(node, "SELECT zynamo_bucket FROM appended"));
  }

  @Test
  void emptyTableCanBeRedistributedButNotOneHoldingRows() throws SQLException {
    execute(node, "CREATE TABLE moving (id int, region text, PRIMARY KEY (region, id))");
    execute(node, "SELECT zynamo.shard_table('moving', 'id')");
    execute(node, "SELECT zynamo.reference_table('moving')");
    execute(node, "SELECT zynamo.shard_table('moving', 'region')");
    assertEquals(
        "sharded region",
        string(
            node,
            "SELECT kind || ' ' || shard_column FROM zynamo.tables WHERE name = 'public.moving'"));

    coordinator.write(2, 1, "INSERT INTO moving VALUES (1, 'eu')");

    assertSqlState(
        "55000", "holds rows", () -> execute(node, "SELECT zynamo.reference_table('moving')"));
  }

  @Test
  void tablesThatCannotBeShardedAreRefusedWithReasons() throws SQLException {
    execute(
        node,
        "CREATE TABLE refused (id int PRIMARY KEY, email text UNIQUE)",
        "CREATE TABLE loaded (id int)",
        "INSERT INTO loaded VALUES (1)",
        "CREATE TABLE parted (id int) PARTITION BY HASH (id)",
        "CREATE TABLE computed (id int, twice int GENERATED ALWAYS AS (id * 2) STORED)",
        "CREATE TABLE clashing (id int, zynamo_text text)");

    assertSqlState("42703", "shard column nope", () -> shardExisting("refused", "nope"));
    assertSqlState("42703", "zynamo_rowid", () -> shardExisting("refused", "zynamo_rowid"));
    assertSqlState("ZY005", "refused_email_key", () -> shardExisting("refused", "id"));
    assertSqlState("55000", "public.loaded holds rows", () -> shardExisting("loaded", "id"));
    assertSqlState("0A000", "not a plain table", () -> shardExisting("parted", "id"));
    assertSqlState(
        "0A000", "twice is a generated column", () -> shardExisting("computed", "twice"));
    assertSqlState("42701", "zynamo_text is reserved", () -> shardExisting("clashing", "id"));
  }

  @Test
  void writesThatBypassZynamoAreRefused() throws SQLException {
    shard("direct (id int PRIMARY KEY, v text)", "id");
    coordinator.write(3, 1, "INSERT INTO direct VALUES (1, 'routed')");

    String hint = "setting zynamo.bucket is not set: writes must go through Zynamo";
    assertSqlState("ZY006", hint, () -> execute(node, "INSERT INTO direct VALUES (2, 'x')"));
    assertSqlState("ZY006", hint, () -> execute(node, "UPDATE direct SET v = 'x'"));
    assertSqlState("ZY006", hint, () -> execute(node, "DELETE FROM direct"));
    assertSqlState(
        "ZY006",
        "zynamo.hlc is not set",
        () -> execute(node, "BEGIN; SET LOCAL zynamo.bucket = 3; DELETE FROM direct; COMMIT"));
    assertSqlState(
        "ZY006",
        "row of bucket 3 is written by a statement routed to bucket 4",
        () -> coordinator.write(4, 2, "UPDATE direct SET v = 'other bucket'"));
    assertEquals("routed", string(node, "SELECT v FROM direct"));
  }

  @Test
  void malformedRoutingSettingsAreRefused() throws SQLException {
    shard("settings (id int PRIMARY KEY)", "id");

    assertSqlState(
        "22023",
        "zynamo.bucket: '40000'",
        () -> coordinator.write(40000, 1, "INSERT INTO settings VALUES (1)"));
    assertSqlState(
        "22023",
        "zynamo.hlc: '-5'",
        () -> coordinator.write(1, -5, "INSERT INTO settings VALUES (1)"));
  }

  @Test
  void updatingTheShardColumnIsRefused() throws SQLException {
    shard("keyed (id int PRIMARY KEY, v text)", "id");
    coordinator.write(5, 1, "INSERT INTO keyed VALUES (1, 'a')");

    String message = "table public.keyed: UPDATE changes shard column id";
    assertSqlState("ZY004", message, () -> coordinator.write(5, 2, "UPDATE keyed SET id = 2"));
    assertSqlState(
        "ZY004",
        message,
        () ->
            coordinator.write(
                5, 2, "INSERT INTO keyed VALUES (1, 'b') ON CONFLICT (id) DO UPDATE SET id = 3"));
    coordinator.write(5, 3, "UPDATE keyed SET id = 1, v = 'same key is fine'");
    assertEquals("same key is fine", string(node, "SELECT v FROM keyed"));
  }

  @Test
  void versionFollowsTheHybridClockAndNeverGoesBack() throws SQLException {
    shard("versioned (id int PRIMARY KEY, v int)", "id");

    coordinator.write(1, 1000, "INSERT INTO versioned VALUES (1, 0)");
    assertEquals("1000", string(node, "SELECT zynamo_version FROM versioned"));
    coordinator.write(1, 2000, "UPDATE versioned SET v = 1");
    assertEquals("2000", string(node, "SELECT zynamo_version FROM versioned"));
    coordinator.write(1, 5, "UPDATE versioned SET v = 2"); // a lagging clock
    assertEquals("2001", string(node, "SELECT zynamo_version FROM versioned"));
    coordinator.write(1, 3000, "UPDATE versioned SET v = 3", "UPDATE versioned SET v = 4");
    assertEquals(
        "3001 {\"n1\": 5}",
        string(node, "SELECT zynamo_version || ' ' || zynamo_clock FROM versioned"));
  }

  @Test
  void drainReturnsOnlyTheCurrentTransactionsImagesInOrder() throws SQLException {
    shard("drained (id int PRIMARY KEY, v text)", "id");

    try (Coordinator.Transaction first = coordinator.begin(1, 10);
        Coordinator.Transaction second = coordinator.begin(1, 20)) {
      first.execute("INSERT INTO drained VALUES (1, 'first')");
      second.execute("INSERT INTO drained VALUES (2, 'second')");
      first.execute("UPDATE drained SET v = 'first again' WHERE id = 1");
      first.execute("DELETE FROM drained WHERE id = 1");

      List<ChangeRecord> firstImages = first.commit();
      List<ChangeRecord> secondImages = second.commit();

      assertEquals(
          List.of(ChangeOp.INSERT, ChangeOp.UPDATE, ChangeOp.DELETE),
          firstImages.stream().map(ChangeRecord::op).toList());
      assertEquals(1, secondImages.size());
      assertTrue(secondImages.get(0).image().contains("\"second\""), secondImages.get(0).image());
      assertEquals("public.drained", secondImages.get(0).table());
    }
    assertEquals("0", string(node, "SELECT count(*) FROM zynamo.changes"));
    try (Connection autoCommit = NodeSql.connect(node)) {
      assertEquals(List.of(), SCHEMA.drainChanges(autoCommit));
    }
  }

  @Test
  void applyRefusesWhatIsNotAChangeRecordOfTheTable() throws SQLException {
    shard("applied_to (id int PRIMARY KEY)", "id");
    execute(node, "CREATE TABLE plain_table (id int)");

    assertSqlState(
        "22023",
        "images[1] is not a change record",
        () -> apply("applied_to", "[{\"op\": \"X\", \"image\": {}}]"));
    assertSqlState("22023", "expected: a JSON array", () -> apply("applied_to", "{}"));
    assertSqlState(
        "22023",
        "images[2]",
        () ->
            apply(
                "applied_to",
                "[{\"op\": \"D\", \"image\": {\"zynamo_rowid\": \""
                    + "00000000-0000-0000-0000-000000000001"
                    + "\", \"zynamo_bucket\": 1, \"zynamo_version\": 1, \"zynamo_clock\": {}}},"
                    + " {\"op\": \"D\", \"table\": \"public.other\", \"image\": {}}]"));
    assertSqlState("55000", "not distributed by Zynamo", () -> apply("plain_table", "[]"));
  }

  private void apply(String table, String images) throws SQLException {
    execute(node, "SELECT * FROM zynamo.apply('" + table + "', '" + images + "')");
  }

  private void shard(String definition, String shardColumn) throws SQLException {
    String table = definition.substring(0, definition.indexOf(' '));
    execute(node, "CREATE TABLE " + definition);
    shardExisting(table, shardColumn);
  }

  private void shardExisting(String table, String shardColumn) throws SQLException {
    try (Connection connection = NodeSql.connect(node)) {
      SCHEMA.shardTable(connection, table, shardColumn);
    }
  }

  private static void assertSqlState(String sqlState, String messagePart, Executable call) {
    SQLException e = assertThrows(SQLException.class, call);
    assertEquals(sqlState, e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(messagePart), e.getMessage());
  }
}
