package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Writers with checkable values on a cluster (N = 3, R = 2, W = 2) while a nemesis hurts it, then
 * the checker: the workload of the fault tests ({@link FaultToleranceIT}, {@link NemesisIT}).
 *
 * <p>Each writer owns its keys and inserts, increments and deletes them; a write is acknowledged
 * when its statement returned, and about one acknowledged write in five is read back at once
 * through Zynamo (R + W > N: it must see it). After healing, one hinted handoff and one repair
 * pass, the checker reads every node directly: each acknowledged write is on every replica with its
 * latest value, no acknowledged delete came back, no row was invented, and a write that failed is
 * either everywhere or nowhere. Reads through Zynamo see every acknowledged write.
 */
final class CheckedWorkload {

  private static final int WRITERS = 3;
  private static final long DELETED = -1;

  /** What happens to the nodes while the writers run. */
  @FunctionalInterface
  interface Nemesis {
    void run() throws Exception;
  }

  private final String owner;
  private final List<PostgresNode> nodes;
  private final String url;
  private final String table;

  /** The acknowledged state of each key: its value, or {@link #DELETED}. */
  private final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();

  /** Keys whose last write failed: it may or may not have happened. */
  private final Set<Long> uncertain = ConcurrentHashMap.newKeySet();

  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong acknowledgements = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final Map<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();
  private final AtomicLong readsBack = new AtomicLong();
  private final Map<String, AtomicLong> readFailureKinds = new ConcurrentHashMap<>();
  private final LongAccumulator slowest = new LongAccumulator(Math::max, 0);
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final List<String> firstRepairs = new ArrayList<>();

  /**
   * @param owner the test class, first word of the report line
   * @param url the Zynamo URL every writer and the checker connect with
   * @param table a table of its own, created by {@link #run}
   */
  CheckedWorkload(String owner, List<PostgresNode> nodes, String url, String table) {
    this.owner = owner;
    this.nodes = List.copyOf(nodes);
    this.url = url;
    this.table = table;
  }

  /** Before the whole-cluster repair, {@code zynamo.repair(NULL, node)} of this node. */
  CheckedWorkload repairingFirst(String node) {
    firstRepairs.add(node);
    return this;
  }

  /** Writes tried so far. */
  long operations() {
    return operations.get();
  }

  /** Writes acknowledged so far. */
  long acknowledgements() {
    return acknowledgements.get();
  }

  /** Writes failed so far. */
  long failures() {
    return failures.get();
  }

  /** How many writes failed with each SQLState. */
  Map<String, Long> failureKinds() {
    Map<String, Long> kinds = new TreeMap<>();
    failureKinds.forEach((state, n) -> kinds.put(state, n.get()));
    return kinds;
  }

  /** The longest a write statement took, in milliseconds. */
  long slowestMillis() {
    return slowest.get();
  }

  /** A problem the nemesis found (checked with the others at the end). */
  void problem(String description) {
    problems.add(description);
  }

