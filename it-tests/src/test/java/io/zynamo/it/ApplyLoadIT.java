package io.zynamo.it;

import static io.zynamo.it.NodeSql.executeOnEach;
import static io.zynamo.it.NodeSql.snapshot;
import static io.zynamo.it.NodeSql.string;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zynamo.driver.catalog.ApplyResult;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.driver.catalog.NodeSchema;
import io.zynamo.driver.execution.NodeSchemaReplication;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** zynamo.apply under concurrency, and how long it takes for a thousand rows. */
@ZynamoCluster(nodes = 2)
class ApplyLoadIT {

  private static final NodeSchema SCHEMA = SchemaFixture.SCHEMA;
  private static final ExecutorService THREADS = Executors.newCachedThreadPool();

  static PostgresCluster cluster;

  @BeforeAll
  static void installed() throws SQLException {
    SchemaFixture.installOn(cluster.nodes());
  }

  @AfterAll
  static void stopThreads() {
    THREADS.shutdownNow();
  }

  @Test
  void olderInsertWaitsForAConcurrentDeleteOfTheSameRowAndLoses() throws Exception {
    createSharded("race_after_delete (id int PRIMARY KEY)");
    Coordinator coordinator = SchemaFixture.coordinator(cluster.node(0), "n1");
    List<ChangeRecord> insert =
        coordinator.write(1, 100, "INSERT INTO race_after_delete VALUES (1)");
    List<ChangeRecord> delete = coordinator.write(1, 200, "DELETE FROM race_after_delete");
    PostgresNode replica = cluster.node(1);

    try (Connection deleting = NodeSql.connect(replica)) {
      deleting.setAutoCommit(false);
      assertEquals(new ApplyResult(1, 0), SCHEMA.apply(deleting, "race_after_delete", delete));
      Future<ApplyResult> inserting =
          THREADS.submit(() -> SchemaFixture.apply(replica, "race_after_delete", insert));
      awaitAdvisoryLockWaiter(replica);
      deleting.commit();

      assertEquals(new ApplyResult(0, 1), inserting.get(30, TimeUnit.SECONDS));
    }
    assertEquals("0", string(replica, "SELECT count(*) FROM race_after_delete"));
  }

  @Test
  void deleteWaitsForAConcurrentOlderInsertOfTheSameRowAndRemovesIt() throws Exception {
    createSharded("race_after_insert (id int PRIMARY KEY)");
    Coordinator coordinator = SchemaFixture.coordinator(cluster.node(0), "n1");
    List<ChangeRecord> insert =
        coordinator.write(1, 100, "INSERT INTO race_after_insert VALUES (1)");
    List<ChangeRecord> delete = coordinator.write(1, 200, "DELETE FROM race_after_insert");
    PostgresNode replica = cluster.node(1);

    try (Connection inserting = NodeSql.connect(replica)) {
      inserting.setAutoCommit(false);
      assertEquals(new ApplyResult(1, 0), SCHEMA.apply(inserting, "race_after_insert", insert));
      Future<ApplyResult> deleting =
          THREADS.submit(() -> SchemaFixture.apply(replica, "race_after_insert", delete));
      awaitAdvisoryLockWaiter(replica);
      inserting.commit();

      assertEquals(new ApplyResult(1, 0), deleting.get(30, TimeUnit.SECONDS));
    }
    assertEquals("0", string(replica, "SELECT count(*) FROM race_after_insert"));
  }

  @Test
  void concurrentBatchesOfInsertsDoNotWaitForEachOther() throws Exception {
    createSharded("parallel_rows (id int PRIMARY KEY)");
    Coordinator coordinator = SchemaFixture.coordinator(cluster.node(0), "n1");
    List<ChangeRecord> firstBatch =
        coordinator.write(1, 100, "INSERT INTO parallel_rows SELECT generate_series(1, 200)");
    List<ChangeRecord> secondBatch =
        coordinator.write(1, 100, "INSERT INTO parallel_rows SELECT generate_series(201, 400)");
    PostgresNode replica = cluster.node(1);

    try (Connection open = NodeSql.connect(replica)) {
      open.setAutoCommit(false);
      SCHEMA.apply(open, "parallel_rows", firstBatch);
      Future<ApplyResult> other =
          THREADS.submit(() -> SchemaFixture.apply(replica, "parallel_rows", secondBatch));

      assertEquals(new ApplyResult(200, 0), other.get(30, TimeUnit.SECONDS));
      open.commit();
    }
    assertEquals(snapshot(cluster.node(0), "parallel_rows"), snapshot(replica, "parallel_rows"));
  }

