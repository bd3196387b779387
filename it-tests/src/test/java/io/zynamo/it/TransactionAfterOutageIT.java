package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Writes inside {@code BEGIN ... COMMIT} on a replica back from an outage, before its hints are
 * handed off (3 nodes, N = 3, R = 1, W = 2, no background handoff): the transaction's home for a
 * bucket is the first replica that answers, here the one that missed the rows. Its writes by key
 * first bring the bucket's replicas up to date, as writes outside a transaction do, so an UPDATE
 * finds the row the home missed, and an INSERT of its key fails with 23505 instead of replacing it.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionAfterOutageIT {

  private final PostgresCluster nodes;
  private Connection zynamo;

  TransactionAfterOutageIT(PostgresCluster nodes) {
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

  @AfterAll
  void close() throws SQLException {
    zynamo.close();
  }

  @Test
  void aTransactionOnAReturnedReplicaSeesTheRowsItMissed() throws Exception {
    PostgresNode returned = nodes.node(2);
    String owner = NodeId.of(returned.host(), returned.port(), returned.database()).value();
    returned.stop();
    for (int id = 1; id <= 60; id++) {
      execute("INSERT INTO kv VALUES (" + id + ", 'v" + id + "', 0)");
    }
    returned.start();
    NodeSql.awaitEveryNodeUp(zynamo, nodes.nodes().size());

    List<Integer> homedThere = new ArrayList<>();
    for (int id = 1; id <= 60 && homedThere.size() < 4; id++) {
      if (firstReplica(id).equals(owner)) {
        homedThere.add(id);
      }
    }
    assertTrue(homedThere.size() >= 2, "keys whose first replica is the returned node");
    int updated = homedThere.get(0);
    int inserted = homedThere.get(1);
    assertEquals(
        "0", NodeSql.string(returned, "SELECT count(*) FROM kv WHERE id = " + updated), "missed");

    zynamo.setAutoCommit(false);
    try (Statement s = zynamo.createStatement()) {
      assertEquals(1, s.executeUpdate("UPDATE kv SET n = n + 100 WHERE id = " + updated));
      zynamo.commit();
      SQLException duplicate =
          assertThrows(
              SQLException.class,
              () -> s.executeUpdate("INSERT INTO kv VALUES (" + inserted + ", 'again', 7)"));
      assertEquals("23505", duplicate.getSQLState(), duplicate.getMessage());
      zynamo.rollback();
    } finally {
      zynamo.setAutoCommit(true);
    }

    for (PostgresNode node : nodes.nodes()) {
      assertEquals(
          List.of("100|v" + inserted),
          NodeSql.strings(
              node,
              "SELECT (SELECT n FROM kv WHERE id = "
                  + updated
                  + ") || '|' || (SELECT v FROM kv WHERE id = "
                  + inserted
                  + ")"),
          "the update and the first insert on " + node);
    }
  }

  /** The first replica of the key's bucket, as EXPLAIN shows it. */
  private String firstReplica(int id) throws SQLException {
    try (Statement s = zynamo.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN SELECT * FROM kv WHERE id = " + id)) {
      assertTrue(rs.next());
      String line = rs.getString(1);
      int start = line.indexOf("replicas [") + "replicas [".length();
      return line.substring(start, line.indexOf(',', start));
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = zynamo.createStatement()) {
      s.execute(sql);
    }
  }
}
