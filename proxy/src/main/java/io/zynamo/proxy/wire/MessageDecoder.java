package io.zynamo.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decodes the messages of a started session.
 *
 * <pre>
 *   +-----------+----------------+-------------------------+
 *   | type: 1 B | length: int32  | body: length - 4 bytes  |
 *   |           | (incl. itself) |                         |
 *   +-----------+----------------+-------------------------+
 * </pre>
 *
 * <p>Every length is checked before any byte of the body is awaited: Query, Parse, Bind,
 * FunctionCall and CopyData may be up to the configured limit, every other message up to {@value
 * #SMALL_MESSAGE_BYTES} bytes (the server's PQ_SMALL_MESSAGE_LIMIT). A message that breaks a rule
 * fails the decoder for good: it throws a {@link ProtocolException} once and discards everything
 * after it, so the handler can answer with an ErrorResponse and close this connection.
 */
public final class MessageDecoder extends ByteToMessageDecoder {

  /** PostgreSQL's PQ_SMALL_MESSAGE_LIMIT. */
  public static final int SMALL_MESSAGE_BYTES = 10_000;

  private final int maxMessageBytes;
  private boolean failed;

  /**
   * A decoder for a started session.
   *
   * @param maxMessageBytes the largest Query, Parse, Bind, FunctionCall or CopyData message
   *     accepted, length field included
   */
  public MessageDecoder(int maxMessageBytes) {
    if (maxMessageBytes < SMALL_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "maxMessageBytes: " + maxMessageBytes + " (expected: >= " + SMALL_MESSAGE_BYTES + ")");
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 5) {
      return;
    }
    int start = in.readerIndex();
    byte type = in.getByte(start);
    int length = in.getInt(start + 1);
    try {
      int limit = limit(type);
      if (length < 4 || length > limit) {
        throw ProtocolException.violation(
            "invalid message length: "
                + FrontendMessages.describe(type)
                + " length: "
                + Integer.toUnsignedString(length)
                + " (expected: 4.."
                + limit
                + ")");
      }
      if (in.readableBytes() < 1 + length) {
        return;
      }
      in.skipBytes(5);
      out.add(FrontendMessages.decode(type, in.readSlice(length - 4)));
    } catch (ProtocolException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw e;
    }
  }

  private int limit(byte type) {
    return switch (type) {
      case 'Q', 'P', 'B', 'F', 'd' -> maxMessageBytes;
      case 'D', 'E', 'C', 'S', 'H', 'X', 'c', 'f', 'p' -> SMALL_MESSAGE_BYTES;
      default ->
          throw ProtocolException.violation(
              "invalid frontend message type " + Byte.toUnsignedInt(type));
    };
  }
}
