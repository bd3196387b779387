package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The places in one statement where a sequence gives a value, which Zynamo fills in before the
 * statement reaches a node, so that values are unique across the cluster and the statement can be
 * routed by them: the calls {@code nextval}, {@code currval}, {@code lastval} and {@code setval},
 * and the columns an INSERT leaves to a sequence default ({@code serial}, identity, {@code DEFAULT
 * nextval('s')}).
 *
 * <p>{@code nextval} is filled only where PostgreSQL would call it once per written row or once per
 * statement: in an INSERT's VALUES rows and in a SELECT without FROM; {@code setval} only in a
 * SELECT without FROM. Elsewhere (an UPDATE's SET, a query over a table) they are refused ({@link
 * #refusal()}): a node's own sequence would give values that other nodes give too.
 */
public final class SequenceEdits {

  private static final Set<String> FUNCTIONS = Set.of("nextval", "currval", "lastval", "setval");

  /** What fills one place. */
  public sealed interface Value permits NextVal, CurrVal, LastVal, SetVal, ColumnDefault {}

  /** {@code nextval('s')}: {@code sequence} is the argument as written for {@code ::regclass}. */
  public record NextVal(String sequence) implements Value {}

  /** {@code currval('s')}. */
  public record CurrVal(String sequence) implements Value {}

  /** {@code lastval()}. */
  public record LastVal() implements Value {}

  /** {@code setval('s', value [, called])}: the call's answer is {@code value}. */
  public record SetVal(String sequence, long value, boolean called) implements Value {}

  /** A column left to its default: {@code sequence} as {@link SequenceColumn#sequence()}. */
  public record ColumnDefault(String sequence) implements Value {}

  /**
   * Text {@code [start, end)} becomes {@code before}, the value (if any) and {@code after}; a
   * call's value is typed bigint, as the function returns it.
   */
  private record Edit(
      int start, int end, String before, @Nullable Value value, String after, boolean typed) {}

  private final String sql;
  private final List<Edit> edits;
  private final List<Integer> placeholders;
  private final boolean numbered;
  private final @Nullable String refusal;

  private SequenceEdits(
      String sql,
      List<Edit> edits,
      List<Integer> placeholders,
      boolean numbered,
      @Nullable String refusal) {
    this.sql = sql;
    List<Edit> sorted = new ArrayList<>(edits);
    sorted.sort(Comparator.comparingInt(Edit::start)); // stable: insertions keep their order
    this.edits = List.copyOf(sorted);
    this.placeholders = List.copyOf(placeholders);
    this.numbered = numbered;
    this.refusal = refusal;
  }

  /** Nothing to fill. */
  public boolean isEmpty() {
    return edits.isEmpty() && refusal == null;
  }

  /** The construct Zynamo cannot fill exactly (for a 0A000), if any. */
  public Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** The values to compute, in text order (the order PostgreSQL would call the sequences in). */
  public List<Value> values() {
    List<Value> values = new ArrayList<>();
    for (Edit edit : edits) {
      if (edit.value() != null) {
        values.add(edit.value());
      }
    }
    return values;
  }

  /**
   * The statement with {@code values} (parallel to {@link #values()}) in place, and the parameter
   * values it takes: with bound JDBC parameters, each value becomes a placeholder (so the text, and
   * the node's prepared statement, stay the same from one execution to the next); otherwise a
   * literal.
   */
  public SqlFrontend.Piece render(List<Long> values, List<@Nullable Object> parameters) {
    if (values.size() != values().size()) {
      throw new IllegalArgumentException(values.size() + " values for " + values().size());
    }
    boolean bind = !parameters.isEmpty() && !numbered;
    List<@Nullable Object> bound = new ArrayList<>(parameters);
    StringBuilder text = new StringBuilder(sql.length() + 16 * edits.size());
    int at = 0;
    int next = 0;
    for (Edit edit : edits) {
      text.append(sql, at, edit.start()).append(edit.before());
      if (edit.value() != null) {
        long value = values.get(next);
        String shown;
        if (bind) {
          bound.add(placeholdersBefore(edit.start()) + next, value);
          shown = "?";
        } else {
          shown = value < 0 ? "(" + value + ")" : Long.toString(value);
        }
        next++;
        text.append(edit.typed() ? "CAST(" + shown + " AS bigint)" : shown);
      }
      text.append(edit.after());
      at = edit.end();
    }
    text.append(sql, at, sql.length());
    return new SqlFrontend.Piece(text.toString(), bind ? bound : parameters);
  }

  private int placeholdersBefore(int offset) {
    int count = 0;
    for (int placeholder : placeholders) {
      if (placeholder < offset) {
        count++;
      }
    }
    return count;
  }

  /**
   * The edits of a statement.
   *
   * @param tableColumns the target table's columns in order, for an INSERT without column list
   * @param columns the target table's sequence columns, for an INSERT; empty otherwise
   */
  static SequenceEdits plan(
      Lexed lexed,
      ParsedStatement parsed,
      List<String> tableColumns,
      List<SequenceColumn> columns) {
    List<Integer> placeholders = new ArrayList<>();
    boolean numbered = false;
    for (Token token : lexed.tokens()) {
      if (token.type() == TokenType.PARAM) {
        if (token.text().equals("?")) {
          placeholders.add(token.start());
        } else {
          numbered = true;
        }
      }
    }
    Planner planner = new Planner(lexed, parsed, tableColumns);
    try {
      if (evaluates(parsed.kind())) {
        planner.calls();
      }
      if (parsed.kind() == StatementKind.INSERT && !columns.isEmpty()) {
        planner.defaults(columns);
      }
    } catch (Refusal r) {
      return new SequenceEdits(lexed.sql(), List.of(), placeholders, numbered, r.getMessage());
    }
    return new SequenceEdits(lexed.sql(), planner.edits, placeholders, numbered, null);
  }

  /** Statements whose sequence calls run: not DDL (a DEFAULT there is stored, not called). */
  private static boolean evaluates(StatementKind kind) {
    return switch (kind) {
      case CREATE_TABLE,
          ALTER_TABLE,
          DROP_TABLE,
          CREATE_INDEX,
          DROP_INDEX,
          OTHER_DDL,
          EXPLAIN,
          SET,
          SHOW,
          RESET,
          EMPTY ->
          false;
      default -> true;
    };
  }

  /** A construct that cannot be filled exactly. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  /** Collects the edits of one statement. */
  private static final class Planner {
    private final Lexed lexed;
    private final ParsedStatement parsed;
    private final List<String> tableColumns;
    private final List<Edit> edits = new ArrayList<>();

    /** An ALWAYS identity column got a value from the statement itself. */
    private boolean alwaysGiven;

    Planner(Lexed lexed, ParsedStatement parsed, List<String> tableColumns) {
      this.lexed = lexed;
      this.parsed = parsed;
      this.tableColumns = tableColumns;
    }

    /** Each call of a sequence function, in text order. */
    void calls() {
      for (int i = 0; i + 1 < lexed.size(); i++) {
        Token name = lexed.get(i);
        boolean named =
            (name.type() == TokenType.WORD || name.type() == TokenType.QUOTED_IDENT)
                && FUNCTIONS.contains(name.text());
        if (!named || !lexed.get(i + 1).is("(")) {
          continue;
        }
        int start = i;
        if (i > 0 && lexed.get(i - 1).is(".")) {
          if (i < 2 || !lexed.get(i - 2).text().equals("pg_catalog")) {
            continue; // another schema's function of that name
          }
          start = i - 2;
        }
        int close = lexed.partner(i + 1);
        if (close < 0) {
          return; // unbalanced: the node reports the error
        }
        call(name.text(), start, i + 2, close);
        i = close;
      }
    }

    private void call(String function, int start, int from, int close) {
      List<int[]> args = arguments(from, close);
      Value value =
          switch (function) {
            case "nextval" -> new NextVal(sequenceArgument(function, args));
            case "currval" -> new CurrVal(sequenceArgument(function, args));
            case "lastval" -> {
              if (!args.isEmpty()) {
                throw new Refusal("lastval() with arguments");
              }
              yield new LastVal();
            }
            default -> setval(args);
          };
      Span span = lexed.span(start, close + 1);
      if (value instanceof NextVal && !insertRowAt(span.start()) && !selectWithoutFrom()) {
        throw new Refusal(
            "nextval() in this "
                + parsed.kind()
                + " (Zynamo gives cluster-unique values in INSERT ... VALUES rows and in SELECT"
                + " without FROM; elsewhere each node's own sequence would answer)");
      }
      if (value instanceof SetVal && !selectWithoutFrom()) {
        throw new Refusal("setval() outside a SELECT without FROM");
      }
      edits.add(new Edit(span.start(), span.end(), "", value, alias(function, start, close), true));
    }

    /**
     * {@code " AS nextval"} when the call is a whole item of a SELECT list without an alias, so
     * that the result column keeps the name PostgreSQL gives it.
     */
    private String alias(String function, int start, int close) {
      if (parsed.kind() != StatementKind.SELECT || start == 0) {
        return "";
      }
      Token before = lexed.get(start - 1);
      if (!before.isWord("select") && !before.is(",")) {
        return "";
      }
      Token after = close + 1 < lexed.size() ? lexed.get(close + 1) : null;
      boolean ends =
          after == null
              || after.is(",")
              || after.is(";")
              || after.is(")")
              || (after.type() == TokenType.WORD
                  && Keywords.isReserved(after.text())
                  && !after.isWord("as"));
      return ends ? " AS " + function : "";
    }

    private boolean insertRowAt(int offset) {
      InsertRows insert = parsed.insert();
      return insert != null && insert.rowSpans().stream().anyMatch(s -> s.contains(offset));
    }

    private boolean selectWithoutFrom() {
      if (parsed.kind() != StatementKind.SELECT || parsed.shape() != Shape.NO_TABLE) {
        return false;
      }
      return lexed.tokens().stream().noneMatch(t -> t.isWord("from"));
    }

    /** The token ranges of the arguments between {@code from} and {@code close}. */
    private List<int[]> arguments(int from, int close) {
      List<int[]> args = new ArrayList<>();
      if (from == close) {
        return args;
      }
      int start = from;
      for (int comma : new Cursor(lexed, from, close).commas(close)) {
        args.add(new int[] {start, comma});
        start = comma + 1;
      }
      args.add(new int[] {start, close});
      return args;
    }

    /** {@code 's'} or {@code 's'::regclass}: the name as text. */
    private String sequenceArgument(String function, List<int[]> args) {
      if (args.size() != 1) {
        throw new Refusal(function + "() with " + args.size() + " arguments");
      }
      int[] arg = args.get(0);
      Token text = lexed.get(arg[0]);
      int length = arg[1] - arg[0];
      boolean cast =
          length == 3
              && lexed.get(arg[0] + 1).is("::")
              && (lexed.get(arg[0] + 2).isWord("regclass") || lexed.get(arg[0] + 2).isWord("text"));
      if (text.type() != TokenType.STRING || !(length == 1 || cast)) {
        throw new Refusal(
            function
                + "() of "
                + lexed.text(arg[0], arg[1])
                + " (name the sequence as a constant)");
      }
      return requireNonNull((String) text.value(), "string value");
    }

    private SetVal setval(List<int[]> args) {
      if (args.size() != 2 && args.size() != 3) {
        throw new Refusal("setval() with " + args.size() + " arguments");
      }
      String sequence = sequenceArgument("setval", args.subList(0, 1));
      int[] number = args.get(1);
      String digits = lexed.text(number[0], number[1]).replace(" ", "");
      long value;
      try {
        value = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new Refusal("setval() of " + digits + " (give the value as an integer constant)");
      }
      boolean called = true;
      if (args.size() == 3) {
        int[] flag = args.get(2);
        Token word = lexed.get(flag[0]);
        if (flag[1] - flag[0] != 1 || !(word.isWord("true") || word.isWord("false"))) {
          throw new Refusal("setval() whose third argument is not true or false");
        }
        called = word.isWord("true");
      }
      return new SetVal(sequence, value, called);
    }

    /** The sequence columns an INSERT leaves to their defaults. */
    void defaults(List<SequenceColumn> columns) {
      InsertRows insert = requireNonNull(parsed.insert());
      InsertLayout layout = insert.layout();
      if (layout == null) {
        return;
      }
      if (insert.rows().isEmpty() && layout.defaultValues() == null) {
        for (SequenceColumn column : columns) {
          if (!insert.columns().contains(column.column())) {
            throw new Refusal(
                "INSERT ... SELECT into "
                    + parsed.target()
                    + " that leaves column "
                    + Identifiers.quote(column.column())
                    + " to its sequence (name the column and give its values)");
          }
        }
        return;
      }
      if (layout.overridingUser()) {
        throw new Refusal("OVERRIDING USER VALUE on a table with a sequence column");
      }
      if (layout.defaultValues() != null) {
        defaultValues(layout.defaultValues(), columns);
        return;
      }
      boolean filled = false;
      for (SequenceColumn column : columns) {
        filled |= fill(insert, layout, column);
      }
      if (filled
          && !alwaysGiven
          && layout.overriding() == null
          && columns.stream().anyMatch(c -> c.always())) {
        int at = layout.columnList() != null ? layout.columnList().end() : layout.afterTarget();
        edits.add(new Edit(at, at, " OVERRIDING SYSTEM VALUE", null, "", false));
      }
    }

    /** {@code DEFAULT VALUES}: each sequence column gets its value, the rest their defaults. */
    private void defaultValues(Span span, List<SequenceColumn> columns) {
      StringBuilder names = new StringBuilder("(");
      for (SequenceColumn column : columns) {
        names.append(names.length() > 1 ? ", " : "").append(Identifiers.quote(column.column()));
      }
      names.append(")");
      if (columns.stream().anyMatch(SequenceColumn::always)) {
        names.append(" OVERRIDING SYSTEM VALUE");
      }
      names.append(" VALUES (");
      for (int i = 0; i < columns.size(); i++) {
        Value value = new ColumnDefault(sequenceOf(columns.get(i)));
        boolean last = i == columns.size() - 1;
        if (i == 0) {
          edits.add(
              new Edit(span.start(), span.end(), names.toString(), value, last ? ")" : "", false));
        } else {
          edits.add(new Edit(span.end(), span.end(), ", ", value, last ? ")" : "", false));
        }
      }
    }

    /** Fills one column in every row where it takes its default; whether any row did. */
    private boolean fill(InsertRows insert, InsertLayout layout, SequenceColumn column) {
      List<String> names = insert.columns();
      int position;
      if (!names.isEmpty()) {
        position = names.indexOf(column.column());
        if (position < 0) {
          Span list = requireNonNull(layout.columnList());
          edits.add(
              new Edit(
                  list.end() - 1,
                  list.end() - 1,
                  ", " + Identifiers.quote(column.column()),
                  null,
                  "",
                  false));
          for (Span row : insert.rowSpans()) {
            columnValue(row.end() - 1, row.end() - 1, ", ", column);
          }
          return true;
        }
      } else {
        position = positionInTable(column);
      }
      if (column.always() && anyValueAt(insert, position)) {
        // PostgreSQL refuses a value given for it without OVERRIDING (428C9): no OVERRIDING is
        // added, so that the node says so (the values filled in still route the rows).
        alwaysGiven = true;
      }
      boolean filled = false;
      for (int r = 0; r < insert.rows().size(); r++) {
        List<Operand> row = insert.rows().get(r);
        Span rowSpan = insert.rowSpans().get(r);
        if (position < row.size()) {
          if (row.get(position) instanceof Operand.Default) {
            Span value = layout.values().get(r).get(position);
            columnValue(value.start(), value.end(), "", column);
            filled = true;
          }
        } else {
          String gap = ", DEFAULT".repeat(position - row.size());
          columnValue(rowSpan.end() - 1, rowSpan.end() - 1, gap + ", ", column);
          filled = true;
        }
      }
      return filled;
    }

    /** Text {@code [start, end)} becomes {@code before} and the column's next value. */
    private void columnValue(int start, int end, String before, SequenceColumn column) {
      edits.add(new Edit(start, end, before, new ColumnDefault(sequenceOf(column)), "", false));
    }

    /** Whether some row gives a value other than DEFAULT at {@code position}. */
    private static boolean anyValueAt(InsertRows insert, int position) {
      return insert.rows().stream()
          .anyMatch(
              row -> position < row.size() && !(row.get(position) instanceof Operand.Default));
    }

    /** Without a column list, the column's place in the table. */
    private int positionInTable(SequenceColumn column) {
      int position = tableColumns.indexOf(column.column());
      if (position < 0) {
        throw new Refusal("column " + Identifiers.quote(column.column()) + " is not in the table");
      }
      return position;
    }

    private String sequenceOf(SequenceColumn column) {
      if (column.sequence() == null) {
        throw new Refusal(
            "the default of column "
                + Identifiers.quote(column.column())
                + " of "
                + parsed.target()
                + " (an expression over a sequence; Zynamo fills only a default that is"
                + " nextval() alone)");
      }
      return column.sequence();
    }
  }
}
