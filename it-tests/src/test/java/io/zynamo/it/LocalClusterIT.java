package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresConfig;
import io.zynamo.proxy.embedded.PostgresNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A local cluster of real PostgreSQL nodes: each stores data, stops, crashes and comes back. */
@ZynamoCluster(nodes = 3)
class LocalClusterIT {

  private final PostgresCluster cluster;

  LocalClusterIT(PostgresCluster cluster) {
    this.cluster = cluster;
  }

  /** Tests share the cluster: whatever a test stopped is running again for the next one. */
  @AfterEach
  void everyNodeRunsAgain() {
    for (PostgresNode node : cluster.nodes()) {
      if (!node.isRunning()) {
        node.start();
      }
    }
  }

  @Test
  void everyNodeStoresAndReturnsItsOwnRow() throws SQLException {
    for (PostgresNode node : cluster.nodes()) {
      execute(node, "CREATE TABLE IF NOT EXISTS own_row (node text PRIMARY KEY)");
      execute(node, "INSERT INTO own_row VALUES ('" + node.name() + "') ON CONFLICT DO NOTHING");
    }

    for (PostgresNode node : cluster.nodes()) {
      assertEquals(List.of(node.name()), strings(node, "SELECT node FROM own_row"));
    }
  }

  @Test
  void stoppedNodeRefusesConnectionsWhileOthersAnswerAndKeepsItsDataAfterRestart()
      throws SQLException {
    PostgresNode stopped = cluster.node(1);
    execute(stopped, "CREATE TABLE stop_survivor (v int)");
    execute(stopped, "INSERT INTO stop_survivor VALUES (7)");

    stopped.stop();

    assertFalse(stopped.isRunning());
    SQLException refused = assertThrows(SQLException.class, () -> connect(stopped).close());
    assertEquals("08001", refused.getSQLState(), refused.getMessage());
    assertEquals(List.of("1"), strings(cluster.node(0), "SELECT 1"));
    assertEquals(List.of("1"), strings(cluster.node(2), "SELECT 1"));

    stopped.start();

    assertEquals(List.of("7"), strings(stopped, "SELECT v FROM stop_survivor"));
    execute(stopped, "DROP TABLE stop_survivor");
  }

  @Test
  void crashedNodeKeepsCommittedDataAfterRecovery() throws SQLException {
    PostgresNode crashed = cluster.node(2);
    execute(crashed, "CREATE TABLE crash_survivor (v int)");
    execute(crashed, "INSERT INTO crash_survivor SELECT generate_series(1, 1000)");

    crashed.crash();
    assertFalse(crashed.isRunning());
    crashed.start();

    assertEquals(List.of("1000"), strings(crashed, "SELECT count(*) FROM crash_survivor"));
    execute(crashed, "DROP TABLE crash_survivor");
  }

  @Test
  void nodesRunWithLauncherSettings() throws SQLException {
    PostgresNode node = cluster.node(0);

    assertEquals(List.of("off"), strings(node, "SHOW fsync"));
    assertEquals(List.of("64"), strings(node, "SHOW max_prepared_transactions"));
    assertEquals(List.of("127.0.0.1"), strings(node, "SHOW listen_addresses"));
    assertEquals(List.of(Integer.toString(node.port())), strings(node, "SHOW port"));
    assertTrue(strings(node, "SHOW server_version").get(0).startsWith("17."));
  }

  @Test
  void twoClustersInOneJvmGetDistinctPorts() {
    Path parent = Path.of(System.getProperty("java.io.tmpdir"));
    try (PostgresCluster second =
        PostgresCluster.startTemporary(2, parent, PostgresConfig.forTests())) {
      Set<Integer> ports = new HashSet<>(cluster.ports());
      ports.addAll(second.ports());

      assertEquals(
          cluster.nodes().size() + 2,
          ports.size(),
          "ports: " + cluster.ports() + " and " + second.ports());
      assertTrue(second.nodes().stream().allMatch(PostgresNode::isRunning));
    }
  }

  private static Connection connect(PostgresNode node) throws SQLException {
    return DriverManager.getConnection(node.jdbcUrl());
  }

  private static void execute(PostgresNode node, String sql) throws SQLException {
    try (Connection connection = connect(node);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static List<String> strings(PostgresNode node, String sql) throws SQLException {
    try (Connection connection = connect(node);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (rows.next()) {
        values.add(rows.getString(1));
      }
      return values;
    }
  }
}
