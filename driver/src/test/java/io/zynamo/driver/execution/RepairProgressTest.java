package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepairProgressTest {

  private static final NodeId A = new NodeId("a:5432/db");
  private static final NodeId B = new NodeId("b:5432/db");
  private static final Instant START = Instant.parse("2026-12-07T16:00:00Z");

  @Test
  void tombstonesRemovedAreCountedPerNodeAndInTotalAndPublishedAtOnce() {
    List<RepairReport> published = new ArrayList<>();
    RepairProgress progress = new RepairProgress(START, List.of(A, B), published::add);
    progress.compared(List.of(A, B));
    progress.exchanged(4, Map.of(B, 1L));
    progress.tombstonesRemoved(A, 7);
    progress.tombstonesRemoved(B, 7);

    RepairReport running = published.get(published.size() - 1);
    assertNull(running.finished());
    assertEquals(14, running.tombstonesRemoved());
    RepairReport done = progress.finish(START.plusSeconds(1));
    assertEquals(14, done.tombstonesRemoved());
    assertEquals(1, done.rowsRepaired());
    assertEquals(new RepairReport.NodeRepair(1, 0, 7, false), done.nodes().get(A));
    assertEquals(new RepairReport.NodeRepair(1, 1, 7, false), done.nodes().get(B));
  }

  @Test
  void anUnreachableNodeKeepsItsCountsAndIsReported() {
    RepairProgress progress = new RepairProgress(START, List.of(A, B), r -> {});
    progress.tombstonesRemoved(A, 3);
    assertFalse(progress.anyUnreachable());
    progress.unreachable(A);
    assertTrue(progress.anyUnreachable());
    RepairReport done = progress.finish(START);
    assertEquals(new RepairReport.NodeRepair(0, 0, 3, true), done.nodes().get(A));
    assertEquals(Set.of(A), done.unreachable());
  }

  @Test
  void theAnswerOfZynamoRepairNamesEveryCounter() {
    RepairProgress progress = new RepairProgress(START, List.of(A, B), r -> {});
    progress.table();
    progress.tombstonesRemoved(B, 5);
    progress.unreachable(A);
    assertEquals(
        "SELECT 1 AS tables, 0 AS buckets, 0 AS buckets_skipped, 0 AS ranges_differing,"
            + " 0::bigint AS rows_compared, 0::bigint AS rows_repaired,"
            + " 5::bigint AS tombstones_removed, 'a:5432/db'::text AS unreachable",
        RepairCall.answer(progress.finish(START)));
  }
}
