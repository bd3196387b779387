package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.sql.PlaceholderText;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.proxy.types.ParameterDecoder;
import io.zynamo.proxy.wire.FrontendMessage.Bind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A client's prepared statement: its text, the engine's form of it and the parameter types the
 * client declared. It is never prepared on a node here: the engine runs the text where the
 * parameters route it, so a statement is valid on whichever node or pooled connection runs it.
 *
 * @param sql the client's text, with {@code $n} parameters
 * @param text the engine's form ({@code ?} placeholders)
 * @param declaredTypes the OIDs from Parse; 0 or absent means unspecified
 * @param kind what the statement does, for its command tag and transaction control (read once per
 *     Parse, not per Bind)
 */
record Prepared(String sql, PlaceholderText text, List<Integer> declaredTypes, StatementKind kind) {

  Prepared {
    requireNonNull(sql, "sql");
    requireNonNull(text, "text");
    declaredTypes = List.copyOf(declaredTypes);
    requireNonNull(kind, "kind");
  }

  /**
   * @throws SQLException 42P02 for {@code $0}, which PostgreSQL has no parameter for
   */
  static Prepared of(String sql, List<Integer> declaredTypes, SqlFrontend frontend)
      throws SQLException {
    PlaceholderText text = PlaceholderText.of(sql);
    if (text.parameterNumbers().contains(0)) {
      throw ZynamoErrors.create(ZynamoSqlState.UNDEFINED_PARAMETER, "there is no parameter $0");
    }
    return new Prepared(sql, text, declaredTypes, frontend.parse(text.sql()).kind());
  }

  /** This statement with the parameter types a Describe resolved. */
  Prepared withTypes(List<Integer> types) {
    return new Prepared(sql, text, types, kind);
  }

  /**
   * Whether {@code bind} sends a value in binary format for a parameter whose type the client did
   * not declare: only a Describe on a node can tell how to read it.
   */
  boolean needsTypes(Bind bind) {
    List<Short> formats = bind.parameterFormats();
    for (int i = 0; i < bind.values().size(); i++) {
      boolean binary = !formats.isEmpty() && formats.get(formats.size() == 1 ? 0 : i) == 1;
      if (binary && declaredType(i + 1) == 0) {
        return true;
      }
    }
    return false;
  }

  /** How many values a Bind must supply: the declared types or the highest {@code $n}. */
  int parameterCount() {
    int highest = text.parameterNumbers().stream().mapToInt(Integer::intValue).max().orElse(0);
    return Math.max(highest, declaredTypes.size());
  }

  /** The declared type of parameter {@code number} (1-based), 0 if unspecified. */
  int declaredType(int number) {
    return number <= declaredTypes.size() ? declaredTypes.get(number - 1) : 0;
  }

  /**
   * The engine's parameter list for a Bind: one value per placeholder, in text order.
   *
   * @throws SQLException 08P01 if the Bind's counts do not match
   */
  List<@Nullable Object> values(Bind bind, String statementName) throws SQLException {
    int expected = parameterCount();
    if (bind.values().size() != expected) {
      throw ZynamoErrors.create(
          ZynamoSqlState.PROTOCOL_VIOLATION,
          "bind message supplies "
              + bind.values().size()
              + " parameters, but prepared statement \""
              + statementName
              + "\" requires "
              + expected);
    }
    List<Short> formats = bind.parameterFormats();
    if (formats.size() > 1 && formats.size() != expected) {
      throw ZynamoErrors.create(
          ZynamoSqlState.PROTOCOL_VIOLATION,
          "bind message has "
              + formats.size()
              + " parameter formats but "
              + expected
              + " parameters");
    }
    List<@Nullable Object> decoded = new ArrayList<>(expected);
    for (int i = 0; i < expected; i++) {
      boolean binary = !formats.isEmpty() && formats.get(formats.size() == 1 ? 0 : i) == 1;
      decoded.add(ParameterDecoder.decode(declaredType(i + 1), binary, bind.values().get(i)));
    }
    List<@Nullable Object> values = new ArrayList<>(text.parameterNumbers().size());
    for (int number : text.parameterNumbers()) {
      values.add(decoded.get(number - 1));
    }
    return Collections.unmodifiableList(values);
  }
}
