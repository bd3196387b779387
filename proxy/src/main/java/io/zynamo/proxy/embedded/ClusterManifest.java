package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a cluster folder remembers between starts: how many nodes it has and the port of each, in
 * {@code cluster.properties}, so a restarted embedded cluster comes back on the same ports.
 *
 * <pre>
 * nodes=3
 * node.1.port=6433
 * node.2.port=6434
 * node.3.port=6435
 * </pre>
 *
 * @param ports the port of node i+1 at index i
 */
record ClusterManifest(List<Integer> ports) {

  static final String FILE_NAME = "cluster.properties";

  ClusterManifest {
    ports = List.copyOf(ports);
    if (ports.isEmpty()) {
      throw new IllegalArgumentException("ports: [] (expected at least one node)");
    }
    for (int port : ports) {
      checkPort(port, "ports " + ports);
    }
  }

  int nodes() {
    return ports.size();
  }

  /** The manifest in {@code directory}, or empty when the folder has none yet. */
  static Optional<ClusterManifest> read(Path directory) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    try {
      return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Parses the text of a manifest; {@code source} names it in error messages. */
  static ClusterManifest parse(String text, String source) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": not a properties file: " + e.getMessage(), e);
    }
    int nodes = number(properties, "nodes", source);
    if (nodes < 1) {
      throw new IllegalArgumentException(source + ": nodes=" + nodes + " (expected >= 1)");
    }
    List<Integer> ports = new ArrayList<>();
    for (int node = 1; node <= nodes; node++) {
      int port = number(properties, "node." + node + ".port", source);
      checkPort(port, source + ": node." + node + ".port");
      ports.add(port);
    }
    return new ClusterManifest(ports);
  }

  private static int number(Properties properties, String key, String source) {
    String value = properties.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException(source + ": " + key + " is missing (expected a number)");
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          source + ": " + key + "=" + value + " (expected a number)", e);
    }
  }

  private static void checkPort(int port, String where) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(where + ": port " + port + " (expected 1..65535)");
    }
  }

  /** The manifest as text, in a stable order and without a timestamp. */
  String format() {
    StringBuilder text = new StringBuilder();
    text.append("# Zynamo local PostgreSQL cluster; rewritten at every start.\n");
    text.append("nodes=").append(nodes()).append('\n');
    for (int i = 0; i < ports.size(); i++) {
      text.append("node.").append(i + 1).append(".port=").append(ports.get(i)).append('\n');
    }
    return text.toString();
  }

  /** Replaces the manifest in {@code directory} atomically. */
  void write(Path directory) throws IOException {
    Path temporary = Files.createTempFile(directory, FILE_NAME, ".tmp");
    try {
      Files.writeString(temporary, format(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(
          temporary,
          directory.resolve(FILE_NAME),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
