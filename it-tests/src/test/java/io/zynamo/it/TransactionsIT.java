package io.zynamo.it;

import static io.zynamo.it.SideBySide.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Transactions on a cluster: node 0 is one plain PostgreSQL, nodes 1-3 a Zynamo cluster with N=3,
 * R=2, W=2 (every bucket on every node, each bucket's home the first of its replicas, so a
 * transaction over a few keys writes on several nodes and commits with two-phase commit).
 * Background recovery is off ({@code recoveryInterval=0}) so that each test decides when it runs.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsIT {

  private static final String ACCOUNTS =
      "CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= -1000000),"
          + " note text)";
  private static final int ACCOUNT_COUNT = 40;
  private static final long OPENING = 1000;

  private final PostgresCluster nodes;
  private String url;
  private Connection plain;
  private Connection zynamo;
  private SideBySide sides;
  private List<PostgresNode> members;

  TransactionsIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    members = nodes.nodes().subList(1, 4);
    url =
        "jdbc:zynamo://"
            + NodeSql.seeds(members)
            + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=2&recoveryInterval=0";
    plain = DriverManager.getConnection(nodes.node(0).jdbcUrl(), "postgres", "");
    zynamo = DriverManager.getConnection(url);
    sides = new SideBySide(plain, zynamo);
    for (Connection c : List.of(plain, zynamo)) {
      try (Statement s = c.createStatement()) {
        s.execute(ACCOUNTS);
        s.execute("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
      }
    }
  }

  @AfterAll
  void disconnect() throws SQLException {
    zynamo.close();
    plain.close();
  }

  /** Every replica holds the same rows of the table (N = 3 on 3 nodes: every node, every row). */
  private void assertReplicasAgree(String table) throws SQLException {
    List<String> first = NodeSql.snapshot(members.get(0), table);
    for (PostgresNode node : members.subList(1, 3)) {
      assertEquals(first, NodeSql.snapshot(node, table), table + " on " + node);
    }
  }

  private void assertNoPreparedTransactions() throws SQLException {
    for (PostgresNode node : members) {
      assertEquals(
          List.of(),
          NodeSql.strings(node, "SELECT gid FROM pg_prepared_xacts"),
          "prepared transactions left on " + node);
    }
  }

  @Test
  void aTransactionOverSeveralNodesCommitsAtomicallyAndReadsItsOwnWrites() throws SQLException {
    sides.both("BEGIN");
    for (int id = 1; id <= 12; id++) {
      sides.both("INSERT INTO notes VALUES (" + id + ", 'n" + id + "')");
    }
    sides.both("UPDATE notes SET body = body || '!' WHERE id IN (2, 3, 5, 7, 11)");
    // Inside the transaction: its own writes, by key and by key list.
    sides.assertSameRows("SELECT id, body FROM notes WHERE id = 7");
    // (Without ORDER BY: an ordered key list is finished cluster-wide, refused after a write.)
    String list = "SELECT id, body FROM notes WHERE id IN (1, 2, 3, 4, 5, 6)";
    assertEquals(sorted(rows(plain, list)), sorted(rows(zynamo, list)));
    // Another session sees none of it before COMMIT.
    try (Connection other = DriverManager.getConnection(url)) {
      assertEquals(List.of(), rows(other, "SELECT id FROM notes WHERE id IN (1, 2, 3)"));
    }
    sides.both("COMMIT");
    sides.assertSameRows("SELECT id, body FROM notes WHERE id <= 12 ORDER BY id");
    assertReplicasAgree("notes");
    assertNoPreparedTransactions();
  }

  private static List<String> sorted(List<String> rows) {
    return rows.stream().sorted().toList();
  }

  @Test
  void rollbackAndFailuresLeaveNothingOnAnyNode() throws SQLException {
    sides.both("BEGIN", "INSERT INTO notes VALUES (100, 'gone'), (101, 'gone too')", "ROLLBACK");
    // An error fails the transaction: every later statement is refused until ROLLBACK, and
    // COMMIT then rolls back, as in PostgreSQL.
    for (Connection c : List.of(plain, zynamo)) {
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN");
        s.execute("INSERT INTO notes VALUES (102, 'x')");
        assertThrows(SQLException.class, () -> s.execute("INSERT INTO notes VALUES (103, NULL)"));
        SQLException aborted =
            assertThrows(SQLException.class, () -> s.execute("SELECT * FROM notes WHERE id = 1"));
        assertEquals("25P02", aborted.getSQLState(), aborted.getMessage());
        s.execute("COMMIT");
      }
    }
    sides.assertSameRows("SELECT id FROM notes WHERE id BETWEEN 100 AND 199 ORDER BY id");
    for (PostgresNode node : members) {
      assertEquals(
          "0", NodeSql.string(node, "SELECT count(*) FROM notes WHERE id BETWEEN 100 AND 199"));
    }
    assertNoPreparedTransactions();
  }

  @Test
  void savepointsUndoWorkOnNodesThatJoinedLater() throws SQLException {
    sides.both(
        "BEGIN",
        "INSERT INTO notes VALUES (201, 'kept')",
        "SAVEPOINT a",
        "INSERT INTO notes VALUES (202, 'undone'), (203, 'undone'), (204, 'undone')",
        "UPDATE notes SET body = 'changed' WHERE id = 201",
        "ROLLBACK TO SAVEPOINT a",
        "INSERT INTO notes VALUES (205, 'after')",
        "SAVEPOINT b");
    // An error after a savepoint: ROLLBACK TO makes the transaction usable again.
    for (Connection c : List.of(plain, zynamo)) {
      try (Statement s = c.createStatement()) {
        assertThrows(SQLException.class, () -> s.execute("INSERT INTO notes VALUES (201, 'dup')"));
        s.execute("ROLLBACK TO b");
        SQLException missing =
            assertThrows(SQLException.class, () -> s.execute("ROLLBACK TO SAVEPOINT nope"));
        assertEquals("3B001", missing.getSQLState());
        s.execute("ROLLBACK TO b"); // the failed ROLLBACK TO failed the transaction
      }
    }
    sides.both("RELEASE SAVEPOINT a", "COMMIT");
    sides.assertSameRows("SELECT id, body FROM notes WHERE id > 200 ORDER BY id");
    assertReplicasAgree("notes");
    assertNoPreparedTransactions();
  }

  @Test
  void jdbcTransactionsWithSavepoints() throws SQLException {
    for (Connection c : List.of(plain, zynamo)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO notes VALUES (301, 'one')");
        Savepoint sp = c.setSavepoint();
        s.execute("INSERT INTO notes VALUES (302, 'two')");
        c.rollback(sp);
        s.execute("INSERT INTO notes VALUES (303, 'three')");
        c.commit();
        s.execute("INSERT INTO notes VALUES (304, 'four')");
        c.rollback();
      } finally {
        c.setAutoCommit(true);
      }
    }
    sides.assertSameRows("SELECT id, body FROM notes WHERE id > 300 ORDER BY id");
    assertReplicasAgree("notes");
  }

  @Test
  void selectForUpdateByKeyMakesAConcurrentWriterWait() throws Exception {
    try (Statement s = zynamo.createStatement()) {
      s.execute("INSERT INTO notes VALUES (401, 'locked')");
      s.execute("BEGIN");
      assertEquals(
          List.of("401|locked"),
          rows(zynamo, "SELECT id, body FROM notes WHERE id = 401 FOR UPDATE"));
      CompletableFuture<Integer> writer =
          CompletableFuture.supplyAsync(
              () -> {
                try (Connection other = DriverManager.getConnection(url);
                    Statement o = other.createStatement()) {
                  return o.executeUpdate("UPDATE notes SET body = 'second' WHERE id = 401");
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(500);
      assertFalse(writer.isDone(), "the writer waits for the lock");
      s.execute("UPDATE notes SET body = 'first' WHERE id = 401");
      s.execute("COMMIT");
      assertEquals(1, writer.get(10, TimeUnit.SECONDS));
    }
    assertEquals(List.of("second"), rows(zynamo, "SELECT body FROM notes WHERE id = 401"));
    assertReplicasAgree("notes");
  }

  @Test
  void repeatableReadKeepsItsSnapshotPerNode() throws SQLException {
    try (Statement s = zynamo.createStatement();
        Connection other = DriverManager.getConnection(url);
        Statement o = other.createStatement()) {
      s.execute("INSERT INTO notes VALUES (501, 'old')");
      s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
      assertEquals(List.of("old"), rows(zynamo, "SELECT body FROM notes WHERE id = 501"));
      o.execute("UPDATE notes SET body = 'new' WHERE id = 501");
      assertEquals(List.of("old"), rows(zynamo, "SELECT body FROM notes WHERE id = 501"));
      SQLException late =
          assertThrows(
              SQLException.class,
              () -> s.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"));
      assertEquals("25001", late.getSQLState());
      s.execute("ROLLBACK");
      assertEquals(List.of("new"), rows(zynamo, "SELECT body FROM notes WHERE id = 501"));
    }
  }

  @Test
  void whatATransactionCannotHonourIsRefused() throws SQLException {
    try (Statement s = zynamo.createStatement()) {
      SQLException serializable =
          assertThrows(SQLException.class, () -> s.execute("BEGIN ISOLATION LEVEL SERIALIZABLE"));
      assertEquals("0A000", serializable.getSQLState());
      s.execute("BEGIN");
      SQLException ddl =
          assertThrows(SQLException.class, () -> s.execute("CREATE TABLE t_in_tx (id int)"));
      assertEquals("0A000", ddl.getSQLState());
      s.execute("ROLLBACK");
      s.execute("BEGIN");
      s.execute("INSERT INTO notes VALUES (601, 'x')");
      SQLException coverage =
          assertThrows(SQLException.class, () -> s.execute("SELECT count(*) FROM notes"));
      assertEquals("0A000", coverage.getSQLState());
      s.execute("ROLLBACK");
      SQLException twoPhase =
          assertThrows(SQLException.class, () -> s.execute("PREPARE TRANSACTION 'mine'"));
      assertEquals("0A000", twoPhase.getSQLState());
    }
  }

  /** The id PostgreSQL sees for a prepared participant whose decision node is {@code node}. */
  private String gid(UUID txid, PostgresNode node) throws Exception {
    String id = node.host() + ":" + node.port() + "/" + node.database();
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
    return "zynamo:" + txid + ":" + HexFormat.of().formatHex(digest, 0, 8);
  }

  /** Prepares, on {@code node}, a transaction that adds a row to a table of that node alone. */
  private static void prepareLocalRow(PostgresNode node, String gid, int value)
      throws SQLException {
    try (Connection c = NodeSql.connect(node);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS local_marks (v int)");
      s.execute("BEGIN");
      s.execute("INSERT INTO local_marks VALUES (" + value + ")");
      s.execute("PREPARE TRANSACTION '" + gid + "'");
    }
  }

  @Test
  void recoveryCommitsWhatWasDecidedAndRollsBackTheRest() throws Exception {
    PostgresNode decider = members.get(0);
    PostgresNode participant = members.get(1);
    UUID committed = UUID.randomUUID();
    UUID abandoned = UUID.randomUUID();
    UUID pending = UUID.randomUUID();
    NodeSql.execute(
        decider,
        "INSERT INTO zynamo.decisions (txid, outcome) VALUES ('" + committed + "', 'commit')");
    prepareLocalRow(participant, gid(committed, decider), 1);
    prepareLocalRow(participant, gid(abandoned, decider), 2);
    prepareLocalRow(participant, gid(pending, decider), 3);
    // The coordinator of "pending" is still deciding: its decision row is not committed yet.
    try (Connection coordinator = NodeSql.connect(decider);
        Statement s = coordinator.createStatement()) {
      s.execute("BEGIN");
      s.execute(
          "INSERT INTO zynamo.decisions (txid, outcome) VALUES ('" + pending + "', 'commit')");

      assertEquals(List.of("1|1|1"), rows(zynamo, "SELECT zynamo.recover()"));
      assertEquals(List.of("1"), NodeSql.strings(participant, "SELECT v FROM local_marks"));

      s.execute("COMMIT");
    }
    assertEquals(List.of("1|0|0"), rows(zynamo, "SELECT zynamo.recover()"));
    assertEquals(
        List.of("1", "3"), NodeSql.strings(participant, "SELECT v FROM local_marks ORDER BY v"));
    assertEquals(
        "abort",
        NodeSql.string(
            decider, "SELECT outcome FROM zynamo.decisions WHERE txid = '" + abandoned + "'"));
    assertNoPreparedTransactions();
  }

  /**
   * The bank: transfers between 40 accounts run in a child JVM, which is killed (SIGKILL) while
   * they commit, three times. After each kill, recovery runs at the start of a new driver instance,
   * and then: no prepared transaction is left, the total is unchanged, and the three replicas of
   * every account agree.
   */
  @Test
  void killedMidCommitTheBankKeepsItsTotal() throws Exception {
    StringBuilder values = new StringBuilder();
    for (int id = 0; id < ACCOUNT_COUNT; id++) {
      values
          .append(id == 0 ? "" : ", ")
          .append('(')
          .append(id)
          .append(", ")
          .append(OPENING)
          .append(')');
    }
    try (Statement s = zynamo.createStatement()) {
      s.execute("INSERT INTO accounts (id, balance) VALUES " + values);
    }
    long total = ACCOUNT_COUNT * OPENING;
    long transfers = 0;
    int inDoubt = 0;
    for (int round = 0; round < 3; round++) {
      transfers += runAndKill(round);
      for (PostgresNode node : members) {
        inDoubt += NodeSql.strings(node, "SELECT gid FROM pg_prepared_xacts").size();
      }
      // A new driver instance (other seeds: its own Cluster) recovers at start.
      String fresh =
          "jdbc:zynamo://"
              + NodeSql.seeds(List.of(members.get(2), members.get(round % 2)))
              + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=2";
      try (Connection c = DriverManager.getConnection(fresh)) {
        waitForNoPreparedTransactions(Duration.ofSeconds(20));
        assertEquals(List.of(Long.toString(total)), rows(c, "SELECT sum(balance) FROM accounts"));
      }
      for (PostgresNode node : members) {
        assertEquals(
            Long.toString(total), NodeSql.string(node, "SELECT sum(balance) FROM accounts"));
      }
      List<String> reference =
          NodeSql.strings(members.get(0), "SELECT id || ':' || balance FROM accounts ORDER BY id");
      for (PostgresNode node : members) {
        assertEquals(
            reference,
            NodeSql.strings(node, "SELECT id || ':' || balance FROM accounts ORDER BY id"),
            "replica " + node);
      }
    }
    assertTrue(transfers > 0, "the workload committed transfers");
    System.out.println(
        "TransactionsIT: "
            + transfers
            + " transfers in 3 killed runs; "
            + inDoubt
            + " prepared transactions found after the kills, all recovered");
  }

  /** Starts the workload, lets it commit a while, kills it; the transfers it reported. */
  private long runAndKill(int round) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                BankTransfers.class.getName(),
                url.replace("recoveryInterval=0", "recoveryInterval=0&poolSize=20"),
                Integer.toString(ACCOUNT_COUNT),
                "8")
            .redirectErrorStream(true)
            .start();
    AtomicLong committed = new AtomicLong();
    List<String> failures = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("committed ")) {
                    committed.set(Long.parseLong(line.substring(10)));
                  } else if (failures.size() < 20) {
                    failures.add(line);
                  }
                }
              } catch (java.io.IOException e) {
                // the child is gone
              }
            });
    reader.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (committed.get() < 200 && System.nanoTime() < deadline && child.isAlive()) {
      Thread.sleep(50);
    }
    Thread.sleep(100L * round); // kill at a different moment each round
    child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    reader.join(5000);
    assertTrue(committed.get() >= 200, "round " + round + ": " + committed + " " + failures);
    System.out.println(
        "TransactionsIT round "
            + round
            + ": "
            + committed
            + " transfers committed before the kill;"
            + " other output: "
            + failures);
    return committed.get();
  }

  private void waitForNoPreparedTransactions(Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      boolean any = false;
      for (PostgresNode node : members) {
        any |= !NodeSql.strings(node, "SELECT gid FROM pg_prepared_xacts").isEmpty();
      }
      if (!any) {
        return;
      }
      if (System.nanoTime() > deadline) {
        assertNoPreparedTransactions();
      }
      Thread.sleep(100);
    }
  }
}
