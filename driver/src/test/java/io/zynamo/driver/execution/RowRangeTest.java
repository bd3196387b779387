package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RowRangeTest {

  @Test
  void theRootHoldsEveryIdWithoutBounds() {
    assertNull(RowRange.ALL.lower());
    assertNull(RowRange.ALL.upper());
    assertEquals("*", RowRange.ALL.toString());
  }

  @Test
  void childrenSplitARangeIntoSixteenAdjacentPartsByTheNextDigit() {
    List<RowRange> children = RowRange.ALL.children();
    assertEquals(16, children.size());
    assertEquals(new UUID(0, 0), children.get(0).lower());
    assertEquals(UUID.fromString("10000000-0000-0000-0000-000000000000"), children.get(0).upper());
    assertEquals(UUID.fromString("f0000000-0000-0000-0000-000000000000"), children.get(15).lower());
    assertNull(children.get(15).upper());
    for (int i = 0; i + 1 < 16; i++) {
      assertEquals(children.get(i).upper(), children.get(i + 1).lower(), "child " + i);
    }
    RowRange f = children.get(15);
    List<RowRange> grandchildren = f.children();
    assertEquals("f0", grandchildren.get(0).toString());
    assertEquals(f.lower(), grandchildren.get(0).lower());
    assertEquals(
        UUID.fromString("f1000000-0000-0000-0000-000000000000"), grandchildren.get(0).upper());
    assertNull(grandchildren.get(15).upper(), "the last range runs to the last id");
  }

  @Test
  void anIdFallsInTheChildNamedByItsDigitAsPostgresqlComputesIt() {
    Random random = new Random(7);
    for (int trial = 0; trial < 1000; trial++) {
      UUID id = new UUID(random.nextLong(), random.nextLong());
      RowRange range = RowRange.ALL;
      for (int digits = 0; digits < RowRange.MAX_DIGITS; digits++) {
        // zynamo.range_hashes: (get_byte(uuid_send(id), digits / 2) >> (4 * (1 - digits % 2))) & 15
        int digit = (int) (id.getMostSignificantBits() >>> (60 - 4 * digits)) & 15;
        range = range.children().get(digit);
        assertTrue(contains(range, id), id + " in " + range);
      }
      assertTrue(range.deepest());
    }
  }

  @Test
  void theDeepestRangeHasNoChildrenAndBadRangesAreRefused() {
    RowRange deepest = new RowRange(0xabcdef012345L, RowRange.MAX_DIGITS);
    assertEquals("abcdef012345", deepest.toString());
    assertThrows(IllegalStateException.class, deepest::children);
    assertThrows(IllegalArgumentException.class, () -> new RowRange(16, 1));
    assertThrows(IllegalArgumentException.class, () -> new RowRange(0, RowRange.MAX_DIGITS + 1));
  }

  /** PostgreSQL's uuid order: bytes compared unsigned, most significant first. */
  private static boolean contains(RowRange range, UUID id) {
    return (range.lower() == null || compare(range.lower(), id) <= 0)
        && (range.upper() == null || compare(id, range.upper()) < 0);
  }

  private static int compare(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }
}
