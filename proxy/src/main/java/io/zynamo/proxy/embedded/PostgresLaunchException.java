package io.zynamo.proxy.embedded;

/**
 * Thrown when a local PostgreSQL server cannot be unpacked, initialised, started or stopped; the
 * message names the node, the failing step and, for start failures, the tail of the server log.
 */
public final class PostgresLaunchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PostgresLaunchException(String message) {
    super(message);
  }

  public PostgresLaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
