package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A freshly {@code initdb}-ed data directory kept in the cache and copied for each new node:
 * copying takes about 0.1 s where {@code initdb} takes about 0.5 s.
 *
 * <p>The template is created once per binaries version, initdb options and server uid, atomically:
 * initdb writes into a private staging folder whose result is renamed into place, so a template
 * that exists is complete. It never holds node settings; those live in each node's {@code
 * zynamo.conf}.
 */
final class DataDirectoryTemplate {

  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);

  private static final List<String> INITDB_OPTIONS =
      List.of(
          "--username=postgres",
          "--auth=trust",
          "--encoding=UTF8",
          "--locale=C",
          // 1 MB WAL segments instead of 16 MB: every node copy writes 15 MB less.
          "--wal-segsize=1",
          // No fsync here: durable nodes sync their own copy (syncCommand) before first start.
          "--no-sync");

  private DataDirectoryTemplate() {}

  /** The template directory for these binaries and this account, created if missing. */
  static Path ensure(PostgresBinaries binaries, ServerAccount account, Path cacheRoot) {
    // The name changes with the binaries, the initdb options and the owner, never the content.
    String options = Integer.toHexString(INITDB_OPTIONS.hashCode());
    Path template =
        cacheRoot.resolve(
            "zynamo-postgres-%s-template-%s-uid%d"
                .formatted(binaries.cacheKey(), options, account.serverUid()));
    if (Files.isRegularFile(template.resolve("PG_VERSION"))
        && Files.isRegularFile(template.resolve("global/pg_control"))) {
      return template;
    }
    try {
      // Absent, or partly removed by a /tmp cleaner: set the remains aside, then initdb anew.
      FileTree.discard(template);
      create(binaries, account, cacheRoot, template);
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "cannot create the initdb template " + template + ": " + e.getMessage(), e);
    }
    return template;
  }

  private static void create(
      PostgresBinaries binaries, ServerAccount account, Path cacheRoot, Path template)
      throws IOException {
    Path staging = Files.createTempDirectory(cacheRoot, template.getFileName() + ".initdb-");
    try {
      account.own(staging);
      Path data = staging.resolve("data");
      CommandResult result =
          new ProcessRunner(binaries.home())
              .run(account.wrap(initdbCommand(binaries, data)), INITDB_TIMEOUT);
      if (!result.succeeded()) {
        throw new PostgresLaunchException("initdb failed: " + result.describe());
      }
      try {
        Files.move(data, template, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another JVM published a complete template first; ours is discarded below.
      }
    } finally {
      FileTree.delete(staging);
    }
  }

  static List<String> initdbCommand(PostgresBinaries binaries, Path data) {
    List<String> command = new ArrayList<>();
    command.add(binaries.initdb().toString());
    command.add("--pgdata=" + data);
    command.addAll(INITDB_OPTIONS);
    return command;
  }

  /** {@code initdb --sync-only}: flushes a copied data directory to disk. */
  static List<String> syncCommand(PostgresBinaries binaries, Path data) {
    return List.of(binaries.initdb().toString(), "--pgdata=" + data, "--sync-only");
  }
}
