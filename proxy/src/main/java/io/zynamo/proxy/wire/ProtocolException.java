package io.zynamo.proxy.wire;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoSqlState;

/**
 * A frontend message the proxy cannot accept: malformed, oversized or of an unknown type. The
 * connection that sent it gets an ErrorResponse with {@link #sqlState()} and is closed; no other
 * connection is affected.
 */
public final class ProtocolException extends RuntimeException {

  private final ZynamoSqlState state;

  public ProtocolException(ZynamoSqlState state, String message) {
    super(requireNonNull(message, "message"));
    this.state = requireNonNull(state, "state");
  }

  /** A protocol violation ({@code 08P01}) described by {@code message}. */
  public static ProtocolException violation(String message) {
    return new ProtocolException(ZynamoSqlState.PROTOCOL_VIOLATION, message);
  }

  public ZynamoSqlState state() {
    return state;
  }

  /** The five-character SQLState. */
  public String sqlState() {
    return state.code();
  }
}
