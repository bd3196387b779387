package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.nio.file.Files;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Writers on 3 real nodes (N = 3, R = 2, W = 2) while a nemesis crashes one node ({@code pg_ctl -m
 * immediate}) and restarts it, pauses another (SIGSTOP of its postmaster and backends, then
 * SIGCONT), and stops the third cleanly and starts it again: one node at a time, so W replicas are
 * always there. Each writer owns its keys and writes checkable values (inserts, increments,
 * deletes); a write is acknowledged when its statement returned. After healing, one hinted handoff
 * and one repair pass, the checker reads every node directly: each acknowledged write is on all
 * three replicas with its latest value, no acknowledged delete came back, no row was invented, and
 * a write that failed is either everywhere or nowhere. Reads through Zynamo (R + W > N) see every
 * acknowledged write. With one node down for the whole run, no write fails at all.
 */
@ZynamoCluster(nodes = 3)
class FaultToleranceIT {

  private static final int WRITERS = 3;
  private static final long DELETED = -1;

  private final PostgresCluster nodes;

  /** The acknowledged state of each key: its value, or {@link #DELETED}. */
  private final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();

  /** Keys whose last write failed: it may or may not have happened. */
  private final Set<Long> uncertain = ConcurrentHashMap.newKeySet();

  private final AtomicLong operations = new AtomicLong();
  private final List<String> wrongCounts =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong failures = new AtomicLong();
  private final Map<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();

  FaultToleranceIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  private String url() {
    return "jdbc:zynamo://"
        + NodeSql.seeds(nodes.nodes())
        + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=2"
        + "&recoveryInterval=0&probeInterval=1&connectTimeout=2&socketTimeout=3";
  }

  /** The table of the running test (the cluster is shared by the class's tests). */
  private String table = "ledger";

  /** What happens to the nodes while the writers run. */
  @FunctionalInterface
  private interface Nemesis {
    void run() throws Exception;
  }

  @Test
  void acknowledgedWritesSurviveCrashesPausesAndStops() throws Exception {
    String report = workload("ledger", () -> {}, this::crashPauseStop);
    assertTrue(failures.get() < operations.get() / 20, report);
  }

  @Test
  void oneNodeDownForTheWholeRunFailsNothing() throws Exception {
    PostgresNode down = nodes.node(1);
    String report = workload("ledger_one_down", down::stop, () -> Thread.sleep(6000));
    assertEquals(0, failures.get(), report);
  }

