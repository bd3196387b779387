package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * What tombstone garbage collection costs a {@code SELECT zynamo.repair()} pass on 3 real nodes
 * (N=3, 256 buckets) holding {@code zynamo.timing.rows} rows (default 50,000), half of them then
 * deleted: passes while the tombstones are younger than the grace (compared, kept), the pass that
 * removes them ({@code tombstoneGrace=0}), and passes after. Not part of {@code mvn verify}; run it
 * with {@code mvn -B -o verify -pl ring,driver,proxy,it-tests -Dit.test=TombstoneGcTiming
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}; it prints its figures.
 */
@ZynamoCluster(nodes = 3)
class TombstoneGcTiming {

  private static final int ROWS = Integer.getInteger("zynamo.timing.rows", 50_000);
  private static final int PASSES = 3;

  @Test
  void collectionTimes(PostgresCluster nodes) throws SQLException {
    String url =
        "jdbc:zynamo://"
            + NodeSql.seeds(nodes.nodes())
            + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=3";
    try (Connection keeping = DriverManager.getConnection(url);
        Connection collecting = DriverManager.getConnection(url + "&tombstoneGrace=0");
        Statement keep = keeping.createStatement();
        Statement collect = collecting.createStatement()) {
      keep.execute("CREATE TABLE timed (id bigint PRIMARY KEY, v text)");
      keep.execute(
          "INSERT INTO timed SELECT g, 'value ' || g FROM generate_series(1, " + ROWS + ") g");
      report("repair, no tombstones", median(keep, 0));
      long start = System.nanoTime();
      keep.execute("DELETE FROM timed WHERE id % 2 = 0");
      report("delete " + ROWS / 2 + " rows through the driver", System.nanoTime() - start);
      for (PostgresNode node : nodes.nodes()) {
        NodeSql.execute(node, "VACUUM ANALYZE timed", "VACUUM ANALYZE zynamo.tombstones");
      }
      report("repair, " + ROWS / 2 + " tombstones younger than the grace (kept)", median(keep, 0));
      start = System.nanoTime();
      assertEquals(3L * (ROWS / 2), removed(collect));
      report(
          "repair, grace 0: " + 3 * (ROWS / 2) + " tombstones removed", System.nanoTime() - start);
      report("repair after the collection", median(collect, 0));
    }
  }

  /** The median time of {@link #PASSES} passes, each removing {@code expected} tombstones. */
  private static long median(Statement s, long expected) throws SQLException {
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < PASSES; i++) {
      long start = System.nanoTime();
      assertEquals(expected, removed(s));
      times.add(System.nanoTime() - start);
    }
    Collections.sort(times);
    return times.get(PASSES / 2);
  }

  private static long removed(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT zynamo.repair('timed')")) {
      rs.next();
      assertEquals(0, rs.getLong("rows_repaired"));
      return rs.getLong("tombstones_removed");
    }
  }

  private static void report(String what, long nanos) {
    System.out.printf("tombstone gc timing: %s: %.1f ms%n", what, nanos / 1e6);
  }
}
