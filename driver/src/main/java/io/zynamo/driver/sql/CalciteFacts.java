package io.zynamo.driver.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.calcite.sql.SqlAbstractDateTimeLiteral;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.util.NlsString;
import org.jspecify.annotations.Nullable;

/**
 * Routing facts derived from a Calcite tree, for SELECT, INSERT, UPDATE and DELETE without CTEs;
 * anything else declines. Only used to cross-check the primary analysis.
 */
final class CalciteFacts {

  private static final class Decline extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Decline() {
      super(null, null, false, false);
    }
  }

  private final StatementBuilder builder = new StatementBuilder();
  private boolean complex;

  private CalciteFacts() {}

  static Optional<ParsedStatement> derive(SqlNode node) {
    try {
      return Optional.of(new CalciteFacts().statement(node));
    } catch (Decline e) {
      return Optional.empty();
    }
  }

  /** The facts both readings must agree on, as text; tables as a set, expressions unnamed. */
  static String comparable(ParsedStatement s) {
    StringBuilder out = new StringBuilder(s.kind() + " " + s.shape());
    TreeSet<String> tables = new TreeSet<>();
    s.tables().forEach(t -> tables.add(t.toString()));
    out.append(" tables=").append(tables).append(" target=").append(s.target());
    out.append(" keys=").append(s.keyPredicates().stream().map(CalciteFacts::predicate).toList());
    if (s.insert() != null) {
      out.append(" columns=").append(s.insert().columns()).append(" rows=");
      out.append(
          s.insert().rows().stream()
              .map(r -> r.stream().map(CalciteFacts::operand).toList())
              .toList());
    }
    out.append(" set=")
        .append(s.setColumns())
        .append(" select=")
        .append(s.has(Trait.INSERT_SELECT));
    return out.toString();
  }

  private static String predicate(KeyPredicate p) {
    return p.column() + "=" + p.values().stream().map(CalciteFacts::operand).toList();
  }

  private static String operand(Operand operand) {
    return operand instanceof Operand.Expression ? "{expr}" : StatementRenderer.operand(operand);
  }

  private ParsedStatement statement(SqlNode node) {
    switch (node.getKind()) {
      case SELECT, ORDER_BY, UNION, INTERSECT, EXCEPT -> select(node);
      case INSERT -> insert((SqlInsert) node);
      case UPDATE -> update((SqlUpdate) node);
      case DELETE -> delete((SqlDelete) node);
      default -> throw new Decline();
    }
    return builder.build();
  }

  private void select(SqlNode node) {
    builder.kind(StatementKind.SELECT);
    SqlNode query = node instanceof SqlOrderBy orderBy ? orderBy.query : node;
    if (!(query instanceof SqlSelect select)) {
      complex = true;
      walk(query);
      finish();
      return;
    }
    TableRef ref = fromItem(select.getFrom());
    walkOperands(select);
    finish();
    if (builder.shape == Shape.SINGLE_TABLE && ref != null) {
      where(select.getWhere(), ref);
    }
  }

  private void insert(SqlInsert insert) {
    builder.kind(StatementKind.INSERT);
    builder.target = name((SqlIdentifier) insert.getTargetTable());
    builder.tables.add(builder.target);
    List<String> columns = new ArrayList<>();
    if (insert.getTargetColumnList() != null) {
      insert.getTargetColumnList().forEach(c -> columns.add(((SqlIdentifier) c).getSimple()));
    }
    List<List<Operand>> rows = new ArrayList<>();
    SqlNode source = insert.getSource();
    if (source.getKind() == SqlKind.VALUES) {
      for (SqlNode row : ((SqlCall) source).getOperandList()) {
        List<Operand> values = new ArrayList<>();
        ((SqlCall) row).getOperandList().forEach(v -> values.add(valueOrExpression(v)));
        rows.add(values);
      }
      walk(source);
    } else {
      builder.traits.add(Trait.INSERT_SELECT);
      complex = true;
      walk(source);
    }
    builder.insert = new InsertRows(columns, rows);
    finish();
  }

  private void update(SqlUpdate update) {
    builder.kind(StatementKind.UPDATE);
    TableRef ref = target(update.getTargetTable(), update.getAlias());
    update
        .getTargetColumnList()
        .forEach(c -> builder.setColumns.add(((SqlIdentifier) c).getSimple()));
    walk(update.getSourceExpressionList());
    walk(update.getCondition());
    finish();
    where(update.getCondition(), ref);
  }

  private void delete(SqlDelete delete) {
    builder.kind(StatementKind.DELETE);
    TableRef ref = target(delete.getTargetTable(), delete.getAlias());
    walk(delete.getCondition());
    finish();
    where(delete.getCondition(), ref);
  }

  private TableRef target(SqlNode table, @Nullable SqlIdentifier alias) {
    TableRef ref =
        new TableRef(name((SqlIdentifier) table), alias == null ? null : alias.getSimple());
    builder.target = ref.name();
    builder.tables.add(ref.name());
    return ref;
  }

  private void finish() {
    builder.shape =
        complex || builder.tables.size() > 1
            ? Shape.COMPLEX
            : builder.tables.isEmpty() ? Shape.NO_TABLE : Shape.SINGLE_TABLE;
  }

  private @Nullable TableRef fromItem(@Nullable SqlNode from) {
    if (from == null) {
      return null;
    }
    if (from instanceof SqlIdentifier id) {
      builder.tables.add(name(id));
      return new TableRef(name(id), null);
    }
    if (from.getKind() == SqlKind.AS && ((SqlCall) from).operand(0) instanceof SqlIdentifier id) {
      SqlCall as = (SqlCall) from;
      complex |= as.operandCount() > 2;
      builder.tables.add(name(id));
      return new TableRef(name(id), ((SqlIdentifier) as.operand(1)).getSimple());
    }
    complex = true;
    if (from instanceof SqlJoin join) {
      fromItem(join.getLeft());
      fromItem(join.getRight());
      walk(join.getCondition());
    } else {
      walk(from);
    }
    return null;
  }

  /** Finds nested queries (which make the statement complex) and their tables. */
  private void walk(@Nullable SqlNode node) {
    if (node instanceof SqlSelect select) {
      complex = true;
      fromItem(select.getFrom());
      walkOperands(select);
    } else if (node instanceof SqlNodeList list) {
      list.forEach(this::walk);
    } else if (node instanceof SqlCall call) {
      if (node.getKind() == SqlKind.WITH || node.getKind() == SqlKind.EXPLICIT_TABLE) {
        throw new Decline();
      }
      complex |=
          node.getKind() == SqlKind.UNION
              || node.getKind() == SqlKind.INTERSECT
              || node.getKind() == SqlKind.EXCEPT;
      call.getOperandList().forEach(this::walk);
    }
  }

  private void walkOperands(SqlSelect select) {
    walk(select.getSelectList());
    walk(select.getWhere());
    walk(select.getGroup());
    walk(select.getHaving());
  }

  private void where(@Nullable SqlNode condition, @Nullable TableRef ref) {
    if (condition == null || ref == null || builder.shape != Shape.SINGLE_TABLE) {
      return;
    }
    if (condition.getKind() == SqlKind.AND) {
      ((SqlCall) condition).getOperandList().forEach(c -> where(c, ref));
      return;
    }
    KeyPredicate predicate = predicate(condition, ref);
    if (predicate != null) {
      builder.keyPredicates.add(predicate);
    }
  }

  private @Nullable KeyPredicate predicate(SqlNode condition, TableRef ref) {
    if (!(condition instanceof SqlBasicCall call) || call.operandCount() != 2) {
      return null;
    }
    SqlNode left = call.operand(0);
    SqlNode right = call.operand(1);
    if (condition.getKind() == SqlKind.EQUALS) {
      String column = column(left, ref);
      Operand value = value(right);
      if (column == null || value == null) {
        column = column(right, ref);
        value = value(left);
      }
      return column == null || value == null ? null : new KeyPredicate(column, List.of(value));
    }
    if (condition.getKind() == SqlKind.IN && right instanceof SqlNodeList list) {
      String column = column(left, ref);
      List<Operand> values = new ArrayList<>();
      for (SqlNode item : list) {
        Operand value = value(item);
        if (value == null) {
          return null;
        }
        values.add(value);
      }
      return column == null ? null : new KeyPredicate(column, values);
    }
    return null;
  }

  private static @Nullable String column(SqlNode node, TableRef ref) {
    if (!(node instanceof SqlIdentifier id) || id.isStar() || id.names.size() > 3) {
      return null;
    }
    int size = id.names.size();
    if (Keywords.isReserved(id.names.get(size - 1))) {
      throw new Decline(); // Calcite takes CURRENT_USER for a column; quoting is lost in the tree
    }
    if (size >= 2 && !ref.isNamedBy(size == 3 ? id.names.get(0) : null, id.names.get(size - 2))) {
      return null;
    }
    return id.names.get(size - 1);
  }

  private Operand valueOrExpression(SqlNode node) {
    if (node.getKind() == SqlKind.DEFAULT) {
      return new Operand.Default();
    }
    Operand value = value(node);
    return value != null ? value : new Operand.Expression(node.toString());
  }

  private static @Nullable Operand value(SqlNode node) {
    if (node instanceof SqlDynamicParam param) {
      return new Operand.Parameter(param.getIndex() + 1, null);
    }
    if (node.getKind() == SqlKind.CAST) {
      return cast((SqlCall) node);
    }
    if (node instanceof SqlUnknownLiteral unknown) {
      return LiteralCasts.cast(unknown.getValue(), canonical(unknown.tag));
    }
    if (node.getKind() == SqlKind.MINUS_PREFIX
        && ((SqlCall) node).operand(0) instanceof SqlNumericLiteral n) {
      Object value = number(n);
      return Operand.Literal.of(value instanceof BigDecimal d ? d.negate() : -(Long) value);
    }
    if (!(node instanceof SqlLiteral literal)) {
      return null;
    }
    if (literal instanceof SqlNumericLiteral number) {
      return Operand.Literal.of(number(number));
    }
    if (literal instanceof SqlCharStringLiteral) {
      return Operand.Literal.of(literal.getValueAs(NlsString.class).getValue());
    }
    return switch (literal.getTypeName()) {
      case BOOLEAN -> Operand.Literal.of(literal.booleanValue());
      case NULL -> Operand.Literal.of(null);
      case DATE ->
          LiteralCasts.cast(((SqlAbstractDateTimeLiteral) literal).toFormattedString(), "date");
      case TIMESTAMP ->
          LiteralCasts.cast(
              ((SqlAbstractDateTimeLiteral) literal).toFormattedString(),
              "timestamp without time zone");
      default -> null;
    };
  }

  private static @Nullable Operand cast(SqlCall call) {
    Operand inner = value(call.operand(0));
    SqlDataTypeSpec spec = call.operand(1);
    if (!(inner instanceof Operand.Literal literal) || !literal.converted()) {
      return inner instanceof Operand.Parameter p
          ? new Operand.Parameter(p.index(), canonical(spec.getTypeName().getSimple()))
          : null;
    }
    if (spec.toString().contains("(")) {
      throw new Decline();
    }
    return LiteralCasts.cast(literal.value(), canonical(spec.getTypeName().getSimple()));
  }

  private static String canonical(String calciteType) {
    String type = calciteType.toLowerCase(Locale.ROOT);
    return switch (type) {
      case "decimal" -> "numeric";
      case "varchar" -> "character varying";
      case "timestamp" -> "timestamp without time zone";
      default -> type;
    };
  }

  private static Object number(SqlNumericLiteral literal) {
    BigDecimal value = literal.getValueAs(BigDecimal.class);
    if (literal.isExact() && literal.getScale() != null && literal.getScale() == 0) {
      return NumberScan.integer(value.toBigIntegerExact());
    }
    return value;
  }

  private static ObjectName name(SqlIdentifier id) {
    int size = id.names.size();
    if (size > 3) {
      throw new Decline();
    }
    return new ObjectName(size == 1 ? null : id.names.get(size - 2), id.names.get(size - 1));
  }
}
