package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One local PostgreSQL server listening on 127.0.0.1: its data directory, port and lifecycle
 * ({@link #start()}, {@link #stop()}, {@link #crash()}, {@link #restart()}).
 *
 * <p>Lifecycle calls are serialised per node. Servers are driven with {@code pg_ctl}, as the {@link
 * ServerAccount}; the server detaches into its own session, so Ctrl-C on our terminal does not
 * reach it and only an explicit stop (or the cluster's shutdown hook) ends it.
 */
public final class PostgresNode implements AutoCloseable {

  /** Every node listens on this address only. */
  public static final String HOST = "127.0.0.1";

  /** The database and superuser {@code initdb} creates. */
  public static final String DATABASE = "postgres";

  public static final String USER = "postgres";

  private static final System.Logger LOG = System.getLogger(PostgresNode.class.getName());
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 5;
  private static final int LOG_TAIL_LINES = 30;

  private final String name;
  private final NodeDirectory directory;
  private final LaunchContext context;
  private int port;

  PostgresNode(String name, Path directory, LaunchContext context) {
    this.name = name;
    this.directory = new NodeDirectory(directory);
    this.context = context;
  }

  /** The node's name within its cluster, e.g. {@code node-1}. */
  public String name() {
    return name;
  }

  public String host() {
    return HOST;
  }

  /** The port the server listens on; it may change if the chosen port was taken at start. */
  public synchronized int port() {
    return port;
  }

  public String database() {
    return DATABASE;
  }

  public String user() {
    return USER;
  }

  /** A pgjdbc URL for this node's {@code postgres} database as superuser (trust auth). */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE + "?user=" + USER;
  }

  /** The folder holding {@code data/} and {@code postgres.log}. */
  public Path directory() {
    return directory.root();
  }

  public Path dataDirectory() {
    return directory.data();
  }

  public Path logFile() {
    return directory.logFile();
  }

  /** Sets the port for the next start; the cluster picks it before the first start. */
  synchronized void usePort(int value) {
    port = value;
  }

  /** Creates the data directory from the template unless it exists already. */
  synchronized void initialize() {
    try {
      if (directory.initialize(context)) {
        LOG.log(Level.DEBUG, "{0}: data directory created in {1}", name, directory.data());
      }
    } catch (IOException e) {
      throw new PostgresLaunchException(
          name + ": cannot create data directory " + directory.data() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts the server and waits until it accepts connections; if its port was taken meanwhile, it
   * moves to another free port and tries again.
   */
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException(name + ": already running on port " + port);
    }
    for (int attempt = 1; ; attempt++) {
      String failure = tryStart();
      if (failure.isEmpty()) {
        LOG.log(Level.DEBUG, "{0}: started on {1}:{2}", name, HOST, Integer.toString(port));
        return;
      }
      if (!failure.contains("Address already in use") || attempt == START_ATTEMPTS) {
        throw new PostgresLaunchException(
            name
                + ": cannot start PostgreSQL on "
                + HOST
                + ":"
                + port
                + " (attempt "
                + attempt
                + "): "
                + failure);
      }
      int taken = port;
      port = context.ports().anyFree();
      LOG.log(
          Level.WARNING,
          "{0}: port {1} is taken, trying {2}",
          name,
          Integer.toString(taken),
          Integer.toString(port));
    }
  }

  /** One start attempt; an empty string on success, else pg_ctl's output and the log tail. */
  private String tryStart() {
    long logOffset;
    try {
      directory.writeSettings(context.config().serverSettings(port), context.account());
      logOffset = directory.logSize();
    } catch (IOException e) {
      throw new PostgresLaunchException(name + ": cannot write settings: " + e.getMessage(), e);
    }
    CommandResult result = pgCtl(startCommand(), context.config().startTimeout().plusSeconds(10));
    if (result.succeeded()) {
      return "";
    }
    String failure =
        result.describe()
            + "\nserver log "
            + directory.logFile()
            + " ends with:\n"
            + directory.logTail(logOffset, LOG_TAIL_LINES);
    if (isRunning()) {
      // pg_ctl gave up waiting but the server lives on: do not leave it behind.
      shutdown("immediate");
    }
    return failure;
  }

  private List<String> startCommand() {
    return List.of(
        context.binaries().pgCtl().toString(),
        "--pgdata=" + directory.data(),
        "--log=" + directory.logFile(),
        "--wait",
        "--timeout=" + context.config().startTimeout().toSeconds(),
        "--silent",
        "start");
  }

  /** Stops the server cleanly ({@code pg_ctl -m fast}); does nothing if it is not running. */
  public synchronized void stop() {
    shutdown("fast");
  }

  /**
   * Stops the server like a crash ({@code pg_ctl -m immediate}): no checkpoint, so the next start
   * runs WAL recovery. Committed data survives, as after a power cut with fsync on.
   */
  public synchronized void crash() {
    shutdown("immediate");
  }

  /**
   * Loses the node's data, as when its disk is replaced: stops the server immediately and replaces
   * its data directory with a fresh one made as the cluster makes nodes (a copy of the {@code
   * initdb} template), so that {@link #start()} brings up an empty server on the same port.
   */
  public synchronized void wipe() {
    crash();
    try {
      FileTree.delete(directory.data());
    } catch (IOException e) {
      throw new PostgresLaunchException(
          name + ": cannot delete data directory " + directory.data() + ": " + e.getMessage(), e);
    }
    initialize();
  }

  public synchronized void restart() {
    stop();
    start();
  }

  /** True when the pid in {@code postmaster.pid} is a live {@code postgres} process. */
  public boolean isRunning() {
    return postmaster().isPresent();
  }

  /** Stops a server an earlier, vanished process left running on this data directory. */
  synchronized void stopLeftover() {
    Optional<ProcessHandle> leftover = postmaster();
    if (leftover.isPresent()) {
      LOG.log(
          Level.WARNING,
          "{0}: stopping PostgreSQL pid {1} left running on {2}",
          name,
          Long.toString(leftover.get().pid()),
          directory.data());
      stop();
    }
  }

  @Override
  public synchronized void close() {
    try {
      stop();
    } catch (PostgresLaunchException e) {
      LOG.log(Level.WARNING, name + ": clean stop failed, stopping immediately", e);
      crash();
    }
  }

  private void shutdown(String mode) {
    if (!isRunning()) {
      return;
    }
    List<String> command =
        List.of(
            context.binaries().pgCtl().toString(),
            "--pgdata=" + directory.data(),
            "--mode=" + mode,
            "--wait",
            "--timeout=" + STOP_TIMEOUT.toSeconds(),
            "--silent",
            "stop");
    CommandResult result = pgCtl(command, STOP_TIMEOUT.plusSeconds(10));
    if (!result.succeeded() && isRunning()) {
      throw new PostgresLaunchException(name + ": " + mode + " stop failed: " + result.describe());
    }
    LOG.log(Level.DEBUG, "{0}: stopped ({1})", name, mode);
  }

  private CommandResult pgCtl(List<String> command, Duration timeout) {
    return context.runner().run(context.account().wrap(command), timeout);
  }

  /**
   * The running postmaster, checked by name so that a stale pid file whose pid now belongs to
   * another program (e.g. after a reboot) is never mistaken for our server.
   */
  private Optional<ProcessHandle> postmaster() {
    return directory.recordedPostmasterPid().stream()
        .boxed()
        .findFirst()
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(
            process ->
                process
                    .info()
                    .command()
                    .map(command -> command.endsWith("/postgres"))
                    .orElse(false));
  }

  @Override
  public String toString() {
    return name + " (" + HOST + ":" + port() + ", " + directory.data() + ")";
  }
}
