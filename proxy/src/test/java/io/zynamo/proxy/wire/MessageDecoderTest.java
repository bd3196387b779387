package io.zynamo.proxy.wire;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import io.zynamo.proxy.wire.FrontendMessage.Bind;
import io.zynamo.proxy.wire.FrontendMessage.CopyData;
import io.zynamo.proxy.wire.FrontendMessage.CopyDone;
import io.zynamo.proxy.wire.FrontendMessage.CopyFail;
import io.zynamo.proxy.wire.FrontendMessage.Describe;
import io.zynamo.proxy.wire.FrontendMessage.Execute;
import io.zynamo.proxy.wire.FrontendMessage.Parse;
import io.zynamo.proxy.wire.FrontendMessage.Query;
import io.zynamo.proxy.wire.FrontendMessage.Sync;
import io.zynamo.proxy.wire.FrontendMessage.Target;
import io.zynamo.proxy.wire.FrontendMessage.Unsupported;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageDecoderTest {

  private static final int LIMIT = 64 * 1024;

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  /** Parse, Bind (one text, one NULL, one binary value), Describe, Execute, Sync. */
  private static ByteBuf extendedBatch() {
    ByteBuf parse = Unpooled.buffer();
    Frames.cString(parse, "s1");
    Frames.cString(parse, "SELECT $1, $2, $3");
    parse.writeShort(3).writeInt(0).writeInt(25).writeInt(23);
    ByteBuf bind = Unpooled.buffer();
    Frames.cString(bind, "p1");
    Frames.cString(bind, "s1");
    bind.writeShort(3).writeShort(0).writeShort(0).writeShort(1);
    bind.writeShort(3);
    bind.writeInt(2).writeBytes("42".getBytes(StandardCharsets.UTF_8));
    bind.writeInt(-1);
    bind.writeInt(4).writeInt(7);
    bind.writeShort(1).writeShort(1);
    ByteBuf describe = Unpooled.buffer().writeByte('P');
    Frames.cString(describe, "p1");
    ByteBuf execute = Unpooled.buffer();
    Frames.cString(execute, "p1");
    execute.writeInt(10);
    return Unpooled.wrappedBuffer(
        Frames.message('P', parse),
        Frames.message('B', bind),
        Frames.message('D', describe),
        Frames.message('E', execute),
        Frames.message('S', Unpooled.EMPTY_BUFFER));
  }

  private static void assertExtendedBatch(List<Object> messages) {
    assertEquals(5, messages.size());
    assertEquals(new Parse("s1", "SELECT $1, $2, $3", List.of(0, 25, 23)), messages.get(0));
    Bind bind = assertInstanceOf(Bind.class, messages.get(1));
    assertEquals("p1", bind.portal());
    assertEquals("s1", bind.statement());
    assertEquals(List.of((short) 0, (short) 0, (short) 1), bind.parameterFormats());
    assertArrayEquals("42".getBytes(StandardCharsets.UTF_8), bind.values().get(0));
    assertNull(bind.values().get(1));
    assertArrayEquals(new byte[] {0, 0, 0, 7}, bind.values().get(2));
    assertEquals(List.of((short) 1), bind.resultFormats());
    assertEquals(new Describe(Target.PORTAL, "p1"), messages.get(2));
    assertEquals(new Execute("p1", 10), messages.get(3));
    assertEquals(new Sync(), messages.get(4));
  }

  private static List<Object> drain(EmbeddedChannel channel) {
    List<Object> messages = new ArrayList<>();
    for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
      messages.add(m);
    }
    return messages;
  }

  @Test
  void extendedBatchWhole() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageDecoder(LIMIT));
    channel.writeInbound(extendedBatch());
    assertExtendedBatch(drain(channel));
    assertFalse(channel.finish());
  }

  @Test
  void extendedBatchByteByByte() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageDecoder(LIMIT));
    ByteBuf bytes = extendedBatch();
    while (bytes.isReadable()) {
      channel.writeInbound(bytes.readRetainedSlice(1));
    }
    bytes.release();
    assertExtendedBatch(drain(channel));
    assertFalse(channel.finish());
  }

  @Test
  void splitMidHeader() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageDecoder(LIMIT));
    ByteBuf bytes = Frames.query("SELECT 1");
    channel.writeInbound(bytes.readRetainedSlice(3));
    assertNull(channel.readInbound());
    channel.writeInbound(bytes);
    assertEquals(new Query("SELECT 1"), channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void copyMessagesAndFunctionCallsReachTheSession() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageDecoder(LIMIT));
    channel.writeInbound(Frames.message('d', Unpooled.buffer().writeBytes(new byte[] {1, 2})));
    assertEquals(new CopyData(new byte[] {1, 2}), channel.readInbound());
    channel.writeInbound(Frames.message('c', Unpooled.buffer()));
    assertEquals(new CopyDone(), channel.readInbound());
    channel.writeInbound(
        Frames.message('f', Unpooled.buffer().writeBytes("gave up\0".getBytes(US_ASCII))));
    assertEquals(new CopyFail("gave up"), channel.readInbound());
    channel.writeInbound(Frames.message('F', Unpooled.buffer().writeBytes(new byte[] {0})));
    assertEquals(new Unsupported('F'), channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void oversizedQueryFailsOnItsHeaderAlone() {
    EmbeddedChannel channel = new EmbeddedChannel(new MessageDecoder(LIMIT));
    ByteBuf header = Unpooled.buffer().writeByte('Q').writeInt(LIMIT + 1);
    ProtocolException e = failure(channel, header);
    assertEquals("invalid message length: 'Q' length: 65537 (expected: 4..65536)", e.getMessage());
    channel.writeInbound(Frames.query("SELECT 1")); // discarded: the connection is closing
    assertNull(channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void smallMessagesHaveTheServersSmallLimit() {
    ByteBuf header = Unpooled.buffer().writeByte('S').writeInt(10_001);
    ProtocolException e = failure(new EmbeddedChannel(new MessageDecoder(LIMIT)), header);
    assertTrue(e.getMessage().contains("(expected: 4..10000)"), e.getMessage());
  }

  @Test
  void negativeAndTinyLengthsAreRejected() {
    ProtocolException negative =
        failure(
            new EmbeddedChannel(new MessageDecoder(LIMIT)),
            Unpooled.buffer().writeByte('Q').writeInt(-1));
    assertTrue(negative.getMessage().contains("length: 4294967295"), negative.getMessage());
    failure(
        new EmbeddedChannel(new MessageDecoder(LIMIT)),
        Unpooled.buffer().writeByte('Q').writeInt(3));
  }

  @Test
  void unknownTypeIsRejected() {
    ProtocolException e =
        failure(
            new EmbeddedChannel(new MessageDecoder(LIMIT)),
            Unpooled.buffer().writeByte('z').writeInt(4));
    assertEquals("invalid frontend message type 122", e.getMessage());
  }

  @Test
  void malformedBodiesAreRejected() {
    ByteBuf noNul = Unpooled.buffer().writeBytes("SELECT".getBytes(StandardCharsets.UTF_8));
    assertTrue(malformed('Q', noNul).contains("string without terminator"));
    ByteBuf trailing = Unpooled.buffer();
    Frames.cString(trailing, "SELECT 1");
    trailing.writeByte(1);
    assertTrue(malformed('Q', trailing).contains("1 bytes after the last field"));
    ByteBuf hugeCount = Unpooled.buffer();
    Frames.cString(hugeCount, "");
    Frames.cString(hugeCount, "SELECT 1");
    hugeCount.writeShort(0xffff);
    assertTrue(malformed('P', hugeCount).contains("count 65535 exceeds the message"));
    ByteBuf badFormat = Unpooled.buffer();
    Frames.cString(badFormat, "");
    Frames.cString(badFormat, "");
    badFormat.writeShort(1).writeShort(7);
    assertTrue(malformed('B', badFormat).contains("unsupported format code: 7"));
    ByteBuf valueTooLong = Unpooled.buffer();
    Frames.cString(valueTooLong, "");
    Frames.cString(valueTooLong, "");
    valueTooLong.writeShort(0).writeShort(1).writeInt(1000).writeByte(1);
    assertTrue(malformed('B', valueTooLong).contains("message ends early"));
    ByteBuf badTarget = Unpooled.buffer().writeByte('X');
    Frames.cString(badTarget, "");
    assertTrue(malformed('D', badTarget).contains("invalid target"));
  }

  @Test
  void invalidUtf8InAStringIsRefused() {
    ByteBuf latin1 = Unpooled.buffer().writeBytes(new byte[] {'c', 'a', 'f', (byte) 0xe9, 0});
    DecoderException e =
        assertThrows(
            DecoderException.class,
            () ->
                new EmbeddedChannel(new MessageDecoder(LIMIT))
                    .writeInbound(Frames.message('Q', latin1)));
    ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
    assertEquals("22021", cause.sqlState());
  }

  private static String malformed(char type, ByteBuf body) {
    return failure(new EmbeddedChannel(new MessageDecoder(LIMIT)), Frames.message(type, body))
        .getMessage();
  }

  private static ProtocolException failure(EmbeddedChannel channel, ByteBuf bytes) {
    DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(bytes));
    ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
    assertEquals("08P01", cause.sqlState());
    return cause;
  }
}