  /**
   * Creates the table, runs {@code before}, then the writers while the nemesis does its work; then
   * heals, hands off, repairs and checks.
   */
  private String workload(String name, Nemesis before, Nemesis nemesis) throws Exception {
    table = name;
    try (Connection c = DriverManager.getConnection(url());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, v bigint NOT NULL)");
    }
    before.run();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> write(writer, running), "writer-" + w);
      t.start();
      writers.add(t);
    }
    try {
      nemesis.run();
    } finally {
      running.set(false);
      for (Thread t : writers) {
        t.join(30_000);
      }
      for (PostgresNode node : nodes.nodes()) {
        if (!node.isRunning()) {
          node.start();
        }
      }
    }
    return check();
  }

  /** One node at a time: crashed and restarted, paused and resumed, stopped and started. */
  private void crashPauseStop() throws Exception {
    Thread.sleep(1500);
    PostgresNode crashed = nodes.node(2);
    crashed.crash();
    Thread.sleep(2500);
    crashed.start();
    Thread.sleep(1500);
    PostgresNode paused = nodes.node(1);
    signal(paused, "STOP");
    Thread.sleep(2500);
    signal(paused, "CONT");
    Thread.sleep(1500);
    PostgresNode stopped = nodes.node(0);
    stopped.stop();
    Thread.sleep(2500);
    stopped.start();
    Thread.sleep(1500);
  }

  /** Heals, hands off, repairs, then checks every replica and every acknowledged write. */
  private String check() throws SQLException {
    long handedOff;
    String repaired;
    List<String> readProblems;
    try (Connection c = DriverManager.getConnection(url())) {
      handedOff = handOffAll(c);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT zynamo.repair()")) {
        rs.next();
        repaired = rs.getString("rows_repaired");
      }
      readProblems = checkReads(c);
    }
    Map<Long, Long> expected = new HashMap<>(acknowledged);
    List<Map<Long, Long>> replicas = new ArrayList<>();
    for (PostgresNode node : nodes.nodes()) {
      replicas.add(rows(node));
    }
    List<String> problems = new ArrayList<>(readProblems);
    problems.addAll(wrongCounts);
    for (Map.Entry<Long, Long> e : expected.entrySet()) {
      long id = e.getKey();
      if (uncertain.contains(id)) {
        continue;
      }
      for (int n = 0; n < replicas.size(); n++) {
        Long held = replicas.get(n).get(id);
        long want = e.getValue();
        if (want == DELETED ? held != null : held == null || held != want) {
          problems.add("node " + n + " key " + id + ": holds " + held + ", acknowledged " + want);
        }
      }
    }
    for (long id : uncertain) {
      Long first = replicas.get(0).get(id);
      for (int n = 1; n < replicas.size(); n++) {
        if (!java.util.Objects.equals(first, replicas.get(n).get(id))) {
          problems.add(
              "key "
                  + id
                  + " (write failed): replicas disagree "
                  + first
                  + " / "
                  + replicas.get(n).get(id));
        }
      }
    }
    for (Map<Long, Long> replica : replicas) {
      for (long id : replica.keySet()) {
        if (!expected.containsKey(id) && !uncertain.contains(id)) {
          problems.add("key " + id + " was never written");
        }
      }
    }
    String report =
        "operations "
            + operations.get()
            + ", acknowledged keys "
            + expected.size()
            + ", failed "
            + failures.get()
            + " "
            + failureKinds
            + ", hints handed off "
            + handedOff
            + ", rows repaired "
            + repaired;
    System.out.println("FaultToleranceIT " + table + ": " + report);
    assertTrue(expected.size() > 100, report);
    assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())), report);
    return report;
  }

  /** One writer: inserts its own keys, increments and deletes some of them, until told to stop. */
  private void write(int writer, AtomicBoolean running) {
    Random random = new Random(writer);
    List<Long> live = new ArrayList<>();
    long next = writer * 1_000_000L;
    try (Connection c = DriverManager.getConnection(url())) {
      while (running.get()) {
        int dice = random.nextInt(10);
        long id;
        String sql;
        long value;
        if (dice < 6 || live.isEmpty()) {
          id = ++next;
          value = 1;
          sql = "INSERT INTO " + table + " (id, v) VALUES (" + id + ", 1)";
        } else {
          id = live.get(random.nextInt(live.size()));
          if (dice < 9) {
            value = acknowledged.get(id) + 1;
            sql = "UPDATE " + table + " SET v = " + value + " WHERE id = " + id;
          } else {
            value = DELETED;
            sql = "DELETE FROM " + table + " WHERE id = " + id;
          }
        }
        operations.incrementAndGet();
        try (Statement s = c.createStatement()) {
          int count = s.executeUpdate(sql);
          if (count != 1) {
            wrongCounts.add(sql + ": " + count + " rows");
          }
          acknowledged.put(id, value);
          if (value == 1) {
            live.add(id);
          } else if (value == DELETED) {
            live.remove(id);
          }
        } catch (SQLException e) {
          failures.incrementAndGet();
          failureKinds.computeIfAbsent(e.getSQLState(), k -> new AtomicLong()).incrementAndGet();
          uncertain.add(id); // never written again: its replicas must merely agree
          live.remove(id);
          pause(200);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writer " + writer + " could not connect", e);
    }
  }

  /** Hands off every hint, waiting for the probe to see all nodes up; the hints handed off. */
  private static long handOffAll(Connection c) throws SQLException {
    long handed = 0;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT zynamo.handoff()")) {
        rs.next();
        handed += rs.getLong("handed_off");
        if (rs.getLong("remaining") == 0 || System.nanoTime() > deadline) {
          return handed;
        }
      }
      pause(300);
    }
  }

  /** Every acknowledged key read through Zynamo with R = 2 shows its acknowledged state. */
  private List<String> checkReads(Connection c) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
      for (Map.Entry<Long, Long> e : acknowledged.entrySet()) {
        if (uncertain.contains(e.getKey())) {
          continue;
        }
        p.setLong(1, e.getKey());
        try (ResultSet rs = p.executeQuery()) {
          Long read = rs.next() ? rs.getLong(1) : null;
          Long want = e.getValue() == DELETED ? null : e.getValue();
          if (!java.util.Objects.equals(want, read)) {
            List<String> held = new ArrayList<>(); // each node's row: value@version clock
            for (PostgresNode node : nodes.nodes()) {
              held.add(
                  NodeSql.strings(
                          node,
                          "SELECT v || '@' || zynamo_version || ' ' || zynamo_clock::text FROM "
                              + table
                              + " WHERE id = "
                              + e.getKey())
                      .toString());
            }
            problems.add(
                "read of key " + e.getKey() + ": " + read + ", acknowledged " + want + " " + held);
          }
        }
      }
    }
    return problems;
  }

  private Map<Long, Long> rows(PostgresNode node) throws SQLException {
    Map<Long, Long> rows = new HashMap<>();
    try (Connection c = NodeSql.connect(node);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, v FROM " + table)) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getLong(2));
      }
    }
    return rows;
  }

  /** Sends a signal to a node's postmaster and every process it started (its backends). */
  private static void signal(PostgresNode node, String signal)
      throws IOException, InterruptedException {
    String pid = Files.readAllLines(node.dataDirectory().resolve("postmaster.pid")).get(0).strip();
    Process kill =
        new ProcessBuilder(
                "sh", "-c", "pkill -" + signal + " -P " + pid + "; kill -" + signal + " " + pid)
            .inheritIO()
            .start();
    kill.waitFor();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
