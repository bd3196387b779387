package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zynamo.driver.catalog.InstanceStore.Heartbeat;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class InstancesBehindTest {

  @Test
  void behindAreTheInstancesWhoseNewestHeartbeatIsOlder() {
    Instant t = Instant.parse("2026-12-07T12:00:00Z");
    List<Heartbeat> rows =
        List.of(
            new Heartbeat("a", 4, t),
            new Heartbeat("a", 5, t.plusSeconds(1)), // a's newest row: caught up
            new Heartbeat("b", 5, t),
            new Heartbeat("b", 4, t.plusSeconds(1)), // b's newest row: behind
            new Heartbeat("c", 3, t),
            new Heartbeat("self", 1, t.plusSeconds(2)));

    assertEquals(Set.of("b", "c"), InstancesBehind.of(rows, 5, "self", 5));
    assertEquals(new TreeSet<>(List.of("b", "c", "self")), InstancesBehind.of(rows, 5, "self", 4));
    assertEquals(Set.of(), InstancesBehind.of(rows, 3, "self", 3));
  }
}
