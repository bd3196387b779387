package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.routing.TableDistribution;
import io.zynamo.driver.sql.ObjectName;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import io.zynamo.ring.clock.HybridLogicalClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TombstoneHorizonTest {

  private static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");
  private static final NodeId A = new NodeId("a:5432/db");
  private static final NodeId B = new NodeId("b:5432/db");
  private static final NodeId C = new NodeId("c:5432/db");

  @Test
  void aDeletionStampedBeforeTheGraceIsOldEnoughAndOneStampedAfterIsNot() {
    TombstoneHorizon horizon = TombstoneHorizon.of(NOW, Duration.ofHours(1), Set.of());
    HybridLogicalClock before =
        new HybridLogicalClock(Clock.fixed(NOW.minusSeconds(3601), ZoneOffset.UTC));
    HybridLogicalClock within =
        new HybridLogicalClock(Clock.fixed(NOW.minusSeconds(3599), ZoneOffset.UTC));
    long old = before.now();
    long logicalTicksLater = before.now() + 1000; // still the same millisecond
    assertTrue(old < horizon.olderThan());
    assertTrue(logicalTicksLater < horizon.olderThan());
    assertFalse(within.now() < horizon.olderThan());
  }

  @Test
  void aZeroGraceMakesEveryDeletionStampedBeforeNowOldEnough() {
    TombstoneHorizon horizon = TombstoneHorizon.of(NOW, Duration.ZERO, Set.of());
    assertEquals(HybridLogicalClock.startOf(NOW.toEpochMilli()), horizon.olderThan());
  }

  @Test
  void aGraceLongerThanTheEpochLetsNothingGo() {
    TombstoneHorizon horizon =
        TombstoneHorizon.of(Instant.ofEpochSecond(10), Duration.ofHours(1), Set.of());
    assertEquals(0, horizon.olderThan());
    assertThrows(IllegalArgumentException.class, () -> new TombstoneHorizon(-1, Set.of()));
  }

  @Test
  void tablesWithHintsOnSomeNodeAreNotCovered() {
    TombstoneHorizon horizon =
        TombstoneHorizon.of(NOW, Duration.ZERO, Set.of("public.orders", "app.\"Mixed\""));
    assertFalse(horizon.covers(sharded(new ObjectName("public", "orders"))));
    assertFalse(horizon.covers(sharded(new ObjectName("app", "Mixed"))));
    assertTrue(horizon.covers(sharded(new ObjectName("public", "items"))));
    assertFalse(horizon.covers(sharded(new ObjectName(null, "orders"))), "public by default");
  }

  @Test
  void onlyAComparisonOfEveryReplicaIsComplete() {
    assertTrue(TombstoneHorizon.complete(List.of(A, B, C), List.of(C, A, B)));
    assertFalse(TombstoneHorizon.complete(List.of(A, B, C), List.of(A, B)));
    assertFalse(TombstoneHorizon.complete(List.of(), List.of()));
  }

  @Test
  void everyRangeGoesToEveryReplicaOfItsBucket() {
    BucketId b1 = new BucketId(1);
    BucketId b2 = new BucketId(2);
    TombstoneHorizon.Range whole = new TombstoneHorizon.Range(b1, RowRange.ALL);
    TombstoneHorizon.Range part = new TombstoneHorizon.Range(b2, RowRange.ALL.children().get(3));
    Map<NodeId, List<TombstoneHorizon.Range>> byReplica =
        TombstoneHorizon.byReplica(
            List.of(whole, part), Map.of(b1, List.of(A, B, C), b2, List.of(B, C, A)));
    assertEquals(
        Map.of(A, List.of(whole, part), B, List.of(whole, part), C, List.of(whole, part)),
        byReplica);
    assertEquals(
        Map.of(B, List.of(part)),
        TombstoneHorizon.byReplica(List.of(part), Map.of(b2, List.of(B))));
    assertThrows(
        IllegalArgumentException.class,
        () -> TombstoneHorizon.byReplica(List.of(whole), Map.of(b2, List.of(A))));
  }

  private static TableDistribution sharded(ObjectName name) {
    return TableDistribution.sharded(name, "id", "bigint", List.of("id"));
  }
}
