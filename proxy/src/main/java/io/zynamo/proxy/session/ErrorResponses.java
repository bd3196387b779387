package io.zynamo.proxy.session;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.BackendMessage.ErrorField;
import io.zynamo.proxy.wire.BackendMessage.ErrorResponse;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Maps a SQLException to an ErrorResponse: severity (S, V), SQLState (C), message (M) and, when a
 * node's error is in the cause chain, its detail (D), hint (H), schema, table, column, data type
 * and constraint names. The message stays Zynamo's (it names the node); the SQLState is the
 * exception's own, which keeps the node's.
 */
final class ErrorResponses {

  private ErrorResponses() {}

  static ErrorResponse error(SQLException e) {
    return of("ERROR", e);
  }

  static ErrorResponse fatal(SQLException e) {
    return of("FATAL", e);
  }

  static ErrorResponse of(String severity, ZynamoSqlState state, String message) {
    return of(severity, state.code(), message);
  }

  private static ErrorResponse of(String severity, String sqlState, String message) {
    return new ErrorResponse(
        List.of(
            new ErrorField('S', severity),
            new ErrorField('V', severity),
            new ErrorField('C', sqlState),
            new ErrorField('M', message)));
  }

  private static ErrorResponse of(String severity, SQLException e) {
    String state =
        e.getSQLState() != null && e.getSQLState().length() == 5
            ? e.getSQLState()
            : ZynamoSqlState.INTERNAL_ERROR.code();
    List<ErrorField> fields = new ArrayList<>(of(severity, state, message(e)).fields());
    ServerErrorMessage node = nodeError(e);
    if (node != null) {
      String detail = node.getDetail();
      add(fields, 'D', detail == null ? null : ZynamoErrors.withoutInternalValues(detail));
      add(fields, 'H', node.getHint());
      add(fields, 's', node.getSchema());
      add(fields, 't', node.getTable());
      add(fields, 'c', node.getColumn());
      add(fields, 'd', node.getDatatype());
      add(fields, 'n', node.getConstraint());
    }
    return new ErrorResponse(fields);
  }

  /**
   * The message without pgjdbc's rendering of the node's error: Zynamo's {@code "node n1: "} +
   * pgjdbc's {@code "ERROR: msg\n Detail: ..."} becomes {@code "node n1: msg"}, the detail going to
   * its own field.
   */
  private static String message(SQLException e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
        String primary = p.getServerErrorMessage().getMessage();
        String rendered = p.getMessage();
        if (primary != null && rendered != null && message.endsWith(rendered)) {
          return message.substring(0, message.length() - rendered.length()) + primary;
        }
        return message;
      }
    }
    return message;
  }

  private static @Nullable ServerErrorMessage nodeError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
        return p.getServerErrorMessage();
      }
    }
    return null;
  }

  private static void add(List<ErrorField> fields, char code, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      fields.add(new ErrorField(code, value));
    }
  }
}
