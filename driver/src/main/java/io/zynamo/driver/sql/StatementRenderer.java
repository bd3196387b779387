package io.zynamo.driver.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * The compact one-line form of a {@link ParsedStatement} used by golden files and {@code
 * toString()}: {@code KIND SHAPE key=value...}, empty parts left out. Constants show their Java
 * type where a bare number would be ambiguous ({@code dec:1.5}, {@code big:...}, {@code uuid:...});
 * a cast that was not converted ends in {@code ?}.
 */
final class StatementRenderer {

  private StatementRenderer() {}

  static String render(ParsedStatement statement) {
    StringBuilder out = new StringBuilder();
    out.append(statement.kind()).append(' ').append(statement.shape());
    part(out, "tables", statement.tables(), ObjectName::toString);
    if (statement.target() != null) {
      out.append(" target=").append(statement.target());
    }
    part(out, "traits", List.copyOf(statement.traits()), Trait::toString);
    part(out, "keys", statement.keyPredicates(), StatementRenderer::predicate);
    if (statement.insert() != null) {
      part(out, "columns", statement.insert().columns(), Identifiers::quote);
      part(out, "rows", statement.insert().rows(), StatementRenderer::row);
    }
    part(out, "set", statement.setColumns(), Identifiers::quote);
    if (statement.definition() != null) {
      TableDefinition definition = statement.definition();
      part(out, "columns", definition.columns(), c -> Identifiers.quote(c.name()) + " " + c.type());
      part(out, "pk", definition.primaryKey(), Identifiers::quote);
      part(out, "unique", definition.uniqueKeys(), u -> names(u));
    }
    if (statement.explained() != null) {
      out.append(" explained={").append(render(statement.explained())).append('}');
    }
    return out.toString();
  }

  private static <T> void part(
      StringBuilder out, String name, List<T> items, Function<T, String> format) {
    if (!items.isEmpty()) {
      out.append(' ').append(name).append('=').append(join(items, format));
    }
  }

  private static <T> String join(List<T> items, Function<T, String> format) {
    StringJoiner joiner = new StringJoiner(", ", "[", "]");
    for (T item : items) {
      joiner.add(format.apply(item));
    }
    return joiner.toString();
  }

  private static String names(List<String> names) {
    return join(names, Identifiers::quote);
  }

  private static String predicate(KeyPredicate predicate) {
    String column = Identifiers.quote(predicate.column());
    if (predicate.values().size() == 1) {
      return column + " = " + operand(predicate.values().get(0));
    }
    return column + " in " + join(predicate.values(), StatementRenderer::operand);
  }

  private static String row(List<Operand> row) {
    return join(row, StatementRenderer::operand);
  }

  static String operand(Operand operand) {
    if (operand instanceof Operand.Literal literal) {
      String cast = literal.castType() == null ? "" : "::" + literal.castType();
      return value(literal.value()) + cast + (literal.converted() ? "" : "?");
    }
    if (operand instanceof Operand.Parameter parameter) {
      String cast = parameter.castType() == null ? "" : "::" + parameter.castType();
      return "$" + parameter.index() + cast;
    }
    if (operand instanceof Operand.Expression expression) {
      return "{" + expression.text().replaceAll("\\s+", " ") + "}";
    }
    return "DEFAULT";
  }

  private static String value(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String text) {
      return "'" + escape(text).replace("'", "''") + "'";
    }
    if (value instanceof Long || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return "dec:" + decimal.toPlainString();
    }
    if (value instanceof BigInteger) {
      return "big:" + value;
    }
    return value.getClass().getSimpleName() + ":" + value;
  }

  /** Control characters and backslashes as Java escapes, so golden lines stay one line. */
  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
