package io.zynamo.driver.execution;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.ring.NodeId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@code SELECT zynamo.repair()}, {@code zynamo.repair('table')} and {@code zynamo.repair('table' |
 * NULL, 'node')}: one anti-entropy pass now, over every table or one, over every bucket or those a
 * node holds, answered by one row of counts.
 */
final class RepairCall {

  private static final String ARGUMENT = "(NULL|'(?:[^']|'')*')";

  private static final Pattern CALL =
      Pattern.compile(
          "\\s*SELECT\\s+zynamo\\s*\\.\\s*repair\\s*\\(\\s*(?:"
              + ARGUMENT
              + "\\s*(?:,\\s*"
              + ARGUMENT
              + "\\s*)?)?\\)\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  private RepairCall() {}

  /** The pass a statement asks for; empty when it is not a call of {@code zynamo.repair}. */
  static Optional<RepairScope> parse(String sql, SqlFrontend names, List<NodeId> ring)
      throws java.sql.SQLException {
    Matcher m = CALL.matcher(sql);
    if (!m.matches()) {
      return Optional.empty();
    }
    String table = text(m.group(1));
    String node = text(m.group(2));
    return Optional.of(
        new RepairScope(
            table == null
                ? null
                : names
                    .objectName(table)
                    .orElseThrow(
                        () ->
                            ZynamoErrors.create(
                                ZynamoSqlState.SYNTAX_ERROR,
                                "invalid table name: \"" + table + "\"")),
            node == null ? null : node(node, ring)));
  }

  /**
   * A node of the ring, named as {@code zynamo.nodes} shows it ({@code host:port/database}) or by
   * {@code host:port} alone.
   */
  private static NodeId node(String name, List<NodeId> ring) throws java.sql.SQLException {
    for (NodeId n : ring) {
      if (n.value().equals(name) || n.value().startsWith(name + "/")) {
        return n;
      }
    }
    throw ZynamoErrors.invalidValue(
        "zynamo.repair node",
        name,
        "a node of the ring: "
            + ring.stream().map(NodeId::value).collect(Collectors.joining(", ")));
  }

  private static @Nullable String text(@Nullable String argument) {
    if (argument == null || argument.equalsIgnoreCase("NULL")) {
      return null;
    }
    return argument.substring(1, argument.length() - 1).replace("''", "'");
  }

  /** The one row answering the call. */
  static String answer(RepairReport r) {
    String unreachable =
        r.unreachable().stream().map(NodeId::value).collect(Collectors.joining(", "));
    return "SELECT "
        + r.tables()
        + " AS tables, "
        + r.buckets()
        + " AS buckets, "
        + r.bucketsSkipped()
        + " AS buckets_skipped, "
        + r.rangesDiffering()
        + " AS ranges_differing, "
        + r.rowsCompared()
        + "::bigint AS rows_compared, "
        + r.rowsRepaired()
        + "::bigint AS rows_repaired, "
        + r.tombstonesRemoved()
        + "::bigint AS tombstones_removed, '"
        + unreachable.replace("'", "''")
        + "'::text AS unreachable";
  }
}
