package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sloppy quorum on 4 real nodes with N = 3, W = 2: with two nodes stopped, every bucket that kept
 * only one of its three replicas is still writeable, because the fourth node (a stand-in, outside
 * the bucket's preference list) keeps the write's images as a hint and counts as the second
 * acknowledgement; with {@code sloppyQuorum=false} the same writes fail with ZY001 and change
 * nothing. Once the nodes are back, handoff brings every replica up to date: each row is on exactly
 * its three replicas, identical, with the acknowledged value, and no hint is left.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloppyQuorumIT {

  private static final int KEYS = 120;

  private final PostgresCluster nodes;
  private Connection sloppy;
  private Connection strict;

  SloppyQuorumIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws SQLException {
    String url =
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes())
            + "/postgres?user=postgres&replicas=3&readQuorum=1&writeQuorum=2"
            + "&recoveryInterval=0&probeInterval=1";
    sloppy = DriverManager.getConnection(url);
    strict = DriverManager.getConnection(url + "&sloppyQuorum=false");
  }

  @AfterAll
  void close() throws SQLException {
    sloppy.close();
    strict.close();
    for (PostgresNode node : nodes.nodes()) {
      if (!node.isRunning()) {
        node.start();
      }
    }
  }

  @Test
  void bucketsWithOneReplicaLeftStayWriteableThroughStandIns() throws Exception {
    NodeSql.execute(sloppy, "CREATE TABLE kv (id bigint PRIMARY KEY, v text)");
    Map<Long, String> expected = new TreeMap<>();
    for (long id = 1; id <= KEYS; id++) {
      upsert(sloppy, id, "first " + id);
      expected.put(id, "first " + id);
    }
    List<PostgresNode> stopped = nodes.nodes().subList(2, 4);
    stopped.forEach(PostgresNode::stop);

    // Strict quorum: a key whose bucket kept one replica is refused, before anything is written.
    List<Long> oneReplicaLeft = new ArrayList<>();
    for (long id = 1; id <= KEYS; id++) {
      try {
        upsert(strict, id, "strict " + id);
        expected.put(id, "strict " + id);
      } catch (SQLException e) {
        assertEquals("ZY001", e.getSQLState(), e.getMessage());
        oneReplicaLeft.add(id);
      }
    }
    assertFalse(oneReplicaLeft.isEmpty(), "some bucket has two replicas on the stopped nodes");
    assertTrue(oneReplicaLeft.size() < KEYS, "some bucket kept two replicas");
    for (long id : oneReplicaLeft) {
      assertEquals("first " + id, readOne(id), "a refused write changed nothing");
    }

    // Sloppy quorum: every write succeeds, also where one replica is left.
    for (long id : oneReplicaLeft) {
      upsert(sloppy, id, "sloppy " + id);
      expected.put(id, "sloppy " + id);
    }
    StringBuilder rows = new StringBuilder();
    for (long id = KEYS + 1; id <= KEYS + 40; id++) {
      rows.append(rows.isEmpty() ? "" : ", ").append("(").append(id).append(", 'new ").append(id);
      rows.append("')");
      expected.put(id, "new " + id);
    }
    assertEquals(40, update(sloppy, "INSERT INTO kv VALUES " + rows), "a bulk insert, too");
    List<Long> deleted = oneReplicaLeft.subList(0, Math.min(5, oneReplicaLeft.size()));
    for (long id : deleted) {
      assertEquals(1, update(sloppy, "DELETE FROM kv WHERE id = " + id));
      expected.remove(id);
    }
    long updated = oneReplicaLeft.get(oneReplicaLeft.size() - 1);
    if (!deleted.contains(updated)) {
      assertEquals(1, update(sloppy, "UPDATE kv SET v = 'updated' WHERE id = " + updated));
      expected.put(updated, "updated");
    }
    for (Map.Entry<Long, String> row : expected.entrySet()) {
      assertEquals(row.getValue(), readOne(row.getKey()), "R = 1 reads the live replica");
    }
    // Reads still need R real replicas: hints are not read.
    try (Connection r2 =
            DriverManager.getConnection(
                "jdbc:zynamo://"
                    + NodeSql.seeds(nodes.nodes())
                    + "/postgres?user=postgres&readQuorum=2&recoveryInterval=0");
        PreparedStatement p = r2.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
      p.setLong(1, updated);
      assertEquals("ZY001", assertThrows(SQLException.class, p::executeQuery).getSQLState());
    }

    long hints = 0;
    for (PostgresNode node : nodes.nodes().subList(0, 2)) {
      hints += Long.parseLong(NodeSql.string(node, "SELECT count(*) FROM zynamo.hints"));
    }
    System.out.printf(
        "sloppy quorum: %d of %d keys had one replica left; %d hint batches kept%n",
        oneReplicaLeft.size(), KEYS, hints);
    stopped.forEach(PostgresNode::start);
    handOffEverything();

    Map<Long, List<String>> copies = new HashMap<>();
    for (PostgresNode node : nodes.nodes()) {
      assertEquals("0", NodeSql.string(node, "SELECT count(*) FROM zynamo.hints"), node.toString());
      try (Connection c = NodeSql.connect(node);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, r::text FROM kv r")) {
        while (rs.next()) {
          copies.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    }
    assertEquals(expected.keySet(), new java.util.TreeSet<>(copies.keySet()), "rows present");
    for (Map.Entry<Long, List<String>> row : copies.entrySet()) {
      List<String> replicas = row.getValue();
      assertEquals(3, replicas.size(), "row " + row.getKey() + " on its 3 replicas: " + replicas);
      assertEquals(1, replicas.stream().distinct().count(), "identical: " + replicas);
      assertTrue(
          replicas.get(0).contains(expected.get(row.getKey())),
          row.getKey() + ": " + replicas.get(0));
    }
  }

  /** Runs handoff passes until no hint is left (the probe finds the nodes back within seconds). */
  private void handOffEverything() throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Statement s = sloppy.createStatement();
          ResultSet rs = s.executeQuery("SELECT zynamo.handoff()")) {
        rs.next();
        if (rs.getLong("remaining") == 0) {
          return;
        }
      }
      assertTrue(System.nanoTime() < deadline, "hints handed off within 30 s");
      Thread.sleep(200);
    }
  }

  private static void upsert(Connection c, long id, String v) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO kv VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v")) {
      p.setLong(1, id);
      p.setString(2, v);
      assertEquals(1, p.executeUpdate());
    }
  }

  private String readOne(long id) throws SQLException {
    try (PreparedStatement p = sloppy.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
      p.setLong(1, id);
      try (ResultSet rs = p.executeQuery()) {
        assertTrue(rs.next(), "row " + id);
        return rs.getString(1);
      }
    }
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    }
  }
}
