package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresConfig;
import io.zynamo.proxy.embedded.PostgresLaunchException;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A persistent cluster folder, as the embedded default uses: reopened with its data and ports. */
class PersistentClusterIT {

  private Path folder;

  @BeforeEach
  void createFolder() throws IOException {
    Path parent = Path.of(System.getProperty("java.io.tmpdir"));
    folder = Files.createTempDirectory(parent, "zynamo-persistent-it-");
    // Searchable by the unprivileged server account when the tests run as root.
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void deleteFolder() throws IOException {
    Files.walkFileTree(
        folder,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Test
  void reopenedFolderKeepsDataAndPorts() throws SQLException {
    List<Integer> ports;
    try (PostgresCluster first = PostgresCluster.start(2, folder, PostgresConfig.forTests())) {
      ports = first.ports();
      execute(first.node(1), "CREATE TABLE kept (v text)");
      execute(first.node(1), "INSERT INTO kept VALUES ('still here')");
    }
    assertEquals(2, PostgresCluster.recordedNodeCount(folder).orElseThrow());

    try (PostgresCluster second = PostgresCluster.start(2, folder, PostgresConfig.forTests())) {
      assertEquals(ports, second.ports());
      assertEquals("still here", firstValue(second.node(1), "SELECT v FROM kept"));
    }
    assertTrue(Files.isDirectory(folder.resolve("node-2/data")));
  }

  @Test
  void recordedPortInUseMovesTheNodeForThisStartOnly() throws IOException {
    int home;
    try (PostgresCluster first = PostgresCluster.start(1, folder, PostgresConfig.forTests())) {
      home = first.node(0).port();
    }

    try (ServerSocket squatter =
        new ServerSocket(home, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      try (PostgresCluster moved = PostgresCluster.start(1, folder, PostgresConfig.forTests())) {
        assertNotEquals(squatter.getLocalPort(), moved.node(0).port());
        assertTrue(moved.node(0).isRunning());
      }
    }

    try (PostgresCluster back = PostgresCluster.start(1, folder, PostgresConfig.forTests())) {
      assertEquals(home, back.node(0).port());
    }
  }

  @Test
  void folderInUseByARunningClusterIsRefused() {
    try (PostgresCluster running = PostgresCluster.start(1, folder, PostgresConfig.forTests())) {
      PostgresLaunchException e =
          assertThrows(
              PostgresLaunchException.class,
              () -> PostgresCluster.start(1, folder, PostgresConfig.forTests()));

      assertTrue(
          e.getMessage().contains("in use by another running Zynamo cluster"), e.getMessage());
      assertTrue(running.node(0).isRunning());
    }
  }

  @Test
  void askingForFewerNodesThanRecordedIsRefused() {
    try (PostgresCluster cluster = PostgresCluster.start(2, folder, PostgresConfig.forTests())) {
      assertEquals(2, cluster.nodes().size());
    }

    PostgresLaunchException e =
        assertThrows(
            PostgresLaunchException.class,
            () -> PostgresCluster.start(1, folder, PostgresConfig.forTests()));

    assertTrue(e.getMessage().contains("holds 2 nodes but 1 were asked for"), e.getMessage());
  }

  @Test
  void closedClusterLeavesNoServerRunning() {
    PostgresNode node;
    try (PostgresCluster cluster = PostgresCluster.start(1, folder, PostgresConfig.forTests())) {
      node = cluster.node(0);
      assertTrue(node.isRunning());
    }
    assertFalse(node.isRunning());
  }

  private static void execute(PostgresNode node, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(node.jdbcUrl());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String firstValue(PostgresNode node, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(node.jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertTrue(rows.next(), sql + " returned no row");
      return rows.getString(1);
    }
  }
}