  /**
   * Several appliers of the same new rows at the same moment (read repair racing a write's own
   * replication): PostgreSQL fails all but one of concurrent {@code INSERT ... ON CONFLICT
   * (zynamo_rowid)} of the same row with 23505 on the table's primary key; the replication retries
   * such an apply once, so every applier succeeds and the rows are there once.
   */
  @Test
  void concurrentAppliesOfTheSameNewRowsAllSucceed() throws Exception {
    createSharded("same_rows (id int PRIMARY KEY, v text)");
    Coordinator coordinator = SchemaFixture.coordinator(cluster.node(0), "n1");
    PostgresNode replica = cluster.node(1);
    NodeSchemaReplication replication = new NodeSchemaReplication(SCHEMA);
    int appliers = 6;
    for (int round = 0; round < 15; round++) {
      int from = round * 20 + 1;
      List<ChangeRecord> rows =
          coordinator.write(
              1,
              1_000L + round,
              "INSERT INTO same_rows SELECT i, 'v' || i FROM generate_series("
                  + from
                  + ", "
                  + (from + 19)
                  + ") i");
      CyclicBarrier start = new CyclicBarrier(appliers);
      List<Future<Long>> applied = new java.util.ArrayList<>();
      for (int i = 0; i < appliers; i++) {
        applied.add(
            THREADS.submit(
                () -> {
                  try (Connection c = NodeSql.connect(replica)) {
                    start.await(30, TimeUnit.SECONDS);
                    return replication.apply(c, rows);
                  }
                }));
      }
      long total = 0;
      for (Future<Long> f : applied) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(20, total, "round " + round + ": each row applied once");
    }
    assertEquals(snapshot(cluster.node(0), "same_rows"), snapshot(replica, "same_rows"));
  }

  /**
   * A one-row write's images reach the stored row by its rowid index, whatever the planner guesses
   * of the images: up to schema version 10 the conflict count joined them with the table by a hash
   * join over a scan of the whole table, once the table held some ten thousand rows.
   */
  @Test
  void aOneRowApplyDoesNotScanTheTable() throws SQLException {
    createSharded("scanned (id int PRIMARY KEY, v text)");
    Coordinator coordinator = SchemaFixture.coordinator(cluster.node(0), "n1");
    PostgresNode replica = cluster.node(1);
    SchemaFixture.apply(
        replica,
        "scanned",
        coordinator.write(
            1, 100, "INSERT INTO scanned SELECT g, 'v' FROM generate_series(1, 20000) g"));
    NodeSql.execute(replica, "ANALYZE scanned");
    List<ChangeRecord> update =
        coordinator.write(1, 200, "UPDATE scanned SET v = 'w' WHERE id = 7");
    List<ChangeRecord> delete = coordinator.write(1, 300, "DELETE FROM scanned WHERE id = 8");
    try (Connection applying = NodeSql.connect(replica)) {
      applying.setAutoCommit(false);
      assertEquals(new ApplyResult(1, 0), SCHEMA.apply(applying, "scanned", update));
      assertEquals(new ApplyResult(1, 0), SCHEMA.apply(applying, "scanned", delete));
      // Scans of this transaction so far (counted before they reach the cumulative statistics).
      assertEquals(
          "0",
          NodeSql.string(
              applying,
              "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'scanned'::regclass"));
      applying.commit();
    }
    assertEquals(snapshot(cluster.node(0), "scanned"), snapshot(replica, "scanned"));
  }

