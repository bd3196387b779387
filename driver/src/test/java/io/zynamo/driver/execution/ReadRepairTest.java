package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReadRepairTest {

  private static final NodeId A = new NodeId("a:1/db");
  private static final NodeId B = new NodeId("b:1/db");
  private static final NodeId C = new NodeId("c:1/db");
  private static final UUID ROW = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000002");

  private static Digest rows(Map<UUID, Long> rows) {
    return new Digest(rows, Map.of());
  }

  @Test
  void agreeingReplicasNeedNothing() {
    ReadRepair r =
        ReadRepair.of(List.of(A, B), Map.of(A, rows(Map.of(ROW, 5L)), B, rows(Map.of(ROW, 5L))));
    assertTrue(r.consistent());
    assertEquals(Optional.of(A), r.freshReplica(List.of(A, B)));
  }

  @Test
  void anOlderVersionIsRepairedFromTheNewest() {
    ReadRepair r =
        ReadRepair.of(
            List.of(A, B, C),
            Map.of(A, rows(Map.of(ROW, 5L)), B, rows(Map.of(ROW, 9L)), C, rows(Map.of(ROW, 9L))));
    assertEquals(new ReadRepair.Source(B, 9, false), r.newest().get(ROW));
    assertEquals(Map.of(A, Set.of(ROW)), r.stale());
    assertEquals(Optional.of(B), r.freshReplica(List.of(A, B, C)));
  }

  @Test
  void aMissingRowIsCopiedToTheReplicaThatLacksIt() {
    ReadRepair r =
        ReadRepair.of(List.of(A, B), Map.of(A, rows(Map.of()), B, rows(Map.of(ROW, 3L))));
    assertEquals(Map.of(A, Set.of(ROW)), r.stale());
  }

  @Test
  void aNewerDeletionWinsAndIsNotUndone() {
    Digest deleted = new Digest(Map.of(), Map.of(ROW, 7L));
    ReadRepair r = ReadRepair.of(List.of(A, B), Map.of(A, rows(Map.of(ROW, 5L)), B, deleted));
    assertEquals(new ReadRepair.Source(B, 7, true), r.newest().get(ROW));
    assertEquals(Map.of(A, Set.of(ROW)), r.stale());
  }

  @Test
  void anOlderDeletionLosesToARewrittenRow() {
    Digest deletedEarly = new Digest(Map.of(), Map.of(ROW, 4L));
    ReadRepair r = ReadRepair.of(List.of(A, B), Map.of(A, deletedEarly, B, rows(Map.of(ROW, 6L))));
    assertEquals(new ReadRepair.Source(B, 6, false), r.newest().get(ROW));
    assertEquals(Map.of(A, Set.of(ROW)), r.stale());
  }

  @Test
  void whenNoReplicaIsFreshForEveryRowThereIsNoFreshReplica() {
    ReadRepair r =
        ReadRepair.of(
            List.of(A, B),
            Map.of(
                A, rows(Map.of(ROW, 9L, OTHER, 1L)),
                B, rows(Map.of(ROW, 5L, OTHER, 2L))));
    assertEquals(Map.of(A, Set.of(OTHER), B, Set.of(ROW)), r.stale());
    assertEquals(Optional.empty(), r.freshReplica(List.of(A, B)));
  }

  @Test
  void aReadLeavesAReplicaWithoutTheRowAndItsTombstoneAloneButRepairGivesItTheTombstone() {
    Digest deleted = new Digest(Map.of(), Map.of(ROW, 7L));
    Map<NodeId, Digest> digests = Map.of(A, deleted, B, rows(Map.of()), C, rows(Map.of(ROW, 5L)));
    assertEquals(Map.of(C, Set.of(ROW)), ReadRepair.of(List.of(A, B, C), digests).stale());
    ReadRepair repair = ReadRepair.withTombstones(List.of(A, B, C), digests);
    assertEquals(new ReadRepair.Source(A, 7, true), repair.newest().get(ROW));
    assertEquals(Map.of(B, Set.of(ROW), C, Set.of(ROW)), repair.stale());
  }

  @Test
  void forRepairAnOlderTombstoneIsNoDifferenceOnceTheRowIsNewer() {
    Digest both = new Digest(Map.of(ROW, 6L), Map.of(ROW, 4L));
    ReadRepair r =
        ReadRepair.withTombstones(List.of(A, B), Map.of(A, both, B, rows(Map.of(ROW, 6L))));
    assertTrue(r.consistent());
  }
}
