package io.zynamo.ring.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zynamo.ring.NodeId;
import io.zynamo.ring.clock.VectorClock.Entry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorClockCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  static LongStream seeds() {
    return Clocks.seeds();
  }

  @Test
  void writesTheDocumentedLayout() {
    VectorClock clock = VectorClock.of(List.of(new Entry(new NodeId("n1"), 3, 5)));
    assertEquals(
        "00000001" + "0002" + "6e31" + "0000000000000003" + "0000000000000005",
        HEX.formatHex(encode(clock)));
    assertEquals("00000000", HEX.formatHex(encode(VectorClock.empty())));
  }

  /** Any ids (multi-byte characters included), any counters and timestamps. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void decodeInvertsEncode(long seed) {
    VectorClock clock = new Clocks(seed).wide();
    assertEquals(clock, decode(encode(clock)));
  }

  @Test
  void roundTripsTheLongestNodeIdInThreeByteCharacters() {
    NodeId longest = new NodeId("中".repeat(NodeId.MAX_LENGTH));
    VectorClock clock = VectorClock.empty().increment(longest, 1).increment(new NodeId("😀"), 2);
    byte[] bytes = encode(clock);
    assertEquals(4 + 2 + VectorClockCodec.MAX_NODE_ID_BYTES + 16 + 2 + 4 + 16, bytes.length);
    assertEquals(clock, decode(bytes));
  }

  @Test
  void readsOnlyItsOwnBytes() throws IOException {
    byte[] clock = encode(VectorClock.empty().increment(new NodeId("n1"), 1));
    byte[] followed = Arrays.copyOf(clock, clock.length + 3);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(followed));
    VectorClockCodec.read(in);
    assertEquals(3, in.available());
  }

  @Test
  void reportsEveryTruncationAsEndOfInput() {
    byte[] whole =
        encode(VectorClock.empty().increment(new NodeId("n1"), 1).increment(new NodeId("n2"), 2));
    for (int length = 0; length < whole.length; length++) {
      byte[] prefix = Arrays.copyOf(whole, length);
      assertThrows(
          EOFException.class,
          () -> VectorClockCodec.read(new DataInputStream(new ByteArrayInputStream(prefix))),
          () -> "prefix of " + prefix.length + " bytes");
    }
  }

  @Test
  void rejectsTooManyEntriesBeforeReadingThem() {
    assertDecodeError("vector clock entries: 5000 (expected: <= 1024)", "00001388");
    assertDecodeError("vector clock entries: -1 (expected: >= 0)", "ffffffff");
  }

  @Test
  void rejectsBadCountersAndTimestamps() {
    assertDecodeError(
        "vector clock entry 0: node n1: counter: 0 (expected: >= 1)",
        "00000001" + "0002" + "6e31" + "0000000000000000" + "0000000000000005");
    assertDecodeError(
        "vector clock entry 0: node n1: timestamp: -1 (expected: >= 0)",
        "00000001" + "0002" + "6e31" + "0000000000000001" + "ffffffffffffffff");
  }

  @Test
  void rejectsBadNodeIds() {
    assertDecodeError(
        "vector clock entry 0: node id length: 768 (expected: 1..765 bytes)", "00000001" + "0300");
    assertDecodeError(
        "vector clock entry 0: node id length: 0 (expected: 1..765 bytes)", "00000001" + "0000");
    assertDecodeError(
        "vector clock entry 0: node id: not valid UTF-8",
        "00000001" + "0002" + "c328" + "0000000000000001" + "0000000000000000");
    assertDecodeError(
        "vector clock entry 0: node id: ' ' (expected: 1..255 non-blank characters)",
        "00000001" + "0001" + "20" + "0000000000000001" + "0000000000000000");
  }

  @Test
  void rejectsUnsortedOrDuplicateNodeIds() {
    String n2 = "0002" + "6e32" + "0000000000000001" + "0000000000000000";
    String n1 = "0002" + "6e31" + "0000000000000001" + "0000000000000000";
    String expected = " (expected: after 'n2', entries sorted by node id without duplicates)";
    assertDecodeError("vector clock entry 1: node id 'n1'" + expected, "00000002" + n2 + n1);
    assertDecodeError("vector clock entry 1: node id 'n2'" + expected, "00000002" + n2 + n2);
  }

  @Test
  void refusesToWriteWhatItCouldNotRead() {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i <= VectorClockCodec.MAX_ENTRIES; i++) {
      entries.add(new Entry(Clocks.node(i), 1, 0));
    }
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> encode(VectorClock.of(entries)));
    assertEquals("vector clock entries: 1025 (expected: <= 1024)", tooMany.getMessage());

    VectorClock surrogate = VectorClock.empty().increment(new NodeId("n\uD800"), 1);
    IllegalArgumentException notUnicode =
        assertThrows(IllegalArgumentException.class, () -> encode(surrogate));
    assertEquals("node id 'n\uD800': not valid Unicode", notUnicode.getMessage());
  }

  private static void assertDecodeError(String message, String hex) {
    byte[] bytes = HEX.parseHex(hex);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> VectorClockCodec.read(new DataInputStream(new ByteArrayInputStream(bytes))));
    assertEquals(message, e.getMessage());
  }

  private static byte[] encode(VectorClock clock) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      VectorClockCodec.write(clock, new DataOutputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static VectorClock decode(byte[] bytes) {
    try {
      return VectorClockCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