  /**
   * Creates the table, runs {@code before}, then the writers while the nemesis does its work; then
   * starts every node that is down, hands off, repairs and checks. Returns the report line.
   */
  String run(Nemesis before, Nemesis nemesis) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
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
        t.join(60_000);
        if (t.isAlive()) {
          problems.add(t.getName() + " still runs a statement 60 s after the end: it hangs");
        }
      }
      for (PostgresNode node : nodes) {
        if (!node.isRunning()) {
          node.start();
        }
      }
    }
    return check();
  }

  /** Heals, hands off, repairs, then checks every replica and every acknowledged write. */
  private String check() throws SQLException {
    long handedOff;
    long repaired = 0;
    List<String> readProblems;
    try (Connection c = DriverManager.getConnection(url)) {
      handedOff = handOffAll(c);
      for (String node : firstRepairs) {
        repaired += repair(c, "NULL, '" + node + "'");
      }
      repaired += repair(c, "");
      readProblems = checkReads(c);
    }
    Map<Long, Long> expected = new HashMap<>(acknowledged);
    List<Map<Long, Long>> replicas = new ArrayList<>();
    for (PostgresNode node : nodes) {
      replicas.add(rows(node));
    }
    List<String> found = new ArrayList<>(readProblems);
    found.addAll(problems);
    checkAcknowledged(expected, replicas, found);
    checkUncertain(replicas, found);
    for (Map<Long, Long> replica : replicas) {
      for (long id : replica.keySet()) {
        if (!expected.containsKey(id) && !uncertain.contains(id)) {
          found.add("key " + id + " was never written");
        }
      }
    }
    String report =
        "operations "
            + operations.get()
            + ", acknowledged "
            + acknowledgements.get()
            + " (keys "
            + expected.size()
            + "), failed "
            + failures.get()
            + " "
            + failureKinds()
            + ", read back "
            + readsBack.get()
            + " (failed "
            + readFailureKinds
            + "), slowest write "
            + slowest.get()
            + " ms, hints handed off "
            + handedOff
            + ", rows repaired "
            + repaired;
    System.out.println(owner + " " + table + ": " + report);
    assertTrue(expected.size() > 100, report);
    assertEquals(List.of(), found.subList(0, Math.min(20, found.size())), report);
    return report;
  }

  private void checkAcknowledged(
      Map<Long, Long> expected, List<Map<Long, Long>> replicas, List<String> found) {
    for (Map.Entry<Long, Long> e : expected.entrySet()) {
      long id = e.getKey();
      if (uncertain.contains(id)) {
        continue;
      }
      for (int n = 0; n < replicas.size(); n++) {
        Long held = replicas.get(n).get(id);
        long want = e.getValue();
        if (want == DELETED ? held != null : held == null || held != want) {
          found.add("node " + n + " key " + id + ": holds " + held + ", acknowledged " + want);
        }
      }
    }
  }

  private void checkUncertain(List<Map<Long, Long>> replicas, List<String> found) {
    for (long id : uncertain) {
      Long first = replicas.get(0).get(id);
      for (int n = 1; n < replicas.size(); n++) {
        if (!Objects.equals(first, replicas.get(n).get(id))) {
          found.add(
              "key "
                  + id
                  + " (write failed): replicas disagree "
                  + first
                  + " / "
                  + replicas.get(n).get(id));
        }
      }
    }
  }

  private static long repair(Connection c, String arguments) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT zynamo.repair(" + arguments + ")")) {
      rs.next();
      return rs.getLong("rows_repaired");
    }
  }

  /** One writer: inserts its own keys, increments and deletes some of them, until told to stop. */
  private void write(int writer, AtomicBoolean running) {
    Random random = new Random(writer);
    List<Long> live = new ArrayList<>();
    long next = writer * 1_000_000L;
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement read = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
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
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
          int count = s.executeUpdate(sql);
          if (count != 1) {
            problems.add(sql + ": " + count + " rows");
          }
          acknowledged.put(id, value);
          acknowledgements.incrementAndGet();
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
          continue;
        } finally {
          slowest.accumulate((System.nanoTime() - started) / 1_000_000);
        }
        if (random.nextInt(5) == 0) {
          readBack(read, id, value);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writer " + writer + " could not connect", e);
    }
  }

  /** Reads an acknowledged write back at once: it must be seen (or fail, never be stale). */
  private void readBack(PreparedStatement read, long id, long value) {
    readsBack.incrementAndGet();
    try {
      read.setLong(1, id);
      try (ResultSet rs = read.executeQuery()) {
        Long seen = rs.next() ? rs.getLong(1) : null;
        Long want = value == DELETED ? null : value;
        if (!Objects.equals(want, seen)) {
          problems.add("read back of key " + id + ": " + seen + ", just acknowledged " + want);
        }
      }
    } catch (SQLException e) {
      readFailureKinds.computeIfAbsent(e.getSQLState(), k -> new AtomicLong()).incrementAndGet();
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
    List<String> found = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT v FROM " + table + " WHERE id = ?")) {
      for (Map.Entry<Long, Long> e : acknowledged.entrySet()) {
        if (uncertain.contains(e.getKey())) {
          continue;
        }
        p.setLong(1, e.getKey());
        try (ResultSet rs = p.executeQuery()) {
          Long read = rs.next() ? rs.getLong(1) : null;
          Long want = e.getValue() == DELETED ? null : e.getValue();
          if (!Objects.equals(want, read)) {
            found.add(
                "read of key "
                    + e.getKey()
                    + ": "
                    + read
                    + ", acknowledged "
                    + want
                    + " "
                    + held(e));
          }
        }
      }
    }
    return found;
  }

  /** Each node's row of a key: value@version clock. */
  private List<String> held(Map.Entry<Long, Long> e) throws SQLException {
    List<String> held = new ArrayList<>();
    for (PostgresNode node : nodes) {
      held.add(
          NodeSql.strings(
                  node,
                  "SELECT v || '@' || zynamo_version || ' ' || zynamo_clock::text FROM "
                      + table
                      + " WHERE id = "
                      + e.getKey())
              .toString());
    }
    return held;
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
  static void signal(PostgresNode node, String signal) throws IOException, InterruptedException {
    String pid = Files.readAllLines(node.dataDirectory().resolve("postmaster.pid")).get(0).strip();
    Process kill =
        new ProcessBuilder(
                "sh", "-c", "pkill -" + signal + " -P " + pid + "; kill -" + signal + " " + pid)
            .inheritIO()
            .start();
    kill.waitFor();
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
