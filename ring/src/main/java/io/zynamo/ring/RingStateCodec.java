package io.zynamo.ring;

import io.zynamo.ring.clock.VectorClock;
import io.zynamo.ring.clock.VectorClockCodec;
import io.zynamo.ring.membership.Member;
import io.zynamo.ring.membership.MemberState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stable binary form of a {@link RingState}, stored on every node and gossiped.
 *
 * <pre>
 *  "ZR" 0x01                 magic and format version
 *  int64   epoch
 *  byte    bucket bits Q     (0..16)
 *  byte    replicas N        (1..16)
 *  clock   version           (VectorClockCodec)
 *  -- content (compared bytewise to order concurrent states) --
 *  int32   member count      (<= 4096)
 *  member* node id (UTF), host id (UTF), int32 weight, byte state code
 *  byte    columns C
 *  byte*   home column of each data-owning member, in node order
 *  uint16* holder of (bucket, column), as an index into the data-owning members, B x C
 * </pre>
 *
 * <p>Format 2 is written while a move is under way ({@link RingState#moving}): each of the two
 * tables lists its own nodes, since neither holds every data-owning member.
 *
 * <pre>
 *  "ZR" 0x02, epoch, Q, N, version, members    as in format 1
 *  table   placement, then moving, each:
 *    int32   node count; uint16* index of each node into the members (sorted by node id)
 *    byte    columns C; byte* home column of each node; uint16* holder index into its nodes, B x C
 * </pre>
 *
 * <p>Every count and index read is checked before anything is allocated from it.
 */
public final class RingStateCodec {

  static final byte FORMAT = 1;

  /** The format of a state with a move under way. */
  static final byte MOVING_FORMAT = 2;

  private RingStateCodec() {}

  /** Encodes a ring state. */
  public static byte[] encode(RingState state) {
    return toBytes(
        out -> {
          out.writeByte('Z');
          out.writeByte('R');
          out.writeByte(state.moving() == null ? FORMAT : MOVING_FORMAT);
          out.writeLong(state.epoch());
          out.writeByte(state.bucketBits());
          out.writeByte(state.replication().value());
          VectorClockCodec.write(state.version(), out);
          writeContent(state, out);
        });
  }

  /** The content part only (members and table), used to order concurrent states. */
  static byte[] content(RingState state) {
    return toBytes(out -> writeContent(state, out));
  }

  private interface Writer {
    void write(DataOutput out) throws IOException;
  }

  private static byte[] toBytes(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writer.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private static void writeContent(RingState state, DataOutput out) throws IOException {
    out.writeInt(state.members().size());
    for (Member m : state.members()) {
      out.writeUTF(m.node().value());
      out.writeUTF(m.host().value());
      out.writeInt(m.weight());
      out.writeByte(code(m.state()));
    }
    Placement moving = state.moving();
    if (moving == null) {
      writeTable(state.placement(), out);
      return;
    }
    Map<NodeId, Integer> memberIndex = new HashMap<>();
    state.members().forEach(m -> memberIndex.put(m.node(), memberIndex.size()));
    for (Placement p : List.of(state.placement(), moving)) {
      out.writeInt(p.nodes().size());
      for (NodeId node : p.nodes()) {
        out.writeShort(memberIndex.get(node));
      }
      writeTable(p, out);
    }
  }

  private static void writeTable(Placement p, DataOutput out) throws IOException {
    out.writeByte(p.columns());
    List<NodeId> owners = p.nodes();
    for (NodeId node : owners) {
      out.writeByte(p.homeColumn(node));
    }
    Map<NodeId, Integer> index = new HashMap<>();
    owners.forEach(n -> index.put(n, index.size()));
    for (int b = 0; b < p.bucketCount(); b++) {
      for (int c = 0; c < p.columns(); c++) {
        out.writeShort(index.get(p.holder(new BucketId(b), c)));
      }
    }
  }

  /**
   * Decodes a ring state.
   *
   * @throws IllegalArgumentException for malformed or out-of-range content, naming the field
   */
  public static RingState decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readByte() != 'Z' || in.readByte() != 'R') {
        throw new IllegalArgumentException("ring state: bad magic (expected: \"ZR\")");
      }
      byte format = in.readByte();
      if (format != FORMAT && format != MOVING_FORMAT) {
        throw new IllegalArgumentException("ring state format: " + format + " (expected: 1 or 2)");
      }
      long epoch = in.readLong();
      int bits = in.readUnsignedByte();
      ReplicationFactor replication = new ReplicationFactor(in.readUnsignedByte());
      VectorClock version = VectorClockCodec.read(in);
      KeyHasher hasher = new KeyHasher(bits);
      List<Member> members = readMembers(in);
      Placement placement;
      Placement moving = null;
      if (format == FORMAT) {
        placement =
            readPlacement(
                in,
                members.stream().filter(m -> m.state().ownsData()).toList(),
                hasher.bucketCount());
      } else {
        placement = readPlacement(in, readNodes(in, members), hasher.bucketCount());
        moving = readPlacement(in, readNodes(in, members), hasher.bucketCount());
      }
      if (in.read() >= 0) {
        throw new IllegalArgumentException("ring state: trailing bytes after the bucket table");
      }
      return new RingState(epoch, version, bits, replication, members, placement, moving);
    } catch (EOFException e) {
      throw new IllegalArgumentException("ring state: truncated (" + bytes.length + " bytes)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Member> readMembers(DataInput in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > RingState.MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "ring members: " + count + " (expected: 0.." + RingState.MAX_MEMBERS + ")");
    }
    List<Member> members = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      NodeId node = new NodeId(in.readUTF());
      HostId host = new HostId(in.readUTF());
      int weight = in.readInt();
      members.add(new Member(node, host, weight, state(in.readByte())));
    }
    return members;
  }

  /** Stable one-byte codes: never derived from enum order, which may change. */
  private static byte code(MemberState state) {
    return switch (state) {
      case JOINING -> 'J';
      case UP -> 'U';
      case LEAVING -> 'L';
      case REMOVED -> 'R';
    };
  }

  private static MemberState state(byte code) {
    return switch (code) {
      case 'J' -> MemberState.JOINING;
      case 'U' -> MemberState.UP;
      case 'L' -> MemberState.LEAVING;
      case 'R' -> MemberState.REMOVED;
      default ->
          throw new IllegalArgumentException(
              "member state code: " + code + " (expected: J, U, L or R)");
    };
  }

  /** The members one table of a format-2 state lists, by index. */
  private static List<Member> readNodes(DataInput in, List<Member> members) throws IOException {
    int count = in.readInt();
    if (count < 1 || count > members.size()) {
      throw new IllegalArgumentException(
          "table nodes: " + count + " (expected: 1.." + members.size() + ")");
    }
    List<Member> nodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int index = in.readUnsignedShort();
      if (index >= members.size()) {
        throw new IllegalArgumentException(
            "table node: " + index + " (expected: < " + members.size() + ")");
      }
      nodes.add(members.get(index));
    }
    return nodes;
  }

  private static Placement readPlacement(DataInput in, List<Member> tableNodes, int buckets)
      throws IOException {
    List<Member> owners =
        tableNodes.stream().sorted(java.util.Comparator.comparing(Member::node)).toList();
    int columns = in.readUnsignedByte();
    if (columns < 1 || columns > ReplicationFactor.MAX) {
      throw new IllegalArgumentException(
          "ring columns: " + columns + " (expected: 1.." + ReplicationFactor.MAX + ")");
    }
    Map<NodeId, HostId> hosts = new HashMap<>();
    Map<NodeId, Integer> homes = new HashMap<>();
    for (Member m : owners) {
      hosts.put(m.node(), m.host());
      homes.put(m.node(), in.readUnsignedByte());
    }
    List<List<NodeId>> table = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) {
      List<NodeId> row = new ArrayList<>(columns);
      for (int c = 0; c < columns; c++) {
        int index = in.readUnsignedShort();
        if (index >= owners.size()) {
          throw new IllegalArgumentException(
              "bucket " + b + " holder: " + index + " (expected: < " + owners.size() + ")");
        }
        row.add(owners.get(index).node());
      }
      table.add(row);
    }
    return new Placement(table, hosts, homes);
  }
}
