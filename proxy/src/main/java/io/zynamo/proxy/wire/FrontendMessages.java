package io.zynamo.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.zynamo.proxy.wire.FrontendMessage.Bind;
import io.zynamo.proxy.wire.FrontendMessage.Close;
import io.zynamo.proxy.wire.FrontendMessage.CopyData;
import io.zynamo.proxy.wire.FrontendMessage.CopyDone;
import io.zynamo.proxy.wire.FrontendMessage.CopyFail;
import io.zynamo.proxy.wire.FrontendMessage.Describe;
import io.zynamo.proxy.wire.FrontendMessage.Execute;
import io.zynamo.proxy.wire.FrontendMessage.Flush;
import io.zynamo.proxy.wire.FrontendMessage.Parse;
import io.zynamo.proxy.wire.FrontendMessage.Query;
import io.zynamo.proxy.wire.FrontendMessage.Sync;
import io.zynamo.proxy.wire.FrontendMessage.Target;
import io.zynamo.proxy.wire.FrontendMessage.Terminate;
import io.zynamo.proxy.wire.FrontendMessage.Unsupported;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Decodes the body of each session message type into its {@link FrontendMessage}. */
final class FrontendMessages {

  private FrontendMessages() {}

  static String describe(byte type) {
    int code = Byte.toUnsignedInt(type);
    return code >= 0x20 && code < 0x7f ? "'" + (char) code + "'" : "type " + code;
  }

  /** The message of type {@code type} whose body is {@code body} (length field excluded). */
  static FrontendMessage decode(byte type, ByteBuf body) {
    BodyReader reader = new BodyReader(describe(type), body);
    FrontendMessage message =
        switch (type) {
          case 'Q' -> new Query(reader.cString());
          case 'P' -> parse(reader);
          case 'B' -> bind(reader);
          case 'D' -> new Describe(target(reader), reader.cString());
          case 'E' -> new Execute(reader.cString(), reader.int32());
          case 'C' -> new Close(target(reader), reader.cString());
          case 'S' -> new Sync();
          case 'H' -> new Flush();
          case 'X' -> new Terminate();
          case 'p' -> new FrontendMessage.PasswordMessage(reader.rest());
          case 'd' -> new CopyData(reader.rest());
          case 'c' -> new CopyDone();
          case 'f' -> new CopyFail(reader.cString());
          case 'F' -> unsupported(type, reader);
          default ->
              throw ProtocolException.violation(
                  "invalid frontend message type " + Byte.toUnsignedInt(type));
        };
    reader.end();
    return message;
  }

  private static Parse parse(BodyReader reader) {
    String name = reader.cString();
    String sql = reader.cString();
    int count = reader.count(4);
    List<Integer> types = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      types.add(reader.int32());
    }
    return new Parse(name, sql, types);
  }

  private static Bind bind(BodyReader reader) {
    String portal = reader.cString();
    String statement = reader.cString();
    List<Short> parameterFormats = formats(reader);
    int count = reader.count(4);
    List<byte @Nullable []> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = reader.int32();
      values.add(length == -1 ? null : reader.bytes(length));
    }
    return new Bind(portal, statement, parameterFormats, values, formats(reader));
  }

  private static List<Short> formats(BodyReader reader) {
    int count = reader.count(2);
    List<Short> formats = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      short format = reader.int16();
      if (format != 0 && format != 1) {
        throw ProtocolException.violation("unsupported format code: " + format);
      }
      formats.add(format);
    }
    return formats;
  }

  private static Target target(BodyReader reader) {
    byte kind = reader.int8();
    return switch (kind) {
      case 'S' -> Target.STATEMENT;
      case 'P' -> Target.PORTAL;
      default ->
          throw reader.malformed("invalid target " + describe(kind) + " (expected: 'S' or 'P')");
    };
  }

  private static Unsupported unsupported(byte type, BodyReader reader) {
    reader.rest();
    return new Unsupported((char) type);
  }
}
