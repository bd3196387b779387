package io.zynamo.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Clock.systemUTC());
  }

  @Test
  void helpPrintsUsageAndSucceeds() {
    assertEquals(0, run("help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: zynamo start"));
  }

  @Test
  void unknownCommandIsABadUsage() {
    assertEquals(2, run("stop"));
    assertEquals(
        "zynamo: unknown command: stop (expected start or help)\n",
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badStartOptionIsABadUsage() {
    assertEquals(2, run("start", "--nodes", "0"));
    assertEquals("zynamo: --nodes 0 (expected 1..64)\n", err.toString(StandardCharsets.UTF_8));
  }
}
