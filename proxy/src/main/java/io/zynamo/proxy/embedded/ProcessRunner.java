package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command to completion with a deadline, stdout and stderr merged.
 *
 * <p>The child gets {@code LC_ALL=C} (so server messages we match on are in English) and none of
 * the caller's {@code PG*} variables (so {@code PGDATA} or {@code PGPORT} cannot redirect it).
 */
final class ProcessRunner {

  private final Path workingDirectory;

  /**
   * Creates a runner whose children start in {@code workingDirectory}; it must be reachable by the
   * server account, since PostgreSQL tools may resolve paths against it.
   */
  ProcessRunner(Path workingDirectory) {
    this.workingDirectory = workingDirectory;
  }

  CommandResult run(List<String> command, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(workingDirectory.toFile()).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("PG"));
    environment.put("LC_ALL", "C");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    return await(command, process, timeout);
  }

  private static CommandResult await(List<String> command, Process process, Duration timeout) {
    try (InputStream output = process.getInputStream()) {
      // pg_ctl hands the server's output to its log file, so this stream ends when the tool exits.
      String printed = new String(output.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new PostgresLaunchException(
            String.join(" ", command) + " did not finish within " + timeout);
      }
      return new CommandResult(command, process.exitValue(), printed);
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "cannot read output of " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new PostgresLaunchException(
          "interrupted while waiting for " + String.join(" ", command), e);
    }
  }
}
