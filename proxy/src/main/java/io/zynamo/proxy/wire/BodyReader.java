package io.zynamo.proxy.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import io.zynamo.driver.error.ZynamoSqlState;
import java.nio.charset.CharacterCodingException;

/**
 * Reads the fields of one message body, never past its end: every string must end with its NUL
 * inside the body and every count must fit the bytes that remain, so a hostile length cannot make
 * the proxy allocate more than the body it already holds.
 */
final class BodyReader {

  private final String message;
  private final ByteBuf body;

  BodyReader(String message, ByteBuf body) {
    this.message = message;
    this.body = body;
  }

  /** A NUL-terminated UTF-8 string. */
  String cString() {
    int nul = body.forEachByte(ByteProcessor.FIND_NUL);
    if (nul < 0) {
      throw malformed("string without terminator");
    }
    byte[] bytes = new byte[nul - body.readerIndex()];
    body.readBytes(bytes);
    body.skipBytes(1);
    try {
      return Utf8.decode(bytes);
    } catch (CharacterCodingException e) {
      throw new ProtocolException(
          ZynamoSqlState.CHARACTER_NOT_IN_REPERTOIRE,
          "invalid byte sequence for encoding \"UTF8\" in " + message + " message");
    }
  }

  byte int8() {
    need(1);
    return body.readByte();
  }

  short int16() {
    need(2);
    return body.readShort();
  }

  int int32() {
    need(4);
    return body.readInt();
  }

  /**
   * A count of following items of at least {@code itemBytes} each; negative counts and counts the
   * remaining bytes cannot hold are malformed.
   */
  int count(int itemBytes) {
    int count = Short.toUnsignedInt(int16());
    if ((long) count * itemBytes > body.readableBytes()) {
      throw malformed("count " + count + " exceeds the message");
    }
    return count;
  }

  /** {@code length} raw bytes, copied. */
  byte[] bytes(int length) {
    if (length < 0) {
      throw malformed("negative length " + length);
    }
    need(length);
    byte[] value = new byte[length];
    body.readBytes(value);
    return value;
  }

  /** The rest of the body, copied. */
  byte[] rest() {
    return bytes(body.readableBytes());
  }

  /** Checks that the whole body was read, as the server's pq_getmsgend does. */
  void end() {
    if (body.isReadable()) {
      throw malformed(body.readableBytes() + " bytes after the last field");
    }
  }

  private void need(int bytes) {
    if (body.readableBytes() < bytes) {
      throw malformed("message ends early");
    }
  }

  ProtocolException malformed(String detail) {
    return ProtocolException.violation("invalid " + message + " message format: " + detail);
  }
}
