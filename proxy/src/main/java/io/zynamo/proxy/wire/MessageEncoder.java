package io.zynamo.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Frames each {@link BackendMessage}: type byte, then the int32 length of length and body, then the
 * body. The encryption answer to SSLRequest is the single byte it is.
 */
@ChannelHandler.Sharable
public final class MessageEncoder extends MessageToByteEncoder<BackendMessage> {

  public MessageEncoder() {
    super(BackendMessage.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, BackendMessage message, ByteBuf out) {
    encode(message, out);
  }

  /** Writes one framed message to {@code out}. */
  public static void encode(BackendMessage message, ByteBuf out) {
    if (!message.framed()) {
      message.writeBody(out);
      return;
    }
    out.writeByte(message.type());
    int lengthAt = out.writerIndex();
    out.writeInt(0);
    message.writeBody(out);
    out.setInt(lengthAt, out.writerIndex() - lengthAt);
  }
}
