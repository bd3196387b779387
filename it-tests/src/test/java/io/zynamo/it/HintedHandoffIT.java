package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hinted handoff on 3 real nodes with N = 3, R = 1, W = 2: while one node is stopped, writes are
 * acknowledged by the other two and the images it misses wait as hints on the writes' coordinators
 * ({@code zynamo.hints}, invisible to queries); once it is back, {@code SELECT zynamo.handoff()}
 * brings it up to date, and every replica holds the same rows, versions and deletions. The
 * background pass is off ({@code recoveryInterval=0}) so that the test decides when hints move.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HintedHandoffIT {

  private final PostgresCluster nodes;
  private Connection zynamo;

  HintedHandoffIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    zynamo =
        DriverManager.getConnection(
            "jdbc:zynamo://"
                + NodeSql.seeds(nodes.nodes())
                + "/postgres?user=postgres&replicas=3&readQuorum=1&writeQuorum=2"
                + "&recoveryInterval=0&probeInterval=1");
    execute("CREATE TABLE kv (id bigint PRIMARY KEY, v text, n int)");
  }

  @AfterEach
  void restart() {
    for (PostgresNode node : nodes.nodes()) {
      if (!node.isRunning()) {
        node.start();
      }
    }
  }

  @AfterAll
  void close() throws SQLException {
    zynamo.close();
  }

  @Test
  void writesMissedByAStoppedNodeAreHandedOffOnceItIsBack() throws Exception {
    execute(insert(1, 60));
    PostgresNode stopped = nodes.node(2);
    String owner = NodeId.of(stopped.host(), stopped.port(), stopped.database()).value();
    stopped.stop();

    execute(insert(61, 160));
    execute("UPDATE kv SET v = 'changed', n = n + 1 WHERE id IN (1, 2, 3, 4, 5, 70, 71)");
    execute("DELETE FROM kv WHERE id IN (10, 11, 12, 80)");
    zynamo.setAutoCommit(false);
    execute(insert(161, 170));
    execute("UPDATE kv SET v = 'in a transaction' WHERE id IN (6, 7)");
    zynamo.commit();
    zynamo.setAutoCommit(true);

    long waiting =
        number("SELECT coalesce(sum(hints), 0) FROM zynamo.hints WHERE owner = '" + owner + "'");
    assertTrue(waiting > 0, "hints kept for the stopped node: " + waiting);
    assertEquals(166, number("SELECT count(*) FROM kv"), "hints never show in queries");
    for (PostgresNode node : nodes.nodes().subList(0, 2)) {
      assertEquals(
          List.of(owner), NodeSql.strings(node, "SELECT DISTINCT owner FROM zynamo.hints"));
    }

    stopped.start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    long handedOff = 0;
    while (System.nanoTime() < deadline) {
      long remaining;
      try (Statement s = zynamo.createStatement();
          ResultSet rs = s.executeQuery("SELECT zynamo.handoff()")) {
        rs.next();
        handedOff += rs.getLong("handed_off");
        remaining = rs.getLong("remaining");
      }
      if (remaining == 0) {
        break;
      }
      Thread.sleep(200); // until the probe finds the node back
    }
    assertEquals(waiting, handedOff, "every hint handed off once");
    for (PostgresNode node : nodes.nodes()) {
      assertEquals("0", NodeSql.string(node, "SELECT count(*) FROM zynamo.hints"), node.toString());
    }
    List<String> expected = NodeSql.snapshot(nodes.node(0), "kv");
    assertEquals(166, expected.size());
    for (PostgresNode node : nodes.nodes()) {
      assertEquals(expected, NodeSql.snapshot(node, "kv"), "rows and versions on " + node);
      assertEquals(
          NodeSql.strings(nodes.node(0), "SELECT rowid::text FROM zynamo.tombstones ORDER BY 1"),
          NodeSql.strings(node, "SELECT rowid::text FROM zynamo.tombstones ORDER BY 1"),
          "deletions on " + node);
    }
    assertEquals(0, number("SELECT count(*) FROM zynamo.hints"));
  }

  private static String insert(int from, int to) {
    StringBuilder values = new StringBuilder();
    for (int id = from; id <= to; id++) {
      values
          .append(values.isEmpty() ? "" : ", ")
          .append("(")
          .append(id)
          .append(", 'v")
          .append(id)
          .append("', ")
          .append(id % 10)
          .append(")");
    }
    return "INSERT INTO kv VALUES " + values;
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = zynamo.createStatement()) {
      s.execute(sql);
    }
  }

  private long number(String sql) throws SQLException {
    try (Statement s = zynamo.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
