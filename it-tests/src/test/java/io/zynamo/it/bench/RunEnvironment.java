package io.zynamo.it.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What every benchmark's report says about where it ran (machine, JDK, PostgreSQL settings) and
 * where the report goes: the section of {@code docs/benchmarks.md} that the {@code bench} profile
 * names in {@code zynamo.bench.report}, or standard output only when run without it.
 */
final class RunEnvironment {

  private RunEnvironment() {}

  /** Cores, operating system, JDK and heap of this JVM. */
  static String machine() {
    Runtime runtime = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "Machine: %d cores, %s %s %s; JDK %s (%s), max heap %d MiB",
        runtime.availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"),
        runtime.maxMemory() >> 20);
  }

  /** The server version and the settings that matter for speed, read from one node. */
  static String postgres(String plainUrl, int nodes) throws SQLException {
    try (Connection connection = DriverManager.getConnection(plainUrl, "postgres", "");
        Statement statement = connection.createStatement()) {
      return "PostgreSQL "
          + show(statement, "server_version")
          + ", "
          + nodes
          + " local nodes on 127.0.0.1 sharing the machine with the clients: fsync "
          + show(statement, "fsync")
          + ", synchronous_commit "
          + show(statement, "synchronous_commit")
          + ", shared_buffers "
          + show(statement, "shared_buffers")
          + "; pgjdbc "
          + connection.getMetaData().getDriverVersion()
          + " with its defaults (prepareThreshold 5)";
    }
  }

  private static String show(Statement statement, String setting) throws SQLException {
    try (ResultSet row = statement.executeQuery("SHOW " + setting)) {
      row.next();
      return row.getString(1);
    }
  }

  /**
   * Prints {@code markdown} and, when the run has a report page, puts it into that page's section
   * {@code section} (between {@code <!-- bench:section:begin -->} and its end marker).
   */
  static void publish(String section, String markdown) throws IOException {
    System.out.println(markdown);
    String page = System.getProperty("zynamo.bench.report");
    if (page != null) {
      BenchReport.write(Path.of(page), section, markdown);
    }
  }

  /** An integer knob: {@code -Dzynamo.bench.<name>=...}, or {@code fallback}. */
  static int knob(String name, int fallback) {
    return Integer.getInteger("zynamo.bench." + name, fallback);
  }
}
