package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Cutting a statement down to some of its key values, and what stops concatenating rows. */
class KeySplitTest {

  private final SqlFrontend frontend = new SqlFrontend();

  private SqlFrontend.Piece keep(
      String sql, String column, List<Integer> keep, @Nullable Object... parameters) {
    ParsedStatement parsed = frontend.parse(sql);
    return frontend
        .keep(sql, Arrays.asList(parameters), parsed.keySpans(column), keep)
        .orElseThrow();
  }

  @Test
  void insertRowsAreKeptWithTheirPlaceholdersValues() {
    SqlFrontend.Piece piece =
        keep(
            "INSERT INTO t (id, v) VALUES (?, ?), (2, 'a?'), (?, ?) ON CONFLICT (id) DO UPDATE"
                + " SET v = ? RETURNING *",
            "id",
            List.of(1, 2),
            1L,
            "x",
            3L,
            "y",
            "z");
    assertEquals(
        "INSERT INTO t (id, v) VALUES (2, 'a?'), (?, ?) ON CONFLICT (id) DO UPDATE SET v = ?"
            + " RETURNING *",
        piece.sql());
    assertEquals(List.of(3L, "y", "z"), piece.parameters());
  }

  @Test
  void rowsWithoutAColumnListAndInListValuesAreCutAlike() {
    assertEquals(
        "INSERT INTO t VALUES (1, 'a') -- (2)",
        keep("INSERT INTO t VALUES (1, 'a'),\n (2, 'b') -- (2)", "id", List.of(0)).sql());
    SqlFrontend.Piece in =
        keep(
            "SELECT * FROM t WHERE v = ? AND id IN (?, 5, /* c */ ?) AND w = ?",
            "id",
            List.of(0, 2),
            "v",
            4L,
            6L,
            "w");
    assertEquals("SELECT * FROM t WHERE v = ? AND id IN (?, ?) AND w = ?", in.sql());
    assertEquals(List.of("v", 4L, 6L, "w"), in.parameters());
  }

  @Test
  void numberedParametersStayWhenNoneIsCutAway() {
    SqlFrontend.Piece piece =
        keep("DELETE FROM t WHERE id IN ($1, 7) AND v = $2", "id", List.of(0), 1L, "v");
    assertEquals("DELETE FROM t WHERE id IN ($1) AND v = $2", piece.sql());
    assertEquals(List.of(1L, "v"), piece.parameters());
    String sql = "DELETE FROM t WHERE id IN ($1, 7)";
    assertTrue(
        frontend.keep(sql, List.of(1L), frontend.parse(sql).keySpans("id"), List.of(1)).isEmpty(),
        "a cut $1 would leave a gap in the numbering");
  }

  @Test
  void concatenationIsBlockedByClausesThatMergeRows() {
    assertEquals(
        List.of("DISTINCT", "ORDER BY", "LIMIT"),
        frontend
            .concatenation("SELECT DISTINCT a FROM t WHERE id IN (1, 2) ORDER BY a LIMIT 3")
            .clauses());
    assertEquals(
        List.of("GROUP BY", "HAVING"),
        frontend.concatenation("SELECT a FROM t GROUP BY a HAVING a > 1").clauses());
    assertEquals(List.of("OVER"), frontend.concatenation("SELECT rank() OVER () FROM t").clauses());
    SqlFrontend.Concatenation plain =
        frontend.concatenation(
            "SELECT lower(name), (SELECT 1 ORDER BY 1), a IS DISTINCT FROM b FROM t"
                + " WHERE id IN (1, 2) FOR UPDATE");
    assertEquals(List.of(), plain.clauses(), "nested ORDER BY and IS DISTINCT FROM do not merge");
    assertEquals(java.util.Set.of("lower"), plain.functions());
    assertTrue(frontend.concatenation("SELECT \"Agg\"(x) FROM t").functions().contains("Agg"));
  }
}
