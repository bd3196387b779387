package io.zynamo.proxy.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  private final AtomicInteger nextEphemeral = new AtomicInteger(40000);

  private PortAllocator allocator(Set<Integer> taken) {
    return new PortAllocator(port -> !taken.contains(port), nextEphemeral::getAndIncrement);
  }

  @Test
  void freePreferredPortIsUsed() {
    assertEquals(6433, allocator(Set.of()).preferred(6433));
  }

  @Test
  void takenPreferredPortFallsBackToAnyFreePort() {
    assertEquals(40000, allocator(Set.of(6433)).preferred(6433));
  }

  @Test
  void zeroMeansAnyFreePort() {
    assertEquals(40000, allocator(Set.of()).preferred(0));
  }

  @Test
  void aPortIsNeverHandedOutTwice() {
    PortAllocator ports = allocator(Set.of());

    assertEquals(6433, ports.preferred(6433));
    assertEquals(40000, ports.preferred(6433));
  }

  @Test
  void anyFreeSkipsPortsAlreadyHandedOut() {
    PortAllocator ports = allocator(Set.of());
    ports.preferred(40000);

    assertEquals(40001, ports.anyFree());
  }
}
