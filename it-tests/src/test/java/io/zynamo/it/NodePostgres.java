package io.zynamo.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * node-postgres (npm {@code pg}, with {@code pg-cursor} and {@code pg-copy-streams}) installed
 * under the build's target folder, and the script {@code node-pg/drive.js} that drives a server
 * with it.
 *
 * <p>The machine's {@code node} and {@code npm} are required, not optional: without them the test
 * fails and says so ({@code .ci/run} installs them on Debian).
 */
record NodePostgres(Path folder, Path script) {

  /** Pinned, so a new release on npm cannot change what the test checks. */
  static final List<String> PACKAGES =
      List.of("pg@8.23.1", "pg-cursor@2.22.0", "pg-copy-streams@7.0.0");

  private static final long INSTALL_MINUTES = 5;

  /**
   * The packages under {@code target/node-pg}, installed with npm unless a previous run of this
   * build already did (its marker file names the same packages).
   */
  static NodePostgres install(Path target, Path script) throws IOException, InterruptedException {
    String version = run(List.of("node", "--version"), "node").strip();
    run(List.of("npm", "--version"), "npm");
    if (!version.matches("v(1[6-9]|[2-9]\\d)\\..*")) {
      throw new AssertionError("node " + version + " (expected >= v16, as pg 8 needs)");
    }
    Path folder = target.resolve("node-pg");
    Path marker = folder.resolve("installed.txt");
    String wanted = String.join("\n", PACKAGES);
    if (!Files.isRegularFile(marker) || !Files.readString(marker, UTF_8).equals(wanted)) {
      npmInstall(folder);
      Files.writeString(marker, wanted, UTF_8);
    }
    return new NodePostgres(folder, script);
  }

  private static void npmInstall(Path folder) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    List<String> command =
        new ArrayList<>(
            List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", folder.toString()));
    command.addAll(PACKAGES);
    Path log = folder.resolve("npm-install.log");
    Process npm =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
      npm.destroyForcibly();
      throw new AssertionError(
          "npm install did not finish in " + INSTALL_MINUTES + " min: " + command);
    }
    if (npm.exitValue() != 0) {
      throw new AssertionError(
          "npm install failed (exit " + npm.exitValue() + "): " + Files.readString(log, UTF_8));
    }
  }

  /** Runs a short command that must exist; its output. */
  private static String run(List<String> command, String what)
      throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          what
              + " is not on PATH: the node-postgres tests need Node.js and npm (Debian: apt-get"
              + " install nodejs npm; .ci/run installs them when run as root)",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  /**
   * What one run of the script printed.
   *
   * @param steps each step's name and the JSON it printed, in order
   * @param log its standard error: the message of every error a step met
   */
  record Run(Map<String, String> steps, String log) {}

  /**
   * Runs the script with {@code env} (PGHOST, PGPORT...) for at most {@code seconds}, then kills
   * it. Output also stays in {@code target/node-pg/<name>.out} and {@code .err}.
   */
  Run drive(String name, Map<String, String> env, long seconds)
      throws IOException, InterruptedException {
    Path out = folder.resolve(name + ".out");
    Path err = folder.resolve(name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder("node", script.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("NODE_PATH", folder.resolve("node_modules").toString());
    builder.environment().putAll(env);
    Process node = builder.start();
    if (!node.waitFor(seconds, TimeUnit.SECONDS)) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
      throw new AssertionError(
          name
              + ": node did not finish in "
              + seconds
              + " s; so far: "
              + Files.readString(out, UTF_8));
    }
    if (node.exitValue() != 0) {
      throw new AssertionError(
          name
              + ": node exited with "
              + node.exitValue()
              + ": "
              + Files.readString(err, UTF_8)
              + "\nsteps: "
              + Files.readString(out, UTF_8));
    }
    return new Run(steps(name, out), Files.readString(err, UTF_8));
  }

  /** The script's output lines, "name TAB json", as a map in their order. */
  private static Map<String, String> steps(String name, Path out) throws IOException {
    Map<String, String> steps = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out, UTF_8)) {
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new AssertionError(name + ": not a step line: " + line);
      }
      steps.put(line.substring(0, tab), line.substring(tab + 1));
    }
    return steps;
  }
}
