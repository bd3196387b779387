package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The machine's pgbench through the proxy (N=3, R=2, W=2): {@code pgbench -i -s 2} (DROP, CREATE, a
 * transaction of TRUNCATE, INSERTs and COPY, VACUUM, ALTER TABLE ADD PRIMARY KEY), then the
 * TPC-B-like script for 20 s in each query mode with 4 clients, and the select-only script: zero
 * failed transactions, and the balances add up (what pgbench_history records equals the change of
 * every balance table's total).
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyPgbenchIT {

  private static final Pattern PROCESSED =
      Pattern.compile("number of transactions actually processed: (\\d+)");
  private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

  private final PostgresCluster nodes;
  private ProxyServer proxy;
  private Connection zynamo;

  ProxyPgbenchIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start() throws Exception {
    proxy = ProxyServer.start(ProxyFixture.config(nodes));
    zynamo =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres");
  }

  @AfterAll
  void stop() throws SQLException {
    zynamo.close();
    proxy.close();
  }

  private String pgbench(String... options) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "pgbench",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(proxy.port()),
                "-U",
                "postgres"));
    args.addAll(List.of(options));
    args.add("postgres");
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "pgbench did not finish: " + out);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private long sum(String sql) throws SQLException {
    List<String> rows = SideBySide.rows(zynamo, sql);
    return rows.get(0).equals("null") ? 0 : Long.parseLong(rows.get(0));
  }

  private List<Long> totals() throws SQLException {
    return List.of(
        sum("SELECT sum(abalance) FROM pgbench_accounts"),
        sum("SELECT sum(tbalance) FROM pgbench_tellers"),
        sum("SELECT sum(bbalance) FROM pgbench_branches"));
  }

  @Test
  @Order(1)
  void initializesScale2() throws Exception {
    String out = pgbench("-i", "-s", "2");
    assertTrue(out.contains("done in"), out);
    assertEquals(List.of("200000|2|20"), counts());
    assertEquals(List.of(0L, 0L, 0L), totals());
    // Every row on the replicas its key names: N=3 on 3 nodes, so every node holds all rows.
    for (var node : nodes.nodes()) {
      assertEquals("200000", NodeSql.string(node, "SELECT count(*) FROM pgbench_accounts"));
    }
  }

  private List<String> counts() throws SQLException {
    return SideBySide.rows(
        zynamo,
        "SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_branches),"
            + " (SELECT count(*) FROM pgbench_tellers)");
  }

  @Test
  @Order(2)
  void tpcbInEveryQueryModeBalancesAddUp() throws Exception {
    for (String mode : List.of("simple", "extended", "prepared")) {
      List<Long> before = totals();
      String out = pgbench("-c", "4", "-j", "2", "-T", "20", "-M", mode);
      long processed = number(PROCESSED, out);
      assertTrue(processed > 0, out);
      assertEquals(0, number(FAILED, out), out);
      long history = sum("SELECT sum(delta) FROM pgbench_history");
      assertEquals(
          processed,
          sum("SELECT count(*) FROM pgbench_history"),
          mode + ": one row per transaction");
      List<Long> after = totals();
      for (int i = 0; i < 3; i++) {
        assertEquals(history, after.get(i) - before.get(i), mode + " table " + i + ": " + out);
      }
    }
  }

  @Test
  @Order(3)
  void selectOnlyPrepared() throws Exception {
    List<Long> before = totals();
    String out = pgbench("-S", "-c", "4", "-j", "2", "-T", "20", "-M", "prepared");
    assertTrue(number(PROCESSED, out) > 0, out);
    assertEquals(0, number(FAILED, out), out);
    assertEquals(before, totals());
    assertEquals(List.of("200000|2|20"), counts());
  }

  private static long number(Pattern pattern, String out) {
    Matcher m = pattern.matcher(out);
    assertTrue(m.find(), pattern + " in " + out);
    return Long.parseLong(m.group(1));
  }
}
