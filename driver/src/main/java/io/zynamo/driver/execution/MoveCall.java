package io.zynamo.driver.execution;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.HostId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.membership.Member;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The membership calls: {@code SELECT zynamo.add_node('host:port' [, host => 'h'] [, weight =>
 * n])}, {@code zynamo.remove_node('host:port' [, force => true])}, {@code zynamo.pause_move()} and
 * {@code zynamo.resume_move()}.
 */
record MoveCall(String function, @Nullable String node, Map<String, String> named) {

  private static final Pattern CALL =
      Pattern.compile(
          "\\s*SELECT\\s+(?:\\*\\s+FROM\\s+)?zynamo\\s*\\.\\s*(add_node|remove_node|pause_move"
              + "|resume_move)\\s*\\((.*)\\)\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private static final Pattern ARGUMENT =
      Pattern.compile(
          "\\s*(?:([a-z_]+)\\s*=>\\s*)?('(?:[^']|'')*'|[0-9]+|true|false)\\s*(,|$)",
          Pattern.CASE_INSENSITIVE);

  /** Longest text a call's arguments may have: a node name and a few options. */
  private static final int MAX_ARGUMENTS = 1024;

  /** The call a statement makes; empty when it is none of them. */
  static Optional<MoveCall> parse(String sql) throws SQLException {
    Matcher m = CALL.matcher(sql);
    if (!m.matches()) {
      return Optional.empty();
    }
    String function = m.group(1).toLowerCase(Locale.ROOT);
    String arguments = m.group(2);
    if (arguments.length() > MAX_ARGUMENTS) {
      throw ZynamoErrors.invalidValue(
          "zynamo." + function + " arguments", arguments.length() + " characters", "at most 1024");
    }
    List<String> positional = new ArrayList<>();
    Map<String, String> named = new HashMap<>();
    Matcher a = ARGUMENT.matcher(arguments);
    int at = 0;
    while (at < arguments.length() && !arguments.substring(at).isBlank()) {
      if (!a.find(at) || a.start() != at) {
        throw ZynamoErrors.create(
            ZynamoSqlState.SYNTAX_ERROR,
            "zynamo."
                + function
                + ": cannot read the arguments at \""
                + arguments.substring(at).strip()
                + "\" (expected: 'host:port' then name => value options)");
      }
      String value = a.group(2);
      if (value.startsWith("'")) {
        value = value.substring(1, value.length() - 1).replace("''", "'");
      }
      if (a.group(1) == null) {
        if (!named.isEmpty()) {
          throw ZynamoErrors.create(
              ZynamoSqlState.SYNTAX_ERROR,
              "zynamo." + function + ": a positional argument after a named one");
        }
        positional.add(value);
      } else {
        named.put(a.group(1).toLowerCase(Locale.ROOT), value);
      }
      at = a.end();
    }
    boolean takesNode = function.endsWith("_node");
    if (positional.size() != (takesNode ? 1 : 0)) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SYNTAX_ERROR,
          "zynamo."
              + function
              + (takesNode ? " takes one node, 'host:port'" : " takes no arguments")
              + " (got "
              + positional.size()
              + ")");
    }
    List<String> allowed =
        switch (function) {
          case "add_node" -> List.of("host", "weight");
          case "remove_node" -> List.of("force");
          default -> List.of();
        };
    for (String name : named.keySet()) {
      if (!allowed.contains(name)) {
        throw ZynamoErrors.create(
            ZynamoSqlState.UNDEFINED_PARAMETER,
            "zynamo." + function + ": no option " + name + " (expected one of " + allowed + ")");
      }
    }
    return Optional.of(new MoveCall(function, takesNode ? positional.get(0) : null, named));
  }

  /** The node a call names: {@code host:port} in the ring's database, or {@code host:port/db}. */
  NodeId nodeIn(String database) throws SQLException {
    String name = java.util.Objects.requireNonNull(node, "node");
    String address = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
    String db = name.contains("/") ? name.substring(name.indexOf('/') + 1) : database;
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || address.endsWith("]")) {
      throw ZynamoErrors.invalidValue("node", name, "host:port");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new io.zynamo.driver.Seed(host, Integer.parseInt(address.substring(colon + 1)))
          .nodeId(db);
    } catch (IllegalArgumentException e) {
      throw ZynamoErrors.invalidValue("node", name, "host:port with a port of 1..65535");
    }
  }

  /** The failure domain of an added node: {@code host => ..}, else the one its address implies. */
  HostId host(NodeId added) {
    String given = named.get("host");
    return given == null ? NodeAddress.of(added).failureDomain() : new HostId(given);
  }

  /** {@code weight => n}, default 100 (the weight of the ring's first nodes). */
  int weight() throws SQLException {
    String given = named.get("weight");
    if (given == null) {
      return 100;
    }
    try {
      int weight = Integer.parseInt(given);
      if (weight >= 1 && weight <= Member.MAX_WEIGHT) {
        return weight;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ZynamoErrors.invalidValue("weight", given, "an integer in 1.." + Member.MAX_WEIGHT);
  }

  /** {@code force => true}. */
  boolean force() throws SQLException {
    String given = named.getOrDefault("force", "false").toLowerCase(Locale.ROOT);
    if (!given.equals("true") && !given.equals("false")) {
      throw ZynamoErrors.invalidValue("force", given, "true or false");
    }
    return given.equals("true");
  }
}
