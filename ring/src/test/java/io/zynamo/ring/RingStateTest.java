package io.zynamo.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.membership.Member;
import io.zynamo.ring.membership.MemberState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingStateTest {

  private static final ColumnPlacement STRATEGY = new ColumnPlacement();
  private static final NodeId CLAIMANT_A = new NodeId("n01");
  private static final NodeId CLAIMANT_B = new NodeId("n02");

  private static List<Member> members(int count) {
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      members.add(RandomCluster.member(i, i, 100));
    }
    return members;
  }

  private static RingState ring(int count) {
    return RingState.create(
        members(count), new ReplicationFactor(3), 8, CLAIMANT_A, 1000, STRATEGY);
  }

  @Test
  void encodingRoundTrips() {
    RingState state = ring(5);
    RingState grown = state.withMembers(members(6), CLAIMANT_B, 2000, STRATEGY);
    for (RingState s : List.of(state, grown)) {
      byte[] bytes = RingStateCodec.encode(s);
      RingState back = RingStateCodec.decode(bytes);
      assertEquals(s, back);
      assertArrayEquals(bytes, RingStateCodec.encode(back));
    }
  }

  /** Joins the 6th and 7th members to {@code ring(5)}, then removes the 1st: each as a move. */
  @Test
  void movesGoThroughThreeStepsAndRoundTrip() {
    RingState five = ring(5);
    List<Member> joining = new ArrayList<>(members(5));
    joining.add(RandomCluster.member(6, 6, 100).withState(MemberState.JOINING));
    RingState begun = five.beginMove(joining, CLAIMANT_A, 2000, STRATEGY);
    NodeId six = joining.get(5).node();
    assertEquals(five.placement(), begun.placement(), "reads stay where they were");
    assertTrue(begun.moving().contains(six));
    assertFalse(begun.placement().contains(six));
    assertFalse(begun.movingBuckets().isEmpty());
    assertEquals(6, begun.nodes().size());
    for (BucketId b : begun.movingBuckets()) {
      assertTrue(begun.extraReplicas(b).contains(six));
      assertFalse(begun.placement().replicas(b).contains(six));
    }
    assertThrows(
        IllegalStateException.class, () -> begun.beginMove(joining, CLAIMANT_A, 2001, STRATEGY));

    RingState switched = begun.switchMove(CLAIMANT_A, 3000);
    assertEquals(begun.moving(), switched.placement());
    assertEquals(begun.placement(), switched.moving());
    assertEquals(MemberState.UP, switched.member(six).orElseThrow().state());
    assertEquals(begun.movingBuckets(), switched.movingBuckets());

    RingState done = switched.finishMove(CLAIMANT_A, 4000);
    assertEquals(null, done.moving());
    assertTrue(done.movingBuckets().isEmpty());
    assertEquals(done.epoch(), five.epoch() + 3);
    assertThrows(IllegalStateException.class, () -> done.switchMove(CLAIMANT_A, 5000));

    List<Member> leaving = new ArrayList<>(done.members());
    leaving.set(0, leaving.get(0).withState(MemberState.LEAVING));
    RingState shrinking = done.beginMove(leaving, CLAIMANT_B, 6000, STRATEGY);
    assertFalse(shrinking.moving().contains(leaving.get(0).node()));
    RingState shrunk = shrinking.switchMove(CLAIMANT_B, 7000).finishMove(CLAIMANT_B, 8000);
    assertEquals(MemberState.REMOVED, shrunk.member(leaving.get(0).node()).orElseThrow().state());
    assertFalse(shrunk.placement().contains(leaving.get(0).node()));

    for (RingState s : List.of(begun, switched, done, shrinking, shrunk)) {
      byte[] bytes = RingStateCodec.encode(s);
      RingState back = RingStateCodec.decode(bytes);
      assertEquals(s, back);
      assertArrayEquals(bytes, RingStateCodec.encode(back));
      assertEquals(s.moving() == null ? 1 : 2, bytes[2], "format");
    }
    // A concurrent state merges with the move's table kept whole.
    RingState other = five.withMembers(members(5), CLAIMANT_B, 2500, STRATEGY);
    RingState merged = begun.merge(other);
    assertEquals(merged, other.merge(begun));
  }

  /** Stored on every node: a new release must still read what an old one wrote. */
  @Test
  void encodingOfATinyRingIsPinned() {
    RingState tiny =
        RingState.create(members(2), new ReplicationFactor(2), 1, CLAIMANT_A, 7, STRATEGY);
    String hex = HexFormat.of().formatHex(RingStateCodec.encode(tiny));
    assertEquals(
        "5a5201" // magic, format 1
            + "0000000000000001" // epoch 1
            + "01" // Q = 1
            + "02" // N = 2
            + "00000001"
            + "0003"
            + "6e3031"
            + "0000000000000001"
            + "0000000000000007" // clock
            + "00000002" // 2 members
            + "00036e3031"
            + "00036830310000006455" // n01 h01 weight 100 'U'
            + "00036e3032"
            + "00036830320000006455" // n02 h02 weight 100 'U'
            + "02" // 2 columns
            + "0001" // home columns of n01, n02
            + "00000001"
            + "00000001", // bucket 0: n01, n02; bucket 1: n01, n02
        hex);
  }

  @Test
  void newerStateWinsEitherWay() {
    RingState old = ring(3);
    RingState next = old.withMembers(members(4), CLAIMANT_A, 2000, STRATEGY);
    assertSame(next, old.merge(next));
    assertSame(next, next.merge(old));
    assertSame(next, next.merge(next));
  }

  @Test
  void concurrentStatesResolveAlikeOnEveryNodeAndDescendBoth() {
    RingState base = ring(3);
    RingState grownByA = base.withMembers(members(4), CLAIMANT_A, 2000, STRATEGY);
    List<Member> shrunk = new ArrayList<>(members(3));
    shrunk.set(2, shrunk.get(2).withState(MemberState.REMOVED));
    RingState shrunkByB = base.withMembers(shrunk, CLAIMANT_B, 2000, STRATEGY);

    RingState ab = grownByA.merge(shrunkByB);
    RingState ba = shrunkByB.merge(grownByA);
    assertEquals(ab, ba);
    assertTrue(ab.version().descends(grownByA.version()));
    assertTrue(ab.version().descends(shrunkByB.version()));
    assertTrue(ab.members().equals(grownByA.members()) || ab.members().equals(shrunkByB.members()));
  }

  @Test
  void mergingAnOldStateNeverResurrectsARemovedMember() {
    RingState base = ring(4);
    List<Member> removed = new ArrayList<>(members(4));
    removed.set(3, removed.get(3).withState(MemberState.REMOVED));
    RingState after = base.withMembers(removed, CLAIMANT_A, 2000, STRATEGY);
    RingState merged = after.merge(base);
    assertEquals(MemberState.REMOVED, merged.member(new NodeId("n04")).orElseThrow().state());
    assertFalse(merged.placement().contains(new NodeId("n04")));
  }

  @Test
  void malformedEncodingsAreRejectedWithTheField() {
    byte[] good = RingStateCodec.encode(ring(3));
    assertMessage("truncated", Arrays.copyOf(good, good.length - 1));
    assertMessage("trailing bytes", Arrays.copyOf(good, good.length + 1));
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertMessage("bad magic", magic);
    byte[] format = good.clone();
    format[2] = 9;
    assertMessage("format: 9", format);
    byte[] bits = good.clone();
    bits[11] = 40;
    assertMessage("bucket bits: 40", bits);
  }

  @Test
  void memberCountIsBoundedBeforeAllocating() {
    RingState state = ring(3);
    byte[] good = RingStateCodec.encode(state);
    int at = 13 + clockBytes(state); // magic 2, format 1, epoch 8, Q 1, N 1
    byte[] huge = good.clone();
    huge[at] = 0x7f;
    assertMessage("ring members: 2130706435", huge);
  }

  private static int clockBytes(RingState state) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      io.zynamo.ring.clock.VectorClockCodec.write(
          state.version(), new java.io.DataOutputStream(out));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out.size();
  }

  private static void assertMessage(String expected, byte[] bytes) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RingStateCodec.decode(bytes));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void stateMustMatchItsPlacement() {
    RingState state = ring(3);
    List<Member> more = members(4);
    assertThrows(
        IllegalArgumentException.class,
        () -> new RingState(1, state.version(), 8, state.replication(), more, state.placement()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RingState(
                0, state.version(), 8, state.replication(), state.members(), state.placement()));
  }
}
