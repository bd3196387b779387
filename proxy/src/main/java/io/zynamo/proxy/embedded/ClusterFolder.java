package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The folder of one cluster, locked while the cluster runs, and what it recorded at the last start:
 * which nodes it has and on which ports they listen ({@link ClusterManifest}).
 */
final class ClusterFolder implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ClusterFolder.class.getName());

  private final Path path;
  private final FolderLock lock;
  private final Optional<ClusterManifest> recorded;

  private ClusterFolder(Path path, FolderLock lock, Optional<ClusterManifest> recorded) {
    this.path = path;
    this.lock = lock;
    this.recorded = recorded;
  }

  /**
   * Creates the folder if needed (mode 0755, so the server account can search it), checks that the
   * server account can reach it, locks it and reads its manifest.
   */
  static ClusterFolder open(Path path, ServerAccount account) {
    FolderLock lock;
    try {
      account.checkTraversable(path);
      boolean created = !Files.isDirectory(path);
      Files.createDirectories(path);
      if (created) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      account.checkTraversable(path);
      lock = FolderLock.acquire(path);
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "cannot use cluster folder " + path + ": " + e.getMessage(), e);
    }
    try {
      return new ClusterFolder(path, lock, ClusterManifest.read(path));
    } catch (IOException | RuntimeException e) {
      closeQuietly(lock);
      throw new PostgresLaunchException("cannot read the manifest of " + path + ": " + e, e);
    }
  }

  Path path() {
    return path;
  }

  /** Refuses to run fewer nodes than the folder holds: their data would silently go missing. */
  void checkCanHold(int count) {
    if (recorded.isPresent() && recorded.get().nodes() > count) {
      int held = recorded.get().nodes();
      throw new PostgresLaunchException(
          ("cluster folder %s holds %d nodes but %d were asked for"
                  + " (expected >= %d; removing nodes is not supported)")
              .formatted(path, held, count, held));
    }
  }

  /** Recorded ports first, then {@code firstPreferredPort + i}, else any free port. */
  void assignPorts(List<PostgresNode> nodes, LaunchContext context) {
    int first = context.config().firstPreferredPort();
    for (int i = 0; i < nodes.size(); i++) {
      boolean known = recorded.isPresent() && i < recorded.get().nodes();
      int wanted = known ? recorded.get().ports().get(i) : first > 0 ? first + i : 0;
      int port = context.ports().preferred(wanted);
      if (known && port != wanted) {
        LOG.log(
            Level.WARNING,
            "{0}: recorded port {1} is in use, using {2} until it is free again",
            nodes.get(i).name(),
            Integer.toString(wanted),
            Integer.toString(port));
      }
      nodes.get(i).usePort(port);
    }
  }

  /**
   * Records the nodes' ports. A node keeps its recorded port even when it had to run elsewhere this
   * time, so its psql command stays valid; new nodes record the port they got.
   */
  void recordPorts(List<PostgresNode> nodes) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      boolean known = recorded.isPresent() && i < recorded.get().nodes();
      ports.add(known ? recorded.get().ports().get(i) : nodes.get(i).port());
    }
    new ClusterManifest(ports).write(path);
  }

  /** Unlocks the folder. */
  @Override
  public void close() {
    closeQuietly(lock);
  }

  private static void closeQuietly(FolderLock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot release cluster folder lock", e);
    }
  }
}
