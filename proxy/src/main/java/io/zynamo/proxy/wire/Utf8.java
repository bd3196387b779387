package io.zynamo.proxy.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding: the proxy speaks only UTF-8 (client_encoding UTF8), and text that is not
 * valid UTF-8 is refused, as a UTF8 server refuses it, instead of becoming U+FFFD silently.
 */
public final class Utf8 {

  private Utf8() {}

  /**
   * The text of {@code length} bytes from {@code offset}.
   *
   * @throws CharacterCodingException if they are not valid UTF-8
   */
  public static String decode(byte[] bytes, int offset, int length)
      throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes, offset, length))
        .toString();
  }

  public static String decode(byte[] bytes) throws CharacterCodingException {
    return decode(bytes, 0, bytes.length);
  }

  /** Whether the client_encoding a client asks for is UTF-8 ({@code UTF8}, {@code utf-8}...). */
  public static boolean isUtf8Name(String encoding) {
    String name = encoding.replace("-", "").replace("_", "").trim();
    return name.equalsIgnoreCase("UTF8") || name.equalsIgnoreCase("UNICODE");
  }
}
