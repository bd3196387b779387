package io.zynamo.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StartOptionsTest {

  @Test
  void noArgumentsMeansDataFolderAndRecordedOrThreeNodes() {
    StartOptions options = StartOptions.parse(List.of());

    assertEquals(Path.of("data"), options.data());
    assertEquals(3, options.nodesFor(OptionalInt.empty()));
    assertEquals(5, options.nodesFor(OptionalInt.of(5)));
  }

  @Test
  void explicitOptionsWin() {
    StartOptions options = StartOptions.parse(List.of("--nodes", "4", "--data", "/tmp/z"));

    assertEquals(Path.of("/tmp/z"), options.data());
    assertEquals(4, options.nodesFor(OptionalInt.of(5)));
  }

  @Test
  void unknownOptionIsNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StartOptions.parse(List.of("--port")));

    assertEquals(
        "unknown option: --port (expected --data DIR, --nodes N or --config FILE)", e.getMessage());
  }

  @Test
  void optionWithoutValueIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StartOptions.parse(List.of("--data")));

    assertEquals(
        "--data needs a value (usage: zynamo start [--data DIR] [--nodes N] | --config FILE)",
        e.getMessage());
  }

  @Test
  void nodeCountMustBeASmallPositiveNumber() {
    assertThrows(IllegalArgumentException.class, () -> StartOptions.parse(List.of("--nodes", "x")));
    assertThrows(IllegalArgumentException.class, () -> StartOptions.parse(List.of("--nodes", "0")));
  }

  @Test
  void configRunsOnlyTheProxy() {
    StartOptions options = StartOptions.parse(List.of("--config", "/etc/zynamo.properties"));
    assertEquals(java.util.Optional.of(Path.of("/etc/zynamo.properties")), options.config());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StartOptions.parse(List.of("--config", "z.properties", "--nodes", "3")));
    assertEquals(
        "--config serves the nodes the file names (expected no --data or --nodes with it)",
        e.getMessage());
  }
}
