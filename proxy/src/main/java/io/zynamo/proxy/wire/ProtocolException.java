package io.zynamo.proxy.wire;

import static java.util.Objects.requireNonNull;

/**
 * A frontend message the proxy cannot accept: malformed, oversized or of an unknown type. The
 * connection that sent it gets an ErrorResponse with {@link #sqlState()} and is closed; no other
 * connection is affected.
 */
public final class ProtocolException extends RuntimeException {

  /** {@code 08P01} protocol_violation. */
  public static final String PROTOCOL_VIOLATION = "08P01";

  /** {@code 0A000} feature_not_supported. */
  public static final String FEATURE_NOT_SUPPORTED = "0A000";

  private final String sqlState;

  public ProtocolException(String sqlState, String message) {
    super(requireNonNull(message, "message"));
    this.sqlState = requireNonNull(sqlState, "sqlState");
  }

  /** A protocol violation ({@code 08P01}) described by {@code message}. */
  public static ProtocolException violation(String message) {
    return new ProtocolException(PROTOCOL_VIOLATION, message);
  }

  public String sqlState() {
    return sqlState;
  }
}
