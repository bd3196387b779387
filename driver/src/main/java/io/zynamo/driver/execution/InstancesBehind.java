package io.zynamo.driver.execution;

import io.zynamo.driver.catalog.InstanceStore.Heartbeat;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.NodeId;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which driver and proxy instances still route with a ring older than an epoch, by the heartbeats
 * they leave on the nodes ({@code zynamo.instances}): what a ring change waits on before it may
 * rely on nobody using the previous ring.
 */
final class InstancesBehind {

  private InstancesBehind() {}

  /**
   * Reads the heartbeats every node of {@code members} that answers saw within {@code lease}, and
   * returns {@link #of} them.
   *
   * @throws SQLException 08001 when no node answers; a node's other errors, naming it
   */
  static SortedSet<String> read(
      RingGossip.Nodes nodes,
      List<NodeId> members,
      long epoch,
      Duration lease,
      String self,
      long selfEpoch)
      throws SQLException {
    List<Heartbeat> rows = new ArrayList<>();
    SQLException first = null;
    boolean answered = false;
    for (NodeId node : members) {
      try (RingGossip.Node session = nodes.open(node)) {
        rows.addAll(session.heartbeats(lease));
        answered = true;
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        first = first == null ? e : first;
      }
    }
    if (!answered) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
          "no node is reachable to read the instances' heartbeats",
          first);
    }
    return of(rows, epoch, self, selfEpoch);
  }

  /**
   * The ids whose newest heartbeat (by {@code seen}; the higher epoch on a tie) has an epoch below
   * {@code epoch}; instance {@code self} is judged by {@code selfEpoch} instead of its rows (they
   * lag its ring by up to one round).
   */
  static SortedSet<String> of(Collection<Heartbeat> rows, long epoch, String self, long selfEpoch) {
    Map<String, Heartbeat> newest = new HashMap<>();
    for (Heartbeat row : rows) {
      newest.merge(row.id(), row, InstancesBehind::newer);
    }
    newest.remove(self);
    SortedSet<String> behind = new TreeSet<>();
    newest.values().stream().filter(h -> h.epoch() < epoch).forEach(h -> behind.add(h.id()));
    if (selfEpoch < epoch) {
      behind.add(self);
    }
    return behind;
  }

  private static Heartbeat newer(Heartbeat a, Heartbeat b) {
    int bySeen = a.seen().compareTo(b.seen());
    if (bySeen != 0) {
      return bySeen > 0 ? a : b;
    }
    return a.epoch() >= b.epoch() ? a : b;
  }
}
