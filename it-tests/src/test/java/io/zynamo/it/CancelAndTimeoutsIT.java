package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.it.WireClient.Message;
import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cancelling a statement reaches every node running part of it: a CancelRequest through the proxy,
 * {@code Statement.cancel()} and {@code setQueryTimeout} through the driver, and the session's
 * {@code statement_timeout}; the proxy's idle timeouts close forgotten sessions. Each check also
 * looks at the nodes: nothing is left running there, and a cancelled write left no trace.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelAndTimeoutsIT {

  /** Far longer than any check waits: a statement still running after a cancel is a failure. */
  private static final String SLEEP = "pg_sleep(60)";

  private final PostgresCluster nodes;
  private ProxyServer proxy;
  private ProxyServer strict;

  CancelAndTimeoutsIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start() throws Exception {
    proxy = ProxyServer.start(ProxyFixture.config(nodes));
    strict =
        ProxyServer.start(
            ProxyFixture.config(nodes)
                .withTimeouts(
                    new ProxyConfig.Timeouts(
                        Duration.ofMillis(400), Duration.ofMillis(1500), Duration.ofMillis(1500))));
    try (Connection c = proxied("");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE items (id int PRIMARY KEY, v int NOT NULL)");
      s.execute(
          "INSERT INTO items VALUES "
              + IntStream.rangeClosed(1, 200)
                  .mapToObj(i -> "(" + i + ", 0)")
                  .collect(Collectors.joining(", ")));
    }
  }

  @AfterAll
  void stop() {
    strict.close();
    proxy.close();
  }

  private Connection proxied(String options) throws SQLException {
    return proxied(proxy, options);
  }

  private static Connection proxied(ProxyServer server, String options) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres?user=postgres" + options);
  }

  private Connection driver() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes())
            + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=2");
  }

  /**
   * Runs {@code sql} on another thread, cancels it after it reached the nodes, returns its error.
   */
  private SQLException cancelled(Statement statement, String sql) throws Exception {
    CompletableFuture<SQLException> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                statement.execute(sql);
                return null;
              } catch (SQLException e) {
                return e;
              }
            });
    awaitRunning(sql);
    long start = System.nanoTime();
    statement.cancel();
    SQLException e = outcome.get(20, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(e != null, "not cancelled: " + sql);
    assertTrue(millis < 10_000, "cancel took " + millis + " ms");
    return e;
  }

  /** Waits until some node runs a statement containing {@code sql}'s distinctive part. */
  private void awaitRunning(String sql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (running(sql) > 0) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never ran on a node: " + sql);
  }

  /** Node backends running a query that contains the marker comment of {@code sql}. */
  private int running(String sql) throws SQLException {
    String marker = sql.substring(sql.indexOf("/*"), sql.indexOf("*/") + 2);
    int count = 0;
    for (PostgresNode node : nodes.nodes()) {
      count +=
          Integer.parseInt(
              NodeSql.string(
                  node,
                  "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <>"
                      + " pg_backend_pid() AND strpos(query, '"
                      + marker
                      + "') > 0"));
    }
    return count;
  }

  private void assertNothingRunning(String sql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (running(sql) > 0) {
      assertTrue(System.nanoTime() < deadline, "still running on a node: " + sql);
      Thread.sleep(20);
    }
  }

  private static void assertCancelled(SQLException e, String message) {
    assertEquals("57014", e.getSQLState(), e.toString());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void cancelRequestStopsAStatementWithoutTableOnItsNode() throws Exception {
    String sql = "SELECT /* no-table */ " + SLEEP;
    try (Connection c = proxied("");
        Statement s = c.createStatement()) {
      assertCancelled(cancelled(s, sql), "canceling statement due to user request");
      assertNothingRunning(sql);
      assertEquals(List.of("1"), NodeSql.strings(c, "SELECT 1")); // the session goes on
    }
  }

  @Test
  void cancelRequestStopsAKeyReadOnEveryReplicaAskedInParallel() throws Exception {
    String sql = "SELECT /* key-read */ v, " + SLEEP + " FROM items WHERE id = 7";
    try (Connection c = proxied("");
        Statement s = c.createStatement()) {
      assertCancelled(cancelled(s, sql), "canceling statement due to user request");
      assertNothingRunning(sql);
    }
  }

  @Test
  void cancelRequestStopsAClusterWideQuery() throws Exception {
    String sql =
        "SELECT /* coverage */ count(*) FROM items WHERE v >= 0 AND"
            + " (SELECT pg_sleep(60) FROM (VALUES (1)) x(i) WHERE items.id = 1) IS NULL";
    try (Connection c = proxied("");
        Statement s = c.createStatement()) {
      assertCancelled(cancelled(s, sql), "canceling statement due to user request");
      assertNothingRunning(sql);
    }
  }

  @Test
  void aCancelledWriteWaitingForALockLeavesNoTraceOnAnyReplica() throws Exception {
    String sql = "UPDATE /* blocked-write */ items SET v = v + 100 WHERE id = 11";
    try (Connection holder = proxied("");
        Statement hold = holder.createStatement();
        Connection c = proxied("");
        Statement s = c.createStatement()) {
      holder.setAutoCommit(false);
      hold.executeUpdate("UPDATE items SET v = v + 1 WHERE id = 11");
      assertCancelled(cancelled(s, sql), "canceling statement due to user request");
      holder.commit();
      assertNothingRunning(sql);
    }
    for (PostgresNode node : nodes.nodes()) {
      assertEquals("1", NodeSql.string(node, "SELECT v FROM items WHERE id = 11"), node.name());
    }
  }

  @Test
  void aCancelInsideATransactionFailsItUntilRollback() throws Exception {
    String sql = "SELECT /* in-transaction */ " + SLEEP + ", v FROM items WHERE id = 12";
    try (Connection c = proxied("");
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.executeUpdate("UPDATE items SET v = v + 5 WHERE id = 12");
      assertCancelled(cancelled(s, sql), "canceling statement due to user request");
      SQLException next = assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1"));
      assertEquals("25P02", next.getSQLState(), next.toString());
      c.rollback();
      assertEquals(List.of("0"), NodeSql.strings(c, "SELECT v FROM items WHERE id = 12"));
    }
  }

  @Test
  void statementTimeoutIsASessionSettingOfTheProxy() throws Exception {
    try (Connection c = proxied("");
        Statement s = c.createStatement()) {
      s.execute("SET statement_timeout = '300ms'");
      assertEquals(List.of("300ms"), NodeSql.strings(c, "SHOW statement_timeout"));
      String sql = "SELECT /* session-timeout */ " + SLEEP;
      long start = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> s.execute(sql));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertCancelled(e, "canceling statement due to statement timeout");
      assertTrue(millis >= 300 && millis < 10_000, millis + " ms");
      assertNothingRunning(sql);
      s.execute("RESET statement_timeout");
      assertEquals(List.of("0"), NodeSql.strings(c, "SHOW statement_timeout"));
      s.execute("SELECT pg_sleep(0.5)"); // no timeout any more
      SQLException bad =
          assertThrows(
              SQLException.class, () -> s.execute("SET statement_timeout = '1 fortnight'"));
      assertEquals("22023", bad.getSQLState(), bad.toString());
    }
  }

  @Test
  void statementTimeoutFromTheClientsStartupOptions() throws Exception {
    try (Connection c = proxied("&options=-c%20statement_timeout%3D250")) {
      assertSessionTimesOut(c, "250ms");
    }
  }

  @Test
  void theProxysStatementTimeoutIsEachSessionsDefault() throws Exception {
    try (Connection c = proxied(strict, "")) {
      assertSessionTimesOut(c, "400ms");
    }
  }

  /** The session starts with statement_timeout {@code shown}, and a long statement times out. */
  private static void assertSessionTimesOut(Connection c, String shown) throws SQLException {
    assertEquals(List.of(shown), NodeSql.strings(c, "SHOW statement_timeout"));
    try (Statement s = c.createStatement()) {
      SQLException e =
          assertThrows(SQLException.class, () -> s.execute("SELECT /* initial */ " + SLEEP));
      assertCancelled(e, "canceling statement due to statement timeout");
    }
  }

  @Test
  void anIdleSessionIsClosedWith57P05() throws Exception {
    try (WireClient c = WireClient.started(strict.port())) {
      assertEquals("57P05", c.read().field('C')); // idle from the start: never sent a statement
    }
    try (WireClient c = WireClient.started(strict.port())) {
      c.query("SELECT 1");
      assertEquals('Z', last(c.readUntil('Z')).type());
      Message fatal = c.read(); // the proxy speaks first once the session idled too long
      assertEquals('E', fatal.type());
      assertEquals("FATAL", fatal.field('S'));
      assertEquals("57P05", fatal.field('C'));
      assertEquals("terminating connection due to idle-session timeout", fatal.field('M'));
      assertEquals(null, c.read()); // and closes the connection
    }
  }

  @Test
  void aSessionIdleInATransactionIsClosedAndItsTransactionRolledBack() throws Exception {
    try (WireClient c = WireClient.started(strict.port())) {
      c.query("BEGIN");
      c.readUntil('Z');
      for (int i = 0; i < 4; i++) { // a client that keeps talking is never idle
        Thread.sleep(500);
        c.query("UPDATE items SET v = v + 1 WHERE id = 13");
        assertEquals('Z', last(c.readUntil('Z')).type());
      }
      Message fatal = c.read();
      assertEquals("25P03", fatal.field('C'));
      assertEquals("terminating connection due to idle-in-transaction timeout", fatal.field('M'));
    }
    for (PostgresNode node : nodes.nodes()) {
      assertEquals("0", NodeSql.string(node, "SELECT v FROM items WHERE id = 13"), node.name());
    }
  }

  @Test
  void driverStatementCancelReachesTheNodes() throws Exception {
    String sql = "SELECT /* driver-cancel */ v, " + SLEEP + " FROM items WHERE id = 21";
    try (Connection c = driver();
        Statement s = c.createStatement()) {
      assertCancelled(cancelled(s, sql), "canceling statement due to user request");
      assertNothingRunning(sql);
      s.cancel(); // nothing runs: nothing happens
      assertEquals(List.of("0"), NodeSql.strings(c, "SELECT v FROM items WHERE id = 21"));
    }
  }

  @Test
  void driverQueryTimeoutCancelsOnTheNodes() throws Exception {
    String sql = "SELECT /* driver-timeout */ count(*), " + SLEEP + " FROM items";
    try (Connection c = driver();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(1);
      long start = System.nanoTime();
      SQLException e = assertThrows(SQLException.class, () -> s.execute(sql));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertCancelled(e, "canceling statement due to user request");
      assertTrue(millis >= 1000 && millis < 10_000, millis + " ms");
      assertNothingRunning(sql);
      s.setQueryTimeout(0);
      assertEquals(List.of("200"), NodeSql.strings(c, "SELECT count(*) FROM items"));
    }
  }

  private static Message last(List<Message> messages) {
    return messages.get(messages.size() - 1);
  }
}
