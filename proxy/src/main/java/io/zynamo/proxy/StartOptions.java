package io.zynamo.proxy;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * The options of {@code zynamo start}: the data folder and, optionally, the number of nodes.
 *
 * @param data the cluster folder; {@code ./data} unless {@code --data} says otherwise
 * @param nodes {@code --nodes}; empty means the recorded count, or 3 for a new folder
 */
public record StartOptions(Path data, OptionalInt nodes) {

  /** The folder used when {@code --data} is not given, relative to the current directory. */
  public static final Path DEFAULT_DATA = Path.of("data");

  /** Nodes of a new cluster when {@code --nodes} is not given. */
  public static final int DEFAULT_NODES = 3;

  static final String USAGE = "usage: zynamo start [--data DIR] [--nodes N]";

  public StartOptions {
    requireNonNull(data, "data");
    requireNonNull(nodes, "nodes");
    if (nodes.isPresent() && (nodes.getAsInt() < 1 || nodes.getAsInt() > 64)) {
      throw new IllegalArgumentException("--nodes " + nodes.getAsInt() + " (expected 1..64)");
    }
  }

  /** Parses the arguments after {@code start}: {@code --data DIR}, {@code --nodes N}. */
  public static StartOptions parse(List<String> args) {
    Path data = DEFAULT_DATA;
    OptionalInt nodes = OptionalInt.empty();
    for (int i = 0; i < args.size(); i += 2) {
      String option = args.get(i);
      if (!option.equals("--data") && !option.equals("--nodes")) {
        throw new IllegalArgumentException(
            "unknown option: " + option + " (expected --data DIR or --nodes N)");
      }
      if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
        throw new IllegalArgumentException(option + " needs a value (" + USAGE + ")");
      }
      String value = args.get(i + 1);
      if (option.equals("--data")) {
        data = Path.of(value);
      } else {
        nodes = OptionalInt.of(number(value));
      }
    }
    return new StartOptions(data, nodes);
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
