package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Grows a cluster from 1 to 2, 3 and 6 nodes and shrinks it back to 3 with {@code zynamo.add_node}
 * and {@code zynamo.remove_node}, while two read/write workloads run, one on the driver instance
 * that moves the buckets and one through a proxy (another instance, which learns each ring state by
 * gossip and which the move waits for, by its heartbeats): no statement fails, every acknowledged
 * write is there exactly once at the end (checked against the workload's log), reads by key see the
 * last acknowledged value, each node holds only the buckets the ring gives it, reference tables are
 * complete on every node, and a cluster-wide query uses ceil(M/N) nodes at every step.
 */
@ZynamoCluster(nodes = 6)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ElasticClusterIT {

  private static final int REPLICAS = 3;

  private final PostgresCluster nodes;
  private Connection admin;
  private String url;
  private ProxyServer proxy;

  ElasticClusterIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void connect() throws Exception {
    url =
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes().subList(0, 1))
            + "/postgres?user=postgres&replicas="
            + REPLICAS
            + "&probeInterval=1";
    admin = DriverManager.getConnection(url);
    proxy =
        ProxyServer.start(
            ProxyConfig.of(NodeSql.addresses(nodes.nodes().subList(0, 1)))
                .withPort(0)
                .withClusterProperties(Map.of("replicas", Integer.toString(REPLICAS))));
  }

  @AfterAll
  void close() throws Exception {
    admin.close();
    proxy.close();
  }

  @Test
  void growsFromOneToSixNodesAndShrinksToThreeUnderLoad() throws Exception {
    NodeSql.execute(admin, "CREATE TABLE kv (id bigint PRIMARY KEY, v bigint NOT NULL)");
    NodeSql.execute(admin, "CREATE TABLE tags (id bigint PRIMARY KEY, name text NOT NULL)");
    NodeSql.execute(admin, "SELECT zynamo.reference('tags')");
    Workload workload = new Workload(DriverManager.getConnection(url), 0);
    workload.load(1500);
    Workload proxied =
        new Workload(
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres"),
            1_000_000);
    proxied.load(500);
    Thread runner = new Thread(workload, "elastic-workload");
    Thread proxyRunner = new Thread(proxied, "elastic-proxy-workload");
    runner.start();
    proxyRunner.start();
    List<String> report = new ArrayList<>();
    try {
      assertCoverage(1);
      for (int k = 1; k < 6; k++) { // 1 -> 2 -> 3, then to 6 one node at a time
        report.add(step("add_node", nodes.node(k), k + 1));
      }
      for (int k = 5; k >= 3; k--) {
        report.add(step("remove_node", nodes.node(k), k));
      }
      // Three nodes, N = 3: without one, each bucket would keep only two replicas.
      PostgresNode third = nodes.node(2);
      SQLException refused =
          assertThrows(
              SQLException.class,
              () ->
                  NodeSql.execute(
                      admin,
                      "SELECT zynamo.remove_node('" + third.host() + ":" + third.port() + "')"));
      assertEquals("55000", refused.getSQLState(), refused.getMessage());
    } finally {
      workload.stop.set(true);
      proxied.stop.set(true);
      runner.join(60_000);
      proxyRunner.join(60_000);
      workload.connection.close();
      proxied.connection.close();
    }
    report.forEach(System.out::println);
    for (Workload w : List.of(workload, proxied)) {
      System.out.println(w);
      assertEquals(List.of(), w.failures, "failed statements");
      assertEquals(0, w.staleReads.get(), "reads by key that missed an acknowledged write");
      assertTrue(w.operations.get() > 200, "the workload ran: " + w);
    }
    // Both workloads write with W = 1 (their connections opened on a 1-node ring) and the check
    // reads one replica per bucket: a last write may still be on its way to the others. A repair
    // pass settles that; it cannot bring back a row no replica has.
    NodeSql.repair(admin, "");
    Map<Long, Long> logged = new TreeMap<>(workload.log);
    logged.putAll(proxied.log);
    checkEverythingThere(admin, logged);
    checkNodesHoldOnlyTheirBuckets(nodes.nodes().subList(0, 3));
    checkReferenceTableEverywhere(
        nodes.nodes().subList(0, 3), workload.tags.get() + proxied.tags.get());
  }

  /** One membership call, waited on; its line of the report. */
  private String step(String function, PostgresNode node, int members) throws Exception {
    long started = System.nanoTime();
    String copies;
    try (Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT * FROM zynamo."
                    + function
                    + "('"
                    + node.host()
                    + ":"
                    + node.port()
                    + "')")) {
      assertTrue(rs.next());
      copies = rs.getInt("copies") + " bucket copies (minimum " + rs.getInt("minimum_copies") + ")";
    }
    awaitMoveDone();
    assertEquals(
        members, Long.parseLong(NodeSql.string(admin, "SELECT count(*) FROM zynamo.nodes")));
    assertCoverage(members);
    return String.format(
        "%s %s -> %d nodes: %s, %.1f s",
        function, node.name(), members, copies, (System.nanoTime() - started) / 1e9);
  }

  private void awaitMoveDone() throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      try (Statement s = admin.createStatement();
          ResultSet rs = s.executeQuery("SELECT phase, error FROM zynamo.moves")) {
        assertTrue(rs.next(), "a move was started");
        assertEquals(null, rs.getString("error"));
        if ("done".equals(rs.getString("phase"))) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the move did not finish within 120 s");
      }
      Thread.sleep(100);
    }
  }

  /** A cluster-wide query's plan uses ceil(M/N) of the M nodes (every node while M <= N). */
  private void assertCoverage(int members) throws SQLException {
    int columns = Math.min(REPLICAS, members);
    int expected = (members + columns - 1) / columns;
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN SELECT count(*) FROM kv")) {
      assertTrue(rs.next());
      String first = rs.getString(1);
      if (members == 1) {
        return; // one node: the query runs there as it is
      }
      assertTrue(
          first.contains(expected + " of " + members + " nodes"),
          "M=" + members + ": expected " + expected + " nodes: " + first);
    }
  }

  /** Each node holds rows and tombstones only of the buckets zynamo.buckets gives it. */
  private void checkNodesHoldOnlyTheirBuckets(List<PostgresNode> members) throws SQLException {
    Map<String, List<Integer>> held = new TreeMap<>();
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT bucket, replicas FROM zynamo.buckets")) {
      while (rs.next()) {
        for (String node : (String[]) rs.getArray(2).getArray()) {
          held.computeIfAbsent(node, n -> new ArrayList<>()).add(rs.getInt(1));
        }
      }
    }
    assertEquals(members.size(), held.size(), "nodes holding buckets: " + held.keySet());
    for (PostgresNode node : members) {
      List<Integer> buckets =
          held.entrySet().stream()
              .filter(e -> e.getKey().startsWith(node.host() + ":" + node.port() + "/"))
              .findFirst()
              .orElseThrow()
              .getValue();
      String list = buckets.toString().replace('[', '{').replace(']', '}');
      assertEquals(
          "0",
          NodeSql.string(
              node,
              "SELECT count(*) FROM kv WHERE NOT (zynamo_bucket = ANY ('" + list + "'::int2[]))"),
          node.name() + " holds rows of buckets it does not hold");
      assertEquals(
          "0",
          NodeSql.string(
              node,
              "SELECT count(*) FROM zynamo.tombstones WHERE NOT (bucket = ANY ('"
                  + list
                  + "'::int2[]))"),
          node.name() + " holds tombstones of buckets it does not hold");
    }
  }

  private static void checkReferenceTableEverywhere(List<PostgresNode> members, long tags)
      throws SQLException {
    for (PostgresNode node : members) {
      assertEquals(
          Long.toString(tags),
          NodeSql.string(node, "SELECT count(*) FROM tags"),
          "reference table rows on " + node.name());
    }
  }

  /** Every logged row, once, with its last acknowledged value; nothing else. */
  static void checkEverythingThere(Connection zynamo, Map<Long, Long> log) throws SQLException {
    Map<Long, Long> found = new TreeMap<>();
    long rows = 0;
    try (Statement s = zynamo.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, v FROM kv")) {
      while (rs.next()) {
        found.put(rs.getLong(1), rs.getLong(2));
        rows++;
      }
    }
    assertEquals(found.size(), rows, "duplicated rows");
    assertEquals(log, found, "rows against the workload's log");
    assertEquals(rows, Long.parseLong(NodeSql.string(zynamo, "SELECT count(*) FROM kv")));
  }

  /**
   * Inserts (one row or three at once), updates, deletes and reads rows of {@code kv} by key on one
   * connection, and inserts into the reference table {@code tags}, logging every acknowledged
   * write.
   */
  private static final class Workload implements Runnable {
    final Connection connection;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong operations = new AtomicLong();
    final AtomicLong staleReads = new AtomicLong();
    final AtomicLong tags = new AtomicLong();
    final List<String> failures = new ArrayList<>();
    final Map<Long, Long> log = new ConcurrentHashMap<>();
    private final Random random = new Random(9);
    private final long offset;
    private long nextId = 1;

    /** Its keys and tags start after {@code offset}. */
    Workload(Connection connection, long offset) {
      this.connection = connection;
      this.offset = offset;
      this.nextId = offset + 1;
    }

    void load(int rows) throws SQLException {
      try (PreparedStatement s = connection.prepareStatement("INSERT INTO kv VALUES (?, 0)")) {
        for (int i = 0; i < rows; i++) {
          s.setLong(1, nextId);
          s.addBatch();
          log.put(nextId++, 0L);
        }
        s.executeBatch();
      }
    }

    @Override
    public void run() {
      while (!stop.get() && failures.size() < 20) {
        try {
          one();
          operations.incrementAndGet();
        } catch (SQLException e) {
          failures.add(e.getSQLState() + ": " + e.getMessage());
        }
      }
    }

    private void one() throws SQLException {
      int dice = random.nextInt(100);
      List<Long> ids = new ArrayList<>(log.keySet());
      long id = ids.isEmpty() ? 0 : ids.get(random.nextInt(ids.size()));
      if (dice < 5) {
        // One statement over several buckets: its pieces replicate in groups.
        long first = nextId;
        nextId += 3;
        try (PreparedStatement s =
            connection.prepareStatement("INSERT INTO kv VALUES (?, 0), (?, 0), (?, 0)")) {
          for (int i = 0; i < 3; i++) {
            s.setLong(i + 1, first + i);
          }
          s.executeUpdate();
        }
        for (int i = 0; i < 3; i++) {
          log.put(first + i, 0L);
        }
      } else if (dice < 40 || ids.isEmpty()) {
        long fresh = nextId++;
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO kv VALUES (?, 0)")) {
          s.setLong(1, fresh);
          s.executeUpdate();
        }
        log.put(fresh, 0L);
      } else if (dice < 70) {
        long v = log.get(id) + 1;
        try (PreparedStatement s =
            connection.prepareStatement("UPDATE kv SET v = ? WHERE id = ?")) {
          s.setLong(1, v);
          s.setLong(2, id);
          int changed = s.executeUpdate();
          if (changed != 1) {
            failures.add("UPDATE of " + id + " changed " + changed + " rows");
          }
        }
        log.put(id, v);
      } else if (dice < 80) {
        try (PreparedStatement s = connection.prepareStatement("DELETE FROM kv WHERE id = ?")) {
          s.setLong(1, id);
          int changed = s.executeUpdate();
          if (changed != 1) {
            failures.add("DELETE of " + id + " changed " + changed + " rows");
          }
        }
        log.remove(id);
      } else if (dice < 85) {
        long tag = offset + tags.incrementAndGet();
        try (PreparedStatement s = connection.prepareStatement("INSERT INTO tags VALUES (?, ?)")) {
          s.setLong(1, tag);
          s.setString(2, "tag " + tag);
          s.executeUpdate();
        }
      } else {
        try (PreparedStatement s = connection.prepareStatement("SELECT v FROM kv WHERE id = ?")) {
          s.setLong(1, id);
          try (ResultSet rs = s.executeQuery()) {
            if (!rs.next() || rs.getLong(1) != log.get(id)) {
              staleReads.incrementAndGet();
            }
          }
        }
      }
    }

    @Override
    public String toString() {
      return "workload: "
          + operations
          + " operations, "
          + log.size()
          + " rows, "
          + tags
          + " tags, "
          + failures.size()
          + " failed, "
          + staleReads
          + " stale reads";
    }
  }
}
