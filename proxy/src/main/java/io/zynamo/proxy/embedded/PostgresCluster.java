package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A group of local PostgreSQL nodes in one folder ({@code <folder>/node-1}, {@code node-2}, ...),
 * started together and stopped together, also when the JVM exits.
 *
 * <p>A persistent cluster ({@link #start}) keeps its folder: started again over the same folder it
 * reuses the data directories and the ports recorded in {@code cluster.properties}, and it stops
 * its servers cleanly. A temporary cluster ({@link #startTemporary}) gets a fresh folder, stops its
 * servers immediately and deletes the folder on close.
 *
 * <p>Each cluster registers one JVM shutdown hook that closes it, so Ctrl-C or a test JVM exit
 * never leaves servers behind; only a killed JVM ({@code kill -9}) can, and the next start over the
 * same folder then stops the leftovers first.
 */
public final class PostgresCluster implements AutoCloseable {

  private final Path directory;
  private final boolean temporary;
  private final List<PostgresNode> nodes;
  private final ClusterFolder folder;
  private final Thread shutdownHook;
  private boolean closed;

  private PostgresCluster(ClusterFolder folder, boolean temporary, List<PostgresNode> nodes) {
    this.directory = folder.path();
    this.folder = folder;
    this.temporary = temporary;
    this.nodes = List.copyOf(nodes);
    this.shutdownHook = new Thread(this::close, "zynamo-cluster-exit-" + directory.getFileName());
  }

  /**
   * Starts {@code nodes} servers in {@code directory}, creating it or reusing the cluster already
   * there; a folder holding more nodes than asked for is refused.
   */
  public static PostgresCluster start(int nodes, Path directory, PostgresConfig config) {
    return launch(nodes, directory.toAbsolutePath().normalize(), config, false);
  }

  /** Starts {@code nodes} servers in a fresh folder under {@code parent}, deleted on close. */
  public static PostgresCluster startTemporary(int nodes, Path parent, PostgresConfig config) {
    Path directory;
    try {
      Files.createDirectories(parent);
      directory = Files.createTempDirectory(parent.toAbsolutePath(), "zynamo-cluster-");
      // Temporary folders are created 0700; the server account must be able to search it.
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new PostgresLaunchException("cannot create a cluster folder in " + parent, e);
    }
    try {
      return launch(nodes, directory, config, true);
    } catch (RuntimeException e) {
      try {
        FileTree.delete(directory);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** How many nodes the cluster in {@code directory} has, or empty if there is none yet. */
  public static OptionalInt recordedNodeCount(Path directory) {
    try {
      Optional<ClusterManifest> manifest = ClusterManifest.read(directory);
      return manifest.isPresent() ? OptionalInt.of(manifest.get().nodes()) : OptionalInt.empty();
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "cannot read " + directory.resolve(ClusterManifest.FILE_NAME), e);
    }
  }

  private static PostgresCluster launch(
      int count, Path directory, PostgresConfig config, boolean temporary) {
    if (count < 1) {
      throw new IllegalArgumentException("nodes: " + count + " (expected >= 1)");
    }
    ServerAccount account = ServerAccount.detect();
    ClusterFolder folder = ClusterFolder.open(directory, account);
    List<PostgresNode> nodes = new ArrayList<>();
    try {
      folder.checkCanHold(count);
      LaunchContext context = context(account, config);
      for (int i = 1; i <= count; i++) {
        nodes.add(new PostgresNode("node-" + i, directory.resolve("node-" + i), context));
      }
      nodes.forEach(PostgresNode::stopLeftover);
      folder.assignPorts(nodes, context);
    } catch (RuntimeException e) {
      folder.close();
      throw e;
    }
    PostgresCluster cluster = new PostgresCluster(folder, temporary, nodes);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    cluster.startAll();
    return cluster;
  }

  private static LaunchContext context(ServerAccount account, PostgresConfig config) {
    PostgresBinaries binaries = PostgresBinaries.unpack(config.cacheRoot());
    Path template = DataDirectoryTemplate.ensure(binaries, account, config.cacheRoot());
    return new LaunchContext(binaries, account, config, template, PortAllocator.loopback());
  }

  /** Initialises and starts every node in parallel; on any failure stops all and rethrows. */
  private void startAll() {
    try {
      NodeTasks.runInParallel(
          nodes,
          node -> {
            node.initialize();
            node.start();
          });
      folder.recordPorts(nodes);
    } catch (IOException e) {
      throw closeAfterFailure(
          new PostgresLaunchException("cannot record ports in " + directory, e));
    } catch (RuntimeException e) {
      throw closeAfterFailure(e);
    }
  }

  private RuntimeException closeAfterFailure(RuntimeException failure) {
    try {
      close();
    } catch (RuntimeException cleanup) {
      failure.addSuppressed(cleanup);
    }
    return failure;
  }

  /** The cluster folder. */
  public Path directory() {
    return directory;
  }

  /** The nodes, {@code node-1} at index 0. */
  public List<PostgresNode> nodes() {
    return nodes;
  }

  /** The node at {@code index}, counting from 0 ({@code node(0)} is {@code node-1}). */
  public PostgresNode node(int index) {
    if (index < 0 || index >= nodes.size()) {
      throw new IndexOutOfBoundsException(
          "node index: " + index + " (expected 0.." + (nodes.size() - 1) + ")");
    }
    return nodes.get(index);
  }

  /** Every node's current port, in node order. */
  public List<Integer> ports() {
    return nodes.stream().map(PostgresNode::port).toList();
  }

  public boolean isTemporary() {
    return temporary;
  }

  /**
   * Stops every node (cleanly for a persistent cluster, immediately for a temporary one), unlocks
   * the folder and deletes it if temporary. Idempotent; concurrent callers wait for the first.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removeShutdownHook();
    List<RuntimeException> failures = new ArrayList<>();
    NodeTasks.runAll(nodes, temporary ? PostgresNode::crash : PostgresNode::close, failures);
    folder.close();
    if (temporary) {
      try {
        FileTree.delete(directory);
      } catch (IOException e) {
        failures.add(new PostgresLaunchException("cannot delete cluster folder " + directory, e));
      }
    }
    NodeTasks.throwFirst(failures);
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is exiting and this may be the hook itself: nothing to remove.
    }
  }

  @Override
  public String toString() {
    return "PostgresCluster" + nodes;
  }
}
