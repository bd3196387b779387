package io.zynamo.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted PostgreSQL protocol client (in the spirit of Pgpool's pgproto): sends raw messages and
 * reads raw replies, so tests can drive what real clients rarely do (pipelines, row limits,
 * malformed input).
 */
final class WireClient implements AutoCloseable {

  /** One backend message: its type and body. */
  static final class Message {
    private final char type;
    private final byte[] body;

    Message(char type, byte[] body) {
      this.type = type;
      this.body = body;
    }

    char type() {
      return type;
    }

    byte[] body() {
      return body.clone();
    }

    /** The NUL-terminated strings of the body, for CommandComplete and error fields. */
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** An ErrorResponse's or NoticeResponse's field {@code code}, or null. */
    String field(char code) {
      int i = 0;
      while (i < body.length && body[i] != 0) {
        char c = (char) body[i];
        int end = i + 1;
        while (body[end] != 0) {
          end++;
        }
        if (c == code) {
          return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
        }
        i = end + 1;
      }
      return null;
    }

    int int32(int offset) {
      return ByteBuffer.wrap(body).getInt(offset);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  WireClient(int port) throws IOException {
    socket = new Socket(java.net.InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(20_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  /** Connects and completes the startup; returns the ParameterStatus values. */
  static WireClient started(int port, Map<String, String> statuses) throws IOException {
    WireClient client = new WireClient(port);
    client.startup(3, 0, Map.of("user", "postgres", "database", "postgres"));
    for (Message m : client.readUntil('Z')) {
      if (m.type() == 'S') {
        String text = m.text();
        int nul = text.indexOf('\0');
        statuses.put(text.substring(0, nul), text.substring(nul + 1, text.indexOf('\0', nul + 1)));
      }
    }
    return client;
  }

  static WireClient started(int port) throws IOException {
    return started(port, new LinkedHashMap<>());
  }

  void startup(int major, int minor, Map<String, String> parameters) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeInt(body, major << 16 | minor);
    parameters.forEach(
        (k, v) -> {
          cString(body, k);
          cString(body, v);
        });
    body.write(0);
    out.writeInt(body.size() + 4);
    out.write(body.toByteArray());
    out.flush();
  }

  void rawInts(int... values) throws IOException {
    for (int v : values) {
      out.writeInt(v);
    }
    out.flush();
  }

  void raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void send(char type, byte[] body) throws IOException {
    out.writeByte(type);
    out.writeInt(body.length + 4);
    out.write(body);
  }

  void flush() throws IOException {
    out.flush();
  }

  void query(String sql) throws IOException {
    send('Q', cStrings(sql));
    flush();
  }

  void parse(String name, String sql, int... types) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    cString(body, name);
    cString(body, sql);
    body.write(types.length >> 8);
    body.write(types.length);
    for (int t : types) {
      writeInt(body, t);
    }
    send('P', body.toByteArray());
  }

  /** Bind with text parameters (null = SQL NULL) and text results. */
  void bind(String portal, String statement, String... values) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    cString(body, portal);
    cString(body, statement);
    body.write(0);
    body.write(0);
    body.write(values.length >> 8);
    body.write(values.length);
    for (String v : values) {
      if (v == null) {
        writeInt(body, -1);
      } else {
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        writeInt(body, bytes.length);
        body.write(bytes, 0, bytes.length);
      }
    }
    body.write(0);
    body.write(0);
    send('B', body.toByteArray());
  }

  void describe(char target, String name) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(target);
    cString(body, name);
    send('D', body.toByteArray());
  }

  void execute(String portal, int maxRows) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    cString(body, portal);
    writeInt(body, maxRows);
    send('E', body.toByteArray());
  }

  void sync() throws IOException {
    send('S', new byte[0]);
    flush();
  }

  /** The next message, or null at end of stream. */
  Message read() throws IOException {
    int type;
    try {
      type = in.readUnsignedByte();
    } catch (EOFException e) {
      return null;
    }
    int length = in.readInt();
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new Message((char) type, body);
  }

  /** One unframed byte (the answer to SSLRequest), or -1 at end of stream. */
  int readByte() throws IOException {
    return in.read();
  }

  /** Messages up to and including the first of type {@code last}. */
  List<Message> readUntil(char last) throws IOException {
    List<Message> messages = new ArrayList<>();
    while (true) {
      Message m = read();
      if (m == null) {
        throw new EOFException("connection closed; got " + types(messages));
      }
      messages.add(m);
      if (m.type() == last) {
        return messages;
      }
    }
  }

  static String types(List<Message> messages) {
    StringBuilder s = new StringBuilder();
    messages.forEach(m -> s.append(m.type()));
    return s.toString();
  }

  static byte[] cStrings(String... strings) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String s : strings) {
      cString(body, s);
    }
    return body.toByteArray();
  }

  private static void cString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.write(0);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(ByteBuffer.allocate(4).putInt(v).array(), 0, 4);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
