package io.zynamo.ring.clock;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.NodeId;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stable binary form of a {@link VectorClock}, to be embedded in the serialized ring state.
 *
 * <pre>
 * clock  = count:int32  entry * count           0 &lt;= count &lt;= 1024
 * entry  = idLength:uint16  id:byte[idLength]   1 &lt;= idLength &lt;= 765, UTF-8 node id
 *          counter:int64  timestamp:int64       counter &gt;= 1, timestamp &gt;= 0
 *
 * +-------+----------+-----------+-----------+-------------+----------+-----------+-----
 * | count | idLength | id bytes  |  counter  |  timestamp  | idLength | id bytes  | ...
 * | 4     | 2        | idLength  |  8        |  8          | 2        | idLength  |
 * +-------+----------+-----------+-----------+-------------+----------+-----------+-----
 * </pre>
 *
 * <p>Integers are big-endian ({@link DataOutput}). Entries appear in strictly ascending node id
 * order, so every clock has exactly one encoding and equal clocks encode to equal bytes. Node ids
 * are standard UTF-8, not Java's modified UTF-8, so other tools can read them. There is no version
 * byte: the enclosing ring-state format carries the version.
 *
 * <p>Reading checks every bound before allocating and throws {@link IllegalArgumentException} on
 * malformed input, naming the entry and the bad value; truncated input surfaces as the {@link
 * java.io.EOFException} of the {@link DataInput}. The reader consumes exactly the clock's bytes.
 */
public final class VectorClockCodec {

  /**
   * Most entries a clock may have on the wire; far above any pruned clock, small enough to read.
   */
  public static final int MAX_ENTRIES = 1024;

  /** Longest node id in UTF-8 bytes: a UTF-16 char never needs more than 3 bytes. */
  public static final int MAX_NODE_ID_BYTES = NodeId.MAX_LENGTH * 3;

  private VectorClockCodec() {}

  /**
   * Writes {@code clock} in the layout above.
   *
   * @throws IllegalArgumentException if the clock has more than {@link #MAX_ENTRIES} entries or a
   *     node id is not valid Unicode (an unpaired surrogate), so whatever is written can be read
   */
  public static void write(VectorClock clock, DataOutput out) throws IOException {
    requireNonNull(clock, "clock");
    requireNonNull(out, "out");
    checkCount(clock.size());
    out.writeInt(clock.size());
    for (VectorClock.Entry entry : clock.entries()) {
      byte[] id = encodeNodeId(entry.node());
      out.writeShort(id.length);
      out.write(id);
      out.writeLong(entry.counter());
      out.writeLong(entry.timestamp());
    }
  }

  /**
   * Reads one clock written by {@link #write}.
   *
   * @throws IllegalArgumentException if the input breaks a rule of the layout above
   * @throws java.io.EOFException if the input ends inside the clock
   */
  public static VectorClock read(DataInput in) throws IOException {
    requireNonNull(in, "in");
    int count = in.readInt();
    checkCount(count);
    List<VectorClock.Entry> entries = new ArrayList<>(count);
    for (int index = 0; index < count; index++) {
      VectorClock.Entry entry = readEntry(in, index);
      if (index > 0 && entries.get(index - 1).node().compareTo(entry.node()) >= 0) {
        throw new IllegalArgumentException(
            entryError(index)
                + "node id '"
                + entry.node()
                + "' (expected: after '"
                + entries.get(index - 1).node()
                + "', entries sorted by node id without duplicates)");
      }
      entries.add(entry);
    }
    return VectorClock.of(entries);
  }

  private static void checkCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("vector clock entries: " + count + " (expected: >= 0)");
    }
    if (count > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "vector clock entries: " + count + " (expected: <= " + MAX_ENTRIES + ")");
    }
  }

  private static VectorClock.Entry readEntry(DataInput in, int index) throws IOException {
    int length = in.readUnsignedShort();
    if (length < 1 || length > MAX_NODE_ID_BYTES) {
      throw new IllegalArgumentException(
          entryError(index)
              + "node id length: "
              + length
              + " (expected: 1.."
              + MAX_NODE_ID_BYTES
              + " bytes)");
    }
    byte[] id = new byte[length];
    in.readFully(id);
    long counter = in.readLong();
    long timestamp = in.readLong();
    try {
      return new VectorClock.Entry(new NodeId(decodeNodeId(id)), counter, timestamp);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(entryError(index) + e.getMessage(), e);
    }
  }

  private static String entryError(int index) {
    return "vector clock entry " + index + ": ";
  }

  private static byte[] encodeNodeId(NodeId node) {
    try {
      // A strict encoder: String.getBytes would silently turn an unpaired surrogate into '?',
      // and the id read back would name another node.
      ByteBuffer bytes = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(node.value()));
      byte[] id = new byte[bytes.remaining()];
      bytes.get(id);
      return id;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("node id '" + node + "': not valid Unicode", e);
    }
  }

  private static String decodeNodeId(byte[] id) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(id)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("node id: not valid UTF-8", e);
    }
  }
}
