package io.zynamo.proxy;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The options of {@code zynamo start}: the data folder and, optionally, the number of nodes; or a
 * configuration file, for a proxy in front of existing PostgreSQL servers.
 *
 * @param data the cluster folder; {@code ./data} unless {@code --data} says otherwise
 * @param nodes {@code --nodes}; empty means the recorded count, or 3 for a new folder
 * @param config {@code --config}: no local nodes, the proxy serves the nodes the file names
 */
public record StartOptions(Path data, OptionalInt nodes, Optional<Path> config) {

  /** The folder used when {@code --data} is not given, relative to the current directory. */
  public static final Path DEFAULT_DATA = Path.of("data");

  /** Nodes of a new cluster when {@code --nodes} is not given. */
  public static final int DEFAULT_NODES = 3;

  static final String USAGE = "usage: zynamo start [--data DIR] [--nodes N] | --config FILE";

  public StartOptions {
    requireNonNull(data, "data");
    requireNonNull(nodes, "nodes");
    requireNonNull(config, "config");
    if (nodes.isPresent() && (nodes.getAsInt() < 1 || nodes.getAsInt() > 64)) {
      throw new IllegalArgumentException("--nodes " + nodes.getAsInt() + " (expected 1..64)");
    }
  }

  /**
   * Parses the arguments after {@code start}: {@code --data DIR}, {@code --nodes N}, {@code
   * --config FILE}.
   */
  public static StartOptions parse(List<String> args) {
    Path data = DEFAULT_DATA;
    boolean local = false;
    OptionalInt nodes = OptionalInt.empty();
    Optional<Path> config = Optional.empty();
    for (int i = 0; i < args.size(); i += 2) {
      String option = args.get(i);
      if (!List.of("--data", "--nodes", "--config").contains(option)) {
        throw new IllegalArgumentException(
            "unknown option: " + option + " (expected --data DIR, --nodes N or --config FILE)");
      }
      if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
        throw new IllegalArgumentException(option + " needs a value (" + USAGE + ")");
      }
      String value = args.get(i + 1);
      switch (option) {
        case "--data" -> {
          data = Path.of(value);
          local = true;
        }
        case "--nodes" -> {
          nodes = OptionalInt.of(number(value));
          local = true;
        }
        default -> config = Optional.of(Path.of(value));
      }
    }
    if (local && config.isPresent()) {
      throw new IllegalArgumentException(
          "--config serves the nodes the file names (expected no --data or --nodes with it)");
    }
    return new StartOptions(data, nodes, config);
  }

  private static int number(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--nodes " + value + " (expected a number 1..64)", e);
    }
  }

  /** The node count to start: {@code --nodes}, else what the folder records, else 3. */
  public int nodesFor(OptionalInt recorded) {
    return nodes.orElse(recorded.orElse(DEFAULT_NODES));
  }
}
