package io.zynamo.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Builds frontend byte sequences for decoder tests. */
final class Frames {

  private Frames() {}

  static ByteBuf startup(String... nameValues) {
    ByteBuf body = Unpooled.buffer();
    body.writeInt(196608);
    for (String s : nameValues) {
      cString(body, s);
    }
    body.writeByte(0);
    return packet(body);
  }

  static ByteBuf packet(ByteBuf body) {
    ByteBuf out = Unpooled.buffer();
    out.writeInt(body.readableBytes() + 4);
    out.writeBytes(body);
    body.release();
    return out;
  }

  static ByteBuf message(char type, ByteBuf body) {
    ByteBuf out = Unpooled.buffer();
    out.writeByte(type);
    out.writeInt(body.readableBytes() + 4);
    out.writeBytes(body);
    body.release();
    return out;
  }

  static ByteBuf query(String sql) {
    ByteBuf body = Unpooled.buffer();
    cString(body, sql);
    return message('Q', body);
  }

  static void cString(ByteBuf out, String s) {
    out.writeCharSequence(s, StandardCharsets.UTF_8);
    out.writeByte(0);
  }
}
