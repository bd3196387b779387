package io.zynamo.driver.catalog;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.RingState;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What reading the ring from each seed gave: the merged state found, and the seeds that failed. */
final class SeedScan {

  private Optional<RingState> found = Optional.empty();
  private final Map<NodeId, SQLException> failures = new LinkedHashMap<>();

  void reached(NodeId seed, Optional<RingState> state) {
    state.ifPresent(s -> found = Optional.of(found.map(f -> f.merge(s)).orElse(s)));
  }

  void failed(NodeId seed, SQLException error) {
    failures.put(seed, error);
  }

  Optional<RingState> found() {
    return found;
  }

  /** Throws 08001 naming every unreachable seed, with the first error chained. */
  void requireAllReachable(List<NodeId> seeds) throws SQLException {
    if (failures.isEmpty()) {
      return;
    }
    List<String> names = failures.keySet().stream().map(NodeId::toString).toList();
    if (failures.size() == seeds.size()) {
      throw ZynamoErrors.noSeedReachable(names, List.copyOf(failures.values()));
    }
    StringBuilder message =
        new StringBuilder("cannot create the ring while seeds are unreachable: ");
    failures.forEach(
        (seed, e) -> message.append(seed).append(" (").append(e.getMessage()).append("); "));
    message.setLength(message.length() - 2);
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
        message.toString(),
        failures.values().iterator().next());
  }
}
