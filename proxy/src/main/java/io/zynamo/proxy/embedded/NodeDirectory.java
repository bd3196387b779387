package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The files of one node: {@code <node>/data} (the PostgreSQL data directory, mode 0700) and {@code
 * <node>/postgres.log}; both belong to the server account.
 *
 * <p>Settings go to {@code data/zynamo.conf}, rewritten before every start and included from the
 * end of {@code postgresql.conf}; {@code ALTER SYSTEM} (postgresql.auto.conf) still wins.
 */
final class NodeDirectory {

  static final String SETTINGS_FILE = "zynamo.conf";
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);

  private final Path root;

  NodeDirectory(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path data() {
    return root.resolve("data");
  }

  Path logFile() {
    return root.resolve("postgres.log");
  }

  boolean initialized() {
    return Files.isRegularFile(data().resolve("PG_VERSION"));
  }

  /**
   * Creates the data directory as a copy of {@code template} unless it already holds one: copied to
   * {@code data.partial} first and renamed, so a half-done copy is never mistaken for data.
   */
  boolean initialize(LaunchContext context) throws IOException {
    Files.createDirectories(root);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    context.account().own(root);
    if (initialized()) {
      return false;
    }
    Path partial = root.resolve("data.partial");
    FileTree.delete(partial);
    FileTree.copy(context.template(), partial);
    if (context.config().durable()) {
      sync(context, partial);
    }
    Files.writeString(
        partial.resolve("postgresql.conf"),
        "\n# Zynamo node settings, rewritten at every start.\ninclude '" + SETTINGS_FILE + "'\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    Files.move(partial, data(), StandardCopyOption.ATOMIC_MOVE);
    return true;
  }

  private static void sync(LaunchContext context, Path data) {
    List<String> command = DataDirectoryTemplate.syncCommand(context.binaries(), data);
    CommandResult result = context.runner().run(context.account().wrap(command), SYNC_TIMEOUT);
    if (!result.succeeded()) {
      throw new PostgresLaunchException("cannot sync " + data + ": " + result.describe());
    }
  }

  /** Writes {@code zynamo.conf}; values are quoted as postgresql.conf strings. */
  void writeSettings(Map<String, String> settings, ServerAccount account) throws IOException {
    StringBuilder text = new StringBuilder("# Written by Zynamo before every start.\n");
    settings.forEach(
        (name, value) ->
            text.append(name).append(" = '").append(value.replace("'", "''")).append("'\n"));
    Path file = data().resolve(SETTINGS_FILE);
    Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    account.own(file);
  }

  /** The server log's current length, to later show only what one start attempt wrote. */
  long logSize() throws IOException {
    return Files.exists(logFile()) ? Files.size(logFile()) : 0;
  }

  /** The last {@code lines} lines the server logged after {@code offset}. */
  String logTail(long offset, int lines) {
    try (InputStream in = Files.newInputStream(logFile())) {
      long skip = Math.min(offset, Files.size(logFile()));
      in.skipNBytes(skip);
      String[] all = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
      return String.join(
              "\n", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length))
          .strip();
    } catch (NoSuchFileException e) {
      return "(no server log at " + logFile() + ")";
    } catch (IOException e) {
      return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
    }
  }

  /** The pid recorded in {@code postmaster.pid}, if that file exists and starts with a number. */
  OptionalLong recordedPostmasterPid() {
    try {
      List<String> lines = Files.readAllLines(data().resolve("postmaster.pid"));
      return lines.isEmpty()
          ? OptionalLong.empty()
          : OptionalLong.of(Long.parseLong(lines.get(0).trim()));
    } catch (NoSuchFileException | NumberFormatException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw new PostgresLaunchException("cannot read " + data().resolve("postmaster.pid"), e);
    }
  }
}
