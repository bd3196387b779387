package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.ZynamoUrl;
import io.zynamo.driver.execution.Engine;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A move survives the instance that started it: instance A adds a node of weight 200 (N = 1) and
 * pauses the move; A goes away with the ring still in its first step (reads on the old table,
 * writes to both); instance B, opened afterwards on the same seeds, finds the move in the ring and
 * carries it to its end. The new node then holds its weighted share (half of the buckets, the two
 * others a quarter each), and every row is there once. Also: a second move is refused while one is
 * under way.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MoveResumeIT {

  private static final int ROWS = 1000;
  private static final int DURING = 20;

  private final PostgresCluster nodes;

  MoveResumeIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  private ZynamoUrl url() throws SQLException {
    return ZynamoUrl.parse(
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes().subList(0, 2))
            + "/postgres?user=postgres&replicas=1&probeInterval=1");
  }

  @Test
  void aPausedMoveIsCarriedOnByAnInstanceOpenedLater() throws Exception {
    PostgresNode joining = nodes.node(2);
    String name = "'" + joining.host() + ":" + joining.port() + "'";
    try (Engine a = new Engine(Clock.systemUTC())) {
      StatementExecutor s = a.open(url());
      run(s, "CREATE TABLE kv (id bigint PRIMARY KEY, v text)");
      StringBuilder values = new StringBuilder();
      for (int i = 1; i <= ROWS; i++) {
        values.append(i > 1 ? "," : "").append("(").append(i).append(", 'v").append(i).append("')");
      }
      run(s, "INSERT INTO kv VALUES " + values);
      assertEquals("t", first(s, "SELECT zynamo.pause_move()"));
      List<String> started = rows(s, "SELECT * FROM zynamo.add_node(" + name + ", weight => 200)");
      assertTrue(started.get(0).startsWith(joining.host() + ":" + joining.port() + "/postgres|"));

      String other = "'" + nodes.node(3).host() + ":" + nodes.node(3).port() + "'";
      assertEquals("55000", state(s, "SELECT zynamo.add_node(" + other + ")"));
      assertEquals("55000", state(s, "SELECT zynamo.remove_node(" + name + ")"));
      assertTrue(
          Integer.parseInt(
                  first(s, "SELECT count(*) FROM zynamo.buckets WHERE moving_to IS NOT NULL"))
              > 0);
      Thread.sleep(500);
      assertEquals("t|0", first(s, "SELECT paused, buckets_copied FROM zynamo.moves"));
      // Writes during the first step reach the joining node too (half the buckets move there).
      for (int i = ROWS + 1; i <= ROWS + DURING; i++) {
        run(s, "INSERT INTO kv VALUES (" + i + ", 'during')");
      }
      assertFalse(
          NodeSql.string(joining, "SELECT count(*) FROM kv WHERE id > " + ROWS).equals("0"));
    }
    try (Engine b = new Engine(Clock.systemUTC())) {
      StatementExecutor s = b.open(url());
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!"done".equals(first(s, "SELECT phase FROM zynamo.moves"))) {
        assertTrue(
            System.nanoTime() < deadline,
            "the move did not finish: " + rows(s, "SELECT * FROM zynamo.moves"));
        Thread.sleep(100);
      }
      assertEquals(
          "0", first(s, "SELECT count(*) FROM zynamo.buckets WHERE moving_to IS NOT NULL"));
      List<String> loads = rows(s, "SELECT port, buckets FROM zynamo.nodes ORDER BY buckets DESC");
      assertEquals(joining.port() + "|128", loads.get(0), "weighted share: " + loads);
      assertEquals(
          List.of("64", "64"),
          rows(s, "SELECT buckets FROM zynamo.nodes WHERE port <> " + joining.port() + ""));
      assertEquals(Integer.toString(ROWS + DURING), first(s, "SELECT count(DISTINCT id) FROM kv"));
      assertEquals(Integer.toString(ROWS + DURING), first(s, "SELECT count(*) FROM kv"));
      long total = 0;
      for (PostgresNode n : nodes.nodes().subList(0, 3)) {
        total += Long.parseLong(NodeSql.string(n, "SELECT count(*) FROM kv"));
      }
      assertEquals(ROWS + DURING, total, "with N = 1, each row on one node: old copies deleted");
      assertFalse(NodeSql.string(joining, "SELECT count(*) FROM kv").equals("0"));

      // Three nodes with N = 1: removing one keeps one replica per bucket, and is allowed.
      run(s, "SELECT zynamo.remove_node(" + name + ")");
      deadline = System.nanoTime() + 60_000_000_000L;
      while (!"done".equals(first(s, "SELECT phase FROM zynamo.moves"))) {
        assertTrue(System.nanoTime() < deadline, "the removal did not finish");
        Thread.sleep(100);
      }
      assertEquals("0", NodeSql.string(joining, "SELECT count(*) FROM kv"));
      assertEquals(Integer.toString(ROWS + DURING), first(s, "SELECT count(*) FROM kv"));
      assertEquals("2", first(s, "SELECT count(*) FROM zynamo.nodes"));
    }
  }

  private static void run(StatementExecutor s, String sql) throws SQLException {
    Outcome o = s.execute(sql, List.of(), false);
    if (o instanceof Outcome.Rows r) {
      r.rows().close();
    }
  }

  private static List<String> rows(StatementExecutor s, String sql) throws SQLException {
    Outcome o = s.execute(sql, List.of(), false);
    try (ResultSet rs = ((Outcome.Rows) o).rows()) {
      return NodeSql.rows(rs);
    }
  }

  private static String first(StatementExecutor s, String sql) throws SQLException {
    return rows(s, sql).get(0);
  }

  private static String state(StatementExecutor s, String sql) {
    try {
      run(s, sql);
      return "none";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }
}
