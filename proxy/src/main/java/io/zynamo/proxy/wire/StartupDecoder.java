package io.zynamo.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.zynamo.proxy.wire.FrontendMessage.CancelRequest;
import io.zynamo.proxy.wire.FrontendMessage.GssEncRequest;
import io.zynamo.proxy.wire.FrontendMessage.SslRequest;
import io.zynamo.proxy.wire.FrontendMessage.StartupMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes what a client sends before its session starts: packets without a type byte.
 *
 * <pre>
 *   +----------------+----------------+---------------------------+
 *   | length: int32  | code: int32    | payload                   |
 *   | (incl. itself) |                |                           |
 *   +----------------+----------------+---------------------------+
 *   code 196608 (3.0)  StartupMessage   name\0value\0 ... \0
 *   code 80877103      SSLRequest       -
 *   code 80877104      GSSENCRequest    -
 *   code 80877102      CancelRequest    process id: int32, secret key: int32
 * </pre>
 *
 * <p>The length is bounded as the server bounds it ({@value #MAX_STARTUP_PACKET_BYTES} bytes,
 * MAX_STARTUP_PACKET_LENGTH). After a StartupMessage this decoder replaces itself with a {@link
 * MessageDecoder}, which receives the bytes that followed.
 */
public final class StartupDecoder extends ByteToMessageDecoder {

  /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
  public static final int MAX_STARTUP_PACKET_BYTES = 10_000;

  static final int SSL_REQUEST_CODE = 80877103;
  static final int GSSENC_REQUEST_CODE = 80877104;
  static final int CANCEL_REQUEST_CODE = 80877102;

  private final int maxMessageBytes;
  private boolean failed;

  /**
   * A decoder for a new connection.
   *
   * @param maxMessageBytes the limit for Query, Parse and Bind messages once the session started
   */
  public StartupDecoder(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    int length = in.getInt(in.readerIndex());
    if (length < 8 || length > MAX_STARTUP_PACKET_BYTES) {
      failed = true;
      throw ProtocolException.violation(
          "invalid length of startup packet: "
              + length
              + " (expected: 8.."
              + MAX_STARTUP_PACKET_BYTES
              + ")");
    }
    if (in.readableBytes() < length) {
      return;
    }
    in.skipBytes(4);
    ByteBuf body = in.readSlice(length - 4);
    try {
      FrontendMessage message = packet(body);
      if ((message instanceof SslRequest || message instanceof GssEncRequest) && in.isReadable()) {
        // The client must wait for the answer: bytes sent before it could be injected by a
        // man in the middle ahead of the TLS handshake (CVE-2021-23214). PostgreSQL refuses them.
        throw ProtocolException.violation("received unencrypted data after SSL request");
      }
      out.add(message);
      if (message instanceof StartupMessage) {
        ctx.pipeline().replace(this, "messages", new MessageDecoder(maxMessageBytes));
      }
    } catch (ProtocolException e) {
      failed = true;
      throw e;
    }
  }

  private static FrontendMessage packet(ByteBuf body) {
    BodyReader reader = new BodyReader("startup packet", body);
    int code = reader.int32();
    FrontendMessage message =
        switch (code) {
          case SSL_REQUEST_CODE -> new SslRequest();
          case GSSENC_REQUEST_CODE -> new GssEncRequest();
          case CANCEL_REQUEST_CODE -> new CancelRequest(reader.int32(), reader.int32());
          default -> startup(code, reader);
        };
    reader.end();
    return message;
  }

  private static StartupMessage startup(int code, BodyReader reader) {
    Map<String, String> parameters = new LinkedHashMap<>();
    int major = code >>> 16;
    if (major == 3) {
      while (true) {
        String name = reader.cString();
        if (name.isEmpty()) {
          break;
        }
        String value = reader.cString();
        if (parameters.put(name, value) != null) {
          throw reader.malformed("parameter '" + name + "' given twice");
        }
      }
    } else {
      reader.rest(); // another protocol's payload: the session refuses the version
    }
    return new StartupMessage(major, code & 0xffff, parameters);
  }
}
