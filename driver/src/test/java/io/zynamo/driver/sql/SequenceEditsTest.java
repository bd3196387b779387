package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Where Zynamo fills sequence values into a statement's text, and what it refuses. */
class SequenceEditsTest {

  private static final SqlFrontend PLAIN =
      new SqlFrontend(SqlFrontend.Config.DEFAULT.withJdbcPlaceholders(false));
  private static final SqlFrontend JDBC = new SqlFrontend();

  private static final List<String> TABLE = List.of("id", "name", "note");
  private static final List<SequenceColumn> SERIAL =
      List.of(new SequenceColumn("id", "public.t_id_seq", false));

  private static SequenceEdits edits(
      SqlFrontend frontend, String sql, List<String> table, List<SequenceColumn> columns) {
    return frontend.sequenceEdits(sql, frontend.parse(sql), table, columns);
  }

  /** The text with values 101, 102, ... in place. */
  private static String filled(String sql, List<SequenceColumn> columns) {
    SequenceEdits edits = edits(PLAIN, sql, TABLE, columns);
    assertTrue(edits.refusal().isEmpty(), () -> edits.refusal().get());
    return edits.render(numbers(edits.values().size()), List.of()).sql();
  }

  private static List<Long> numbers(int count) {
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(101L + i);
    }
    return values;
  }

  private static String refusal(String sql, List<SequenceColumn> columns) {
    return edits(PLAIN, sql, TABLE, columns).refusal().orElse("(none)");
  }

  @Test
  void anOmittedSerialColumnIsAddedToTheColumnListAndEveryRow() {
    assertEquals(
        "INSERT INTO t (name, id) VALUES ('a', 101), ('b', 102) RETURNING id",
        filled("INSERT INTO t (name) VALUES ('a'), ('b') RETURNING id", SERIAL));
  }

  @Test
  void defaultInTheColumnsPlaceIsReplaced() {
    assertEquals(
        "INSERT INTO t (id, name) VALUES (101, 'a'), (7, 'b'), (102, 'c')",
        filled("INSERT INTO t (id, name) VALUES (DEFAULT, 'a'), (7, 'b'), (default, 'c')", SERIAL));
    assertEquals(
        "INSERT INTO t VALUES (101, 'a', 'n')",
        filled("INSERT INTO t VALUES (DEFAULT, 'a', 'n')", SERIAL));
  }

  @Test
  void aShortPositionalRowGetsDefaultsUpToTheColumn() {
    List<SequenceColumn> last = List.of(new SequenceColumn("note", "public.s", false));
    assertEquals(
        "INSERT INTO t VALUES (1, DEFAULT, 101)", filled("INSERT INTO t VALUES (1)", last));
    assertEquals(
        "INSERT INTO t VALUES (1, 'x', 101)", filled("INSERT INTO t VALUES (1, 'x')", last));
  }

  @Test
  void defaultValuesNamesTheSequenceColumns() {
    List<SequenceColumn> two =
        List.of(
            new SequenceColumn("id", "public.t_id_seq", false),
            new SequenceColumn("note", "public.s", true));
    assertEquals(
        "INSERT INTO t (id, note) OVERRIDING SYSTEM VALUE VALUES (101, 102) RETURNING *",
        filled("INSERT INTO t DEFAULT VALUES RETURNING *", two));
  }

  @Test
  void anIdentityAlwaysColumnGetsOverridingSystemValue() {
    List<SequenceColumn> always = List.of(new SequenceColumn("id", "public.t_id_seq", true));
    assertEquals(
        "INSERT INTO t AS x (name, id) OVERRIDING SYSTEM VALUE VALUES ('a', 101)",
        filled("INSERT INTO t AS x (name) VALUES ('a')", always));
    assertEquals(
        "INSERT INTO t OVERRIDING SYSTEM VALUE VALUES (101, 'a')",
        filled("INSERT INTO t VALUES (DEFAULT, 'a')", always));
    // A value given by the statement: left to PostgreSQL, which refuses it without OVERRIDING,
    // also next to a DEFAULT (no OVERRIDING is added, which would let the given value through).
    assertEquals(
        "INSERT INTO t (id, name) VALUES (101, 'a'), (5, 'b')",
        filled("INSERT INTO t (id, name) VALUES (DEFAULT, 'a'), (5, 'b')", always));
    assertEquals(
        "INSERT INTO t (id, name) VALUES (5, 'a')",
        filled("INSERT INTO t (id, name) VALUES (5, 'a')", always));
  }

  @Test
  void callsBecomeBigintValuesInTextOrderWithTheirColumnNames() {
    SequenceEdits edits =
        edits(
            PLAIN,
            "SELECT nextval('s'), currval('s') + 1, lastval() AS l, pg_catalog.setval('u', 9)",
            List.of(),
            List.of());
    assertEquals(
        List.of(
            new SequenceEdits.NextVal("s"),
            new SequenceEdits.CurrVal("s"),
            new SequenceEdits.LastVal(),
            new SequenceEdits.SetVal("u", 9, true)),
        edits.values());
    assertEquals(
        "SELECT CAST(101 AS bigint) AS nextval, CAST(102 AS bigint) + 1,"
            + " CAST(103 AS bigint) AS l, CAST(104 AS bigint) AS setval",
        edits.render(numbers(4), List.of()).sql());
  }

  @Test
  void nextvalInValuesAndCurrvalAnywhere() {
    assertEquals(
        "INSERT INTO t (id, name) VALUES (CAST(101 AS bigint), 'a' || CAST(102 AS bigint))",
        filled(
            "INSERT INTO t (id, name) VALUES (nextval('public.s'::regclass), 'a' || currval('s'))",
            List.of()));
    assertEquals(
        "SELECT * FROM t WHERE id = CAST(101 AS bigint)",
        filled("SELECT * FROM t WHERE id = currval('t_id_seq')", List.of()));
    assertEquals(
        "SELECT CAST((-5) AS bigint) AS lastval",
        edits(PLAIN, "SELECT lastval()", List.of(), List.of())
            .render(List.of(-5L), List.of())
            .sql());
  }

  @Test
  void boundParametersGetThePlaceholdersTheirOrderNeeds() {
    String sql = "INSERT INTO t (name, note) VALUES (?, ?), (?, ?) RETURNING id";
    SequenceEdits edits = edits(JDBC, sql, TABLE, SERIAL);
    SqlFrontend.Piece piece = edits.render(List.of(101L, 102L), Arrays.asList("a", null, "b", "n"));
    assertEquals(
        "INSERT INTO t (name, note, id) VALUES (?, ?, ?), (?, ?, ?) RETURNING id", piece.sql());
    assertEquals(
        Arrays.<@Nullable Object>asList("a", null, 101L, "b", "n", 102L), piece.parameters());
  }

  @Test
  void whatWouldTakeANodesOwnValueIsRefused() {
    assertTrue(
        refusal("UPDATE t SET id = nextval('s') WHERE id = 1", List.of()).contains("nextval"));
    assertTrue(
        refusal("SELECT nextval('s') FROM generate_series(1, 3)", List.of()).contains("nextval"));
    assertTrue(refusal("SELECT setval('s', 5) FROM t", List.of()).contains("setval"));
    assertTrue(refusal("SELECT nextval(name) FROM seqs", List.of()).contains("constant"));
    assertTrue(
        refusal("INSERT INTO t (name) SELECT name FROM u", SERIAL).contains("INSERT ... SELECT"));
    assertTrue(
        refusal("INSERT INTO t OVERRIDING USER VALUE VALUES (1, 'a')", SERIAL)
            .contains("OVERRIDING USER VALUE"));
    assertTrue(
        refusal("INSERT INTO t (name) VALUES ('a')", List.of(new SequenceColumn("id", null, false)))
            .contains("default of column"));
  }

  @Test
  void ddlAndOtherFunctionsAreLeftAlone() {
    assertTrue(
        edits(PLAIN, "CREATE TABLE u (id bigint DEFAULT nextval('s'))", List.of(), List.of())
            .isEmpty());
    assertTrue(edits(PLAIN, "SELECT app.nextval('s')", List.of(), List.of()).isEmpty());
    assertTrue(edits(PLAIN, "SELECT 'nextval(''s'')'", List.of(), List.of()).isEmpty());
    // A column given explicitly keeps its value.
    assertTrue(edits(PLAIN, "INSERT INTO t (id, name) VALUES (1, 'a')", TABLE, SERIAL).isEmpty());
  }
}
