package io.zynamo.proxy.wire;

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
import io.zynamo.proxy.wire.FrontendMessage.CancelRequest;
import io.zynamo.proxy.wire.FrontendMessage.Query;
import io.zynamo.proxy.wire.FrontendMessage.SslRequest;
import io.zynamo.proxy.wire.FrontendMessage.StartupMessage;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StartupDecoderTest {

  @BeforeAll
  static void paranoidLeakDetection() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
  }

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(new StartupDecoder(1 << 20));
  }

  @Test
  void startupMessageWholeThenSessionMessagesInTheSameBuffer() {
    EmbeddedChannel channel = channel();
    ByteBuf bytes =
        Unpooled.wrappedBuffer(
            Frames.startup("user", "ada", "database", "app"), Frames.query("SELECT 1"));
    channel.writeInbound(bytes);
    StartupMessage startup = channel.readInbound();
    assertEquals(3, startup.majorVersion());
    assertEquals(0, startup.minorVersion());
    assertEquals(Map.of("user", "ada", "database", "app"), startup.parameters());
    assertEquals(new Query("SELECT 1"), channel.readInbound());
    assertNull(channel.readInbound());
    assertInstanceOf(MessageDecoder.class, channel.pipeline().get("messages"));
    assertFalse(channel.finish());
  }

  @Test
  void startupMessageByteByByte() {
    EmbeddedChannel channel = channel();
    ByteBuf bytes = Unpooled.wrappedBuffer(Frames.startup("user", "ada"), Frames.query("SELECT 2"));
    while (bytes.isReadable()) {
      channel.writeInbound(bytes.readRetainedSlice(1));
    }
    bytes.release();
    assertInstanceOf(StartupMessage.class, channel.readInbound());
    assertEquals(new Query("SELECT 2"), channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void sslRequestKeepsTheStartupPhase() {
    EmbeddedChannel channel = channel();
    ByteBuf ssl = Unpooled.buffer().writeInt(8).writeInt(80877103);
    channel.writeInbound(ssl.readRetainedSlice(3)); // split mid-header
    assertNull(channel.readInbound());
    channel.writeInbound(ssl);
    assertEquals(new SslRequest(), channel.readInbound());
    channel.writeInbound(Frames.startup("user", "ada"));
    assertInstanceOf(StartupMessage.class, channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void bytesSentWithTheSslRequestAreRefused() {
    // A man in the middle could inject them ahead of the TLS handshake (CVE-2021-23214).
    ByteBuf ssl = Unpooled.buffer().writeInt(8).writeInt(80877103).writeByte(0x16);
    assertProtocolError(ssl, "received unencrypted data after SSL request");
  }

  @Test
  void cancelRequestCarriesTheKey() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(
        Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(7).writeInt(-9));
    assertEquals(new CancelRequest(7, -9), channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void oversizedLengthFailsBeforeTheBodyArrivesAndTheRestIsDiscarded() {
    EmbeddedChannel channel = channel();
    DecoderException e =
        assertThrows(
            DecoderException.class,
            () -> channel.writeInbound(Unpooled.buffer().writeInt(10_001).writeInt(196608)));
    ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
    assertEquals("08P01", cause.sqlState());
    assertEquals(
        "invalid length of startup packet: 10001 (expected: 8..10000)", cause.getMessage());
    channel.writeInbound(Frames.startup("user", "ada"));
    assertNull(channel.readInbound());
    assertFalse(channel.finish());
  }

  @Test
  void malformedParametersAreRejected() {
    ByteBuf unterminated = Unpooled.buffer().writeInt(196608);
    Frames.cString(unterminated, "user");
    unterminated.writeByte('a'); // value without its NUL, and no final NUL
    assertProtocolError(Frames.packet(unterminated), "string without terminator");
    assertProtocolError(Frames.startup("user", "a", "user", "b"), "given twice");
    assertProtocolError(Unpooled.buffer().writeInt(4), "(expected: 8..10000)");
    assertProtocolError(
        Unpooled.buffer().writeInt(12).writeInt(80877103).writeInt(0),
        "bytes after the last field");
  }

  @Test
  void otherProtocolVersionsReachTheSessionToBeRefused() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Frames.packet(Unpooled.buffer().writeInt(2 << 16).writeLong(0)));
    StartupMessage startup = channel.readInbound();
    assertEquals(2, startup.majorVersion());
    assertTrue(startup.parameters().isEmpty());
    assertFalse(channel.finish());
  }

  private static void assertProtocolError(ByteBuf bytes, String expected) {
    EmbeddedChannel channel = channel();
    DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(bytes));
    ProtocolException cause = assertInstanceOf(ProtocolException.class, e.getCause());
    assertTrue(cause.getMessage().contains(expected), cause.getMessage());
    assertFalse(channel.finish());
  }
}
