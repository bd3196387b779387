package io.zynamo.driver.sql;

/**
 * Internal signal that the text is not valid PostgreSQL; never escapes {@link SqlFrontend}, which
 * classifies such text as not analysable and leaves the syntax error to the node.
 */
final class MalformedSqlException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  MalformedSqlException(String message) {
    super(message, null, false, false);
  }
}
