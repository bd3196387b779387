package io.zynamo.proxy.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterManifestTest {

  @Test
  void formatThenParseGivesTheSamePorts() {
    ClusterManifest manifest = new ClusterManifest(List.of(6433, 6434, 40001));

    ClusterManifest parsed = ClusterManifest.parse(manifest.format(), "test");

    assertEquals(manifest, parsed);
    assertEquals(3, parsed.nodes());
  }

  @Test
  void formatIsStableAndReadable() {
    assertEquals(
        """
        # Zynamo local PostgreSQL cluster; rewritten at every start.
        nodes=2
        node.1.port=6433
        node.2.port=6434
        """,
        new ClusterManifest(List.of(6433, 6434)).format());
  }

  @Test
  void parseIgnoresCommentsAndSurroundingBlanks() {
    ClusterManifest parsed =
        ClusterManifest.parse("# hand edited\nnodes = 1\nnode.1.port = 7000 \n", "test");

    assertEquals(List.of(7000), parsed.ports());
  }

  @Test
  void missingPortNamesTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterManifest.parse("nodes=2\nnode.1.port=6433\n", "/d/cluster.properties"));

    assertEquals(
        "/d/cluster.properties: node.2.port is missing (expected a number)", e.getMessage());
  }

  @Test
  void nonNumericValueIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ClusterManifest.parse("nodes=three\n", "f"));

    assertEquals("f: nodes=three (expected a number)", e.getMessage());
  }

  @Test
  void portOutOfRangeIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterManifest.parse("nodes=1\nnode.1.port=70000\n", "f"));

    assertTrue(e.getMessage().contains("port 70000 (expected 1..65535)"), e.getMessage());
  }

  @Test
  void zeroNodesIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> ClusterManifest.parse("nodes=0\n", "f"));
    assertThrows(IllegalArgumentException.class, () -> new ClusterManifest(List.of()));
  }
}
