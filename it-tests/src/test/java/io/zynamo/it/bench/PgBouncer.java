package io.zynamo.it.bench;

import io.zynamo.proxy.embedded.ServerAccount;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The harness's own PgBouncer process in front of one PostgreSQL node, in session pool mode (the
 * Debian package is 1.18, whose transaction mode cannot carry {@code -M prepared}'s statements),
 * listening on a free loopback port, with trust authentication and no Unix socket. As root it
 * switches to {@code nobody}, since PgBouncer refuses to run as root.
 */
final class PgBouncer implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

  private final Process process;
  private final Path output;
  private final int port;

  private PgBouncer(Process process, Path output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /**
   * The pgbouncer binary, installed first with {@code apt-get install -y pgbouncer} when missing
   * and running as root; empty, with the reason added to {@code notes}, when it cannot be had.
   */
  static Optional<Path> binary(List<String> notes) throws InterruptedException {
    if (Files.isExecutable(BINARY)) {
      return Optional.of(BINARY);
    }
    if (!ServerAccount.detect().dropsPrivileges()) {
      notes.add("PgBouncer skipped: " + BINARY + " is missing and installing it needs root");
      return Optional.empty();
    }
    try {
      Pgbench.run(List.of("apt-get", "update", "-q"), 600);
      Pgbench.run(List.of("apt-get", "install", "-y", "-q", "pgbouncer"), 600);
    } catch (IOException | IllegalStateException e) {
      notes.add("PgBouncer skipped: apt-get install -y pgbouncer failed: " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(BINARY);
  }

  /** Starts PgBouncer in {@code folder} and waits until it accepts connections. */
  static PgBouncer start(Path binary, Path folder, String host, int upstreamPort)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path users = Files.writeString(folder.resolve("userlist.txt"), "\"postgres\" \"\"\n");
    Path config =
        Files.writeString(
            folder.resolve("pgbouncer.ini"),
            String.join(
                "\n",
                "[databases]",
                "postgres = host=" + host + " port=" + upstreamPort + " dbname=postgres",
                "[pgbouncer]",
                "listen_addr = " + host,
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + users,
                "pool_mode = session",
                "max_client_conn = 200",
                "default_pool_size = 50",
                "ignore_startup_parameters = extra_float_digits",
                ""));
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    if (ServerAccount.detect().dropsPrivileges()) {
      command.addAll(List.of("-u", "nobody"));
    }
    command.add(config.toString());
    Path output = folder.resolve("pgbouncer.out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    PgBouncer bouncer = new PgBouncer(process, output, port);
    bouncer.awaitListening(host);
    return bouncer;
  }

  private void awaitListening(String host) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "pgbouncer exited with "
                + process.exitValue()
                + ": "
                + Files.readString(output, StandardCharsets.UTF_8));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 100);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("pgbouncer: not listening on port " + port + " after 10 s");
  }

  int port() {
    return port;
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
