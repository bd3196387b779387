package io.zynamo.proxy.wire;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A message from client to proxy, one record per message of the PostgreSQL protocol version 3
 * (protocol-message-formats.html), named as there.
 */
public sealed interface FrontendMessage {

  /** The first message of a session: protocol version and parameters (user, database...). */
  record StartupMessage(int majorVersion, int minorVersion, Map<String, String> parameters)
      implements FrontendMessage {
    public StartupMessage {
      parameters = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
  }

  /** Asks for TLS before the startup message. */
  record SslRequest() implements FrontendMessage {}

  /** Asks for GSSAPI encryption before the startup message. */
  record GssEncRequest() implements FrontendMessage {}

  /** Sent on a new connection to cancel the statement running on another one. */
  record CancelRequest(int processId, int secretKey) implements FrontendMessage {}

  /** A simple query: one or more statements separated by semicolons. */
  record Query(String sql) implements FrontendMessage {
    public Query {
      requireNonNull(sql, "sql");
    }
  }

  /** Creates a prepared statement; a parameter type 0 is left for the server to infer. */
  record Parse(String name, String sql, List<Integer> parameterTypes) implements FrontendMessage {
    public Parse {
      requireNonNull(name, "name");
      requireNonNull(sql, "sql");
      parameterTypes = List.copyOf(parameterTypes);
    }
  }

  /**
   * Creates a portal from a prepared statement and parameter values.
   *
   * @param parameterFormats none (all text), one (for all) or one per value: 0 text, 1 binary
   * @param values the values; null is SQL NULL
   * @param resultFormats none (all text), one (for all) or one per result column
   */
  record Bind(
      String portal,
      String statement,
      List<Short> parameterFormats,
      List<byte @Nullable []> values,
      List<Short> resultFormats)
      implements FrontendMessage {
    public Bind {
      requireNonNull(portal, "portal");
      requireNonNull(statement, "statement");
      parameterFormats = List.copyOf(parameterFormats);
      values = Collections.unmodifiableList(new ArrayList<>(values));
      resultFormats = List.copyOf(resultFormats);
    }
  }

  /** What a Describe or Close message names. */
  enum Target {
    STATEMENT,
    PORTAL
  }

  /** Asks for a statement's ParameterDescription and RowDescription, or a portal's. */
  record Describe(Target target, String name) implements FrontendMessage {
    public Describe {
      requireNonNull(target, "target");
      requireNonNull(name, "name");
    }
  }

  /** Runs a portal; {@code maxRows} 0 means all rows. */
  record Execute(String portal, int maxRows) implements FrontendMessage {
    public Execute {
      requireNonNull(portal, "portal");
    }
  }

  /** Closes a prepared statement or portal. */
  record Close(Target target, String name) implements FrontendMessage {
    public Close {
      requireNonNull(target, "target");
      requireNonNull(name, "name");
    }
  }

  /** Ends an extended-protocol batch: the server answers ReadyForQuery. */
  record Sync() implements FrontendMessage {}

  /** Asks the server to send what it has produced so far. */
  record Flush() implements FrontendMessage {}

  /** The client is closing the connection. */
  record Terminate() implements FrontendMessage {}

  /**
   * The client's answer during authentication: a password, an md5 hash or SASL data. Which one
   * depends on what the server asked for, so the body stays raw (protocol 55.7, 'p').
   */
  final class PasswordMessage implements FrontendMessage {
    private final byte[] data;

    public PasswordMessage(byte[] data) {
      this.data = data.clone();
    }

    /** A copy of the body. */
    public byte[] data() {
      return data.clone();
    }

    @Override
    public String toString() {
      return "PasswordMessage[" + data.length + " bytes]"; // never the secret itself
    }
  }

  /** A FunctionCall, which the proxy refuses. */
  record Unsupported(char type) implements FrontendMessage {}

  /** A chunk of COPY ... FROM STDIN data; outside a COPY the server ignores it. */
  final class CopyData implements FrontendMessage {
    private final byte[] data;

    public CopyData(byte[] data) {
      this.data = data.clone();
    }

    /** A copy of the chunk. */
    public byte[] data() {
      return data.clone();
    }

    /** The length of the chunk. */
    public int length() {
      return data.length;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CopyData c && java.util.Arrays.equals(data, c.data);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "CopyData[" + data.length + " bytes]";
    }
  }

  /** The end of COPY ... FROM STDIN data. */
  record CopyDone() implements FrontendMessage {}

  /** The client abandons COPY ... FROM STDIN, for the reason given. */
  record CopyFail(String message) implements FrontendMessage {
    public CopyFail {
      requireNonNull(message, "message");
    }
  }
}
