package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How long {@code SELECT zynamo.repair()} takes on 3 real nodes (N=3, 256 buckets) holding {@code
 * zynamo.timing.rows} rows (default 100,000): replicas that agree, one stale row, and a node that
 * came back empty. Not part of {@code mvn verify} (neither *IT nor *Bench); run it with {@code mvn
 * -B -o verify -pl ring,driver,proxy,it-tests -Dit.test=AntiEntropyTiming -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}; it prints its figures.
 */
@ZynamoCluster(nodes = 3)
class AntiEntropyTiming {

  private static final int ROWS = Integer.getInteger("zynamo.timing.rows", 100_000);
  private static final int PASSES = 5;

  @Test
  void repairTimes(PostgresCluster nodes) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:zynamo://"
                    + NodeSql.seeds(nodes.nodes())
                    + "/postgres?replicas=3&readQuorum=2&writeQuorum=3",
                "postgres",
                "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE timed (id bigint PRIMARY KEY, v text, n bigint)");
      long loadStart = System.nanoTime();
      for (int from = 1; from <= ROWS; from += 5000) {
        StringBuilder values = new StringBuilder();
        for (int id = from; id < from + 5000 && id <= ROWS; id++) {
          values.append(id == from ? "(" : ", (").append(id).append(", 'value ").append(id);
          values.append("', ").append(id * 7L).append(')');
        }
        s.execute("INSERT INTO timed (id, v, n) VALUES " + values);
      }
      report("load " + ROWS + " rows through the driver", System.nanoTime() - loadStart);
      for (PostgresNode node : nodes.nodes()) {
        NodeSql.execute(node, "VACUUM ANALYZE timed");
      }

      List<Long> agree = new ArrayList<>();
      for (int i = 0; i < PASSES; i++) {
        long start = System.nanoTime();
        assertEquals(0, repairedRows(s));
        agree.add(System.nanoTime() - start);
      }
      Collections.sort(agree);
      report(
          "repair, replicas agree (median of " + PASSES + ", min " + ms(agree.get(0)) + ")",
          agree.get(PASSES / 2));

      NodeSql.execute(
          nodes.node(1),
          "SET zynamo.applying = 'on'",
          "UPDATE timed SET v = 'old', zynamo_version = 1 WHERE id = 4242");
      long start = System.nanoTime();
      assertEquals(1, repairedRows(s));
      report("repair, one stale row", System.nanoTime() - start);

      NodeSql.execute(nodes.node(2), "TRUNCATE timed");
      start = System.nanoTime();
      assertEquals(ROWS, repairedRows(s));
      long rebuild = System.nanoTime() - start;
      report("repair, one node came back empty (" + ROWS + " rows copied)", rebuild);
      System.out.printf("anti-entropy timing: rebuild rate %.0f rows/s%n", ROWS / (rebuild / 1e9));
      assertTrue(rebuild > 0);
    }
  }

  private static long repairedRows(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT zynamo.repair('timed')")) {
      rs.next();
      return rs.getLong("rows_repaired");
    }
  }

  private static void report(String what, long nanos) {
    System.out.println("anti-entropy timing: " + what + ": " + ms(nanos));
  }

  private static String ms(long nanos) {
    return String.format("%.1f ms", nanos / 1e6);
  }
}
