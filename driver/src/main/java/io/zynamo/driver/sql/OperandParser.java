package io.zynamo.driver.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/**
 * Reads a whole token range as one routing operand: a constant (signed number, string, bit string,
 * boolean, NULL), a typed constant {@code type 'text'}, a parameter, any of these under {@code
 * ::type} or {@code CAST(... AS type)} casts, or in parentheses. Anything else is not an operand,
 * so {@code col = 1 + 1} or {@code col = f(1)} is never taken for a key value.
 */
final class OperandParser {

  private OperandParser() {}

  /** The operand that spans {@code [from, to)} exactly, or null. */
  static @Nullable Operand parse(Lexed lexed, int from, int to) {
    try {
      Cursor cursor = new Cursor(lexed, from, to);
      Operand operand = operand(cursor);
      return cursor.atEnd() ? operand : null;
    } catch (MalformedSqlException e) {
      return null;
    }
  }

  /** The operand spanning the range, {@code DEFAULT}, or else the expression's source text. */
  static Operand parseOrExpression(Lexed lexed, int from, int to) {
    if (to == from + 1 && lexed.get(from).isWord("default")) {
      return new Operand.Default();
    }
    Operand operand = parse(lexed, from, to);
    return operand != null ? operand : new Operand.Expression(lexed.text(from, to));
  }

  private static @Nullable Operand operand(Cursor cursor) {
    Operand operand = primary(cursor);
    while (operand != null && cursor.accept("::")) {
      operand = cast(operand, TypeNames.read(cursor));
    }
    return operand;
  }

  private static @Nullable Operand primary(Cursor cursor) {
    Token token = cursor.peek();
    if (token == null) {
      return null;
    }
    if (token.is("-") || token.is("+")) {
      return signed(cursor, token.is("-"));
    }
    if (token.is("(")) {
      int close = cursor.groupEnd();
      Operand inner = parse(cursor.lexed(), cursor.pos() + 1, close);
      cursor.seek(close + 1);
      return inner;
    }
    return switch (token.type()) {
      case STRING, BIT_STRING, INTEGER, DECIMAL -> {
        cursor.next();
        yield Operand.Literal.of(token.value());
      }
      case PARAM -> {
        cursor.next();
        yield new Operand.Parameter((Integer) token.value(), null);
      }
      case WORD, QUOTED_IDENT -> word(cursor, token);
      default -> null;
    };
  }

  private static @Nullable Operand word(Cursor cursor, Token token) {
    if (token.type() == TokenType.WORD) {
      switch (token.text()) {
        case "true", "false" -> {
          cursor.next();
          return Operand.Literal.of(token.isWord("true"));
        }
        case "null" -> {
          cursor.next();
          return Operand.Literal.of(null);
        }
        case "cast" -> {
          return castCall(cursor);
        }
        default -> {
          // a typed constant: type 'text'
        }
      }
    }
    String type = TypeNames.read(cursor);
    Token literal = cursor.peek();
    if (literal == null || literal.type() != TokenType.STRING) {
      return null;
    }
    cursor.next();
    return LiteralCasts.cast(literal.value(), type);
  }

  /** {@code CAST ( operand AS type )}. */
  private static @Nullable Operand castCall(Cursor cursor) {
    cursor.next();
    if (!cursor.at("(")) {
      return null;
    }
    int close = cursor.groupEnd();
    Cursor inner = new Cursor(cursor.lexed(), cursor.pos() + 1, close);
    cursor.seek(close + 1);
    Operand operand = operand(inner);
    if (operand == null || !inner.acceptWords("as")) {
      return null;
    }
    String type = TypeNames.read(inner);
    return inner.atEnd() ? cast(operand, type) : null;
  }

  /** {@code -5}, {@code -1.5::numeric}: unary minus binds looser than {@code ::}. */
  private static @Nullable Operand signed(Cursor cursor, boolean negative) {
    cursor.next();
    Token token = cursor.peek();
    if (token == null || (token.type() != TokenType.INTEGER && token.type() != TokenType.DECIMAL)) {
      return null;
    }
    cursor.next();
    Object value = token.value();
    if (negative) {
      value =
          token.value() instanceof BigDecimal decimal ? decimal.negate() : negate(token.value());
    }
    Operand operand = Operand.Literal.of(value);
    while (cursor.accept("::")) {
      String type = TypeNames.read(cursor);
      operand = cast(operand, type);
      if (operand == null || !isNumeric(type)) {
        return null; // -(x::text) is an error; leave it to the node
      }
    }
    return operand;
  }

  private static Object negate(@Nullable Object integer) {
    BigInteger value = new BigInteger(String.valueOf(integer));
    return NumberScan.integer(value.negate());
  }

  private static boolean isNumeric(String type) {
    return type.equals("bigint")
        || type.equals("integer")
        || type.equals("smallint")
        || type.startsWith("numeric");
  }

  /** A cast of an operand; a second cast of an unconverted literal cannot be reasoned about. */
  private static @Nullable Operand cast(Operand operand, String type) {
    if (operand instanceof Operand.Parameter parameter) {
      return new Operand.Parameter(parameter.index(), type);
    }
    if (operand instanceof Operand.Literal literal && literal.converted()) {
      return LiteralCasts.cast(literal.value(), type);
    }
    return null;
  }
}
