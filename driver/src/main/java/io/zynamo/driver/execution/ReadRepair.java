package io.zynamo.driver.execution;

import io.zynamo.ring.NodeId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Compares the digests of the replicas a read asked and decides what is newest (Dynamo's read
 * repair, with ADR 0001's last-writer-wins on row versions).
 *
 * <p>For each row id any replica mentions, the newest state wins: the highest version among the
 * copies and deletions (a deletion wins a tie, so a delete is never undone by an equal-version
 * copy). A replica is stale for a row when it lacks that newest state.
 *
 * @param newest for each row id, the replica holding its newest state and whether that state is a
 *     deletion
 * @param stale for each replica, the row ids it must be brought up to date on
 */
public record ReadRepair(Map<UUID, Source> newest, Map<NodeId, Set<UUID>> stale) {

  /** Where a row's newest state lives. */
  public record Source(NodeId replica, long version, boolean deleted) {}

  /**
   * Compares digests.
   *
   * @param preference the replicas asked, in preference order (ties go to the earlier one)
   * @param digests each asked replica's digest
   */
  public static ReadRepair of(List<NodeId> preference, Map<NodeId, Digest> digests) {
    return of(preference, digests, false);
  }

  /**
   * Compares digests for anti-entropy: as {@link #of}, except that a replica lacking a deleted row
   * is stale too unless it holds the deletion's tombstone, so that deletions reach every replica (a
   * read needs only the row gone; repair makes the replicas identical, tombstones included, so that
   * a late old image cannot bring the row back anywhere).
   */
  static ReadRepair withTombstones(List<NodeId> preference, Map<NodeId, Digest> digests) {
    return of(preference, digests, true);
  }

  private static ReadRepair of(
      List<NodeId> preference, Map<NodeId, Digest> digests, boolean tombstones) {
    Map<UUID, Source> newest = new TreeMap<>();
    for (NodeId replica : preference) {
      Digest digest = digests.get(replica);
      for (UUID row : union(digest)) {
        long state = digest.stateOf(row);
        Source best = newest.get(row);
        if (state != 0 && (best == null || beats(state, best))) {
          newest.put(row, new Source(replica, Math.abs(state), state < 0));
        }
      }
    }
    Map<NodeId, Set<UUID>> stale = new LinkedHashMap<>();
    for (NodeId replica : preference) {
      Set<UUID> behind = new TreeSet<>();
      newest.forEach(
          (row, source) -> {
            long state = digests.get(replica).stateOf(row);
            // For a read, a deleted row is current wherever it is absent; a present row needs
            // its version.
            boolean behindOn =
                source.deleted()
                    ? (tombstones ? state != -source.version() : state > 0)
                    : state != source.version();
            if (behindOn) {
              behind.add(row);
            }
          });
      if (!behind.isEmpty()) {
        stale.put(replica, behind);
      }
    }
    return new ReadRepair(newest, stale);
  }

  /** Whether every replica asked already agrees. */
  public boolean consistent() {
    return stale.isEmpty();
  }

  /** The first replica (in preference order) that is stale for none of the rows, if any. */
  public java.util.Optional<NodeId> freshReplica(List<NodeId> preference) {
    return preference.stream().filter(n -> !stale.containsKey(n)).findFirst();
  }

  private static boolean beats(long state, Source best) {
    long version = Math.abs(state);
    return version > best.version() || (version == best.version() && state < 0 && !best.deleted());
  }

  private static Set<UUID> union(Digest digest) {
    Set<UUID> rows = new TreeSet<>(digest.rows().keySet());
    rows.addAll(digest.tombstones().keySet());
    return rows;
  }
}