  /**
   * One session applies to a table, the table gains a column, and the same session applies again:
   * the upsert a session prepares for a small batch belongs to the table's shape, so the second
   * apply writes the new column.
   */
  @Test
  void aSessionAppliesATableChangedSinceItsLastApply() throws SQLException {
    createSharded("reshaped (id int PRIMARY KEY, a text)");
    Coordinator coordinator = SchemaFixture.coordinator(cluster.node(0), "n1");
    PostgresNode replica = cluster.node(1);
    try (Connection applying = NodeSql.connect(replica)) {
      SCHEMA.apply(
          applying, "reshaped", coordinator.write(1, 100, "INSERT INTO reshaped VALUES (1, 'x')"));
      executeOnEach(cluster.nodes(), "ALTER TABLE reshaped ADD COLUMN b int");
      SCHEMA.apply(
          applying,
          "reshaped",
          coordinator.write(
              1, 200, "INSERT INTO reshaped VALUES (2, 'y', 7)", "UPDATE reshaped SET b = 3"));
    }
    assertEquals(snapshot(cluster.node(0), "reshaped"), snapshot(replica, "reshaped"));
    assertEquals("3,3", string(replica, "SELECT string_agg(b::text, ',') FROM reshaped"));
  }

  /** Prints timings for docs/node-schema.md; asserts only that the replicas end identical. */
  @Test
  void thousandRowBatchesApplyInMilliseconds() throws SQLException {
    String columns =
        " (id int PRIMARY KEY, label text, price numeric, created timestamptz DEFAULT now(),"
            + " doc jsonb, noise float8 DEFAULT random())";
    createSharded("timed_rows" + columns);
    executeOnEach(cluster.nodes(), "CREATE TABLE untimed_rows" + columns);
    Coordinator coordinator = SchemaFixture.coordinator(cluster.node(0), "n1");
    String rows =
        " SELECT i, 'label ' || i, i * 1.25, now(), jsonb_build_object('i', i, 'tags', '[1, 2]'),"
            + " random() FROM generate_series(1, 1000) i";
    for (int round = 1; round <= 3; round++) {
      executeOnEach(cluster.nodes(), "TRUNCATE timed_rows", "TRUNCATE untimed_rows");
      long plain = System.nanoTime();
      NodeSql.execute(cluster.node(0), "INSERT INTO untimed_rows" + rows);
      plain = System.nanoTime() - plain;
      time(round, "plain insert (no Zynamo)", plain, 0);
      long started = System.nanoTime();
      List<ChangeRecord> inserts =
          coordinator.write(3, round * 1_000L, "INSERT INTO timed_rows" + rows);
      time(round, "insert + capture + drain", System.nanoTime() - started, 0);
      timedApply(round, "apply inserts", inserts);
      List<ChangeRecord> updates =
          coordinator.write(3, round * 1_000L + 1, "UPDATE timed_rows SET price = price + 1");
      timedApply(round, "apply updates", updates);
      List<ChangeRecord> deletes =
          coordinator.write(3, round * 1_000L + 2, "DELETE FROM timed_rows WHERE id % 2 = 0");
      timedApply(round, "apply deletes", deletes);
      assertEquals(
          snapshot(cluster.node(0), "timed_rows"), snapshot(cluster.node(1), "timed_rows"));
    }
  }

  private void timedApply(int round, String what, List<ChangeRecord> images) throws SQLException {
    long started = System.nanoTime();
    ApplyResult result = SchemaFixture.apply(cluster.node(1), "timed_rows", images);
    time(round, what, System.nanoTime() - started, result.applied());
    assertEquals(images.size(), result.applied());
  }

  private static void time(int round, String what, long nanos, int applied) {
    System.out.printf(
        Locale.ROOT,
        "apply timing round %d: %-26s %7.1f ms%s%n",
        round,
        what,
        nanos / 1e6,
        applied > 0 ? " (" + applied + " images)" : "");
  }

  private static void createSharded(String definition) throws SQLException {
    SchemaFixture.createSharded(cluster.nodes(), definition, "id");
  }

  /** Waits until a session on the node waits for an advisory lock (a stripe of zynamo.apply). */
  private static void awaitAdvisoryLockWaiter(PostgresNode node) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String waiting =
          string(
              node,
              "SELECT count(*) FROM pg_stat_activity"
                  + " WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'");
      if (!waiting.equals("0")) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no session waited for an apply stripe lock within 30 s");
  }
}
