package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What a cluster-wide scan takes from a query's text: its filter, literals, temporary tables. */
class ScanTextTest {

  private final SqlFrontend frontend = new SqlFrontend();

  private @Nullable String where(String sql) {
    ScanText scan = frontend.parse(sql).scan();
    if (scan == null || scan.where() == null) {
      return null;
    }
    return sql.substring(scan.where().start(), scan.where().end());
  }

  @Test
  void theWhereConditionOfASingleTableSelectIsFound() {
    assertEquals("v > 3 AND w = 'x'", where("SELECT a FROM t WHERE v > 3 AND w = 'x' ORDER BY a"));
    assertEquals(
        "t.v IS DISTINCT FROM 2",
        where("SELECT a IS DISTINCT FROM b FROM t WHERE t.v IS DISTINCT FROM 2"));
    assertEquals("x.v = 1", where("SELECT count(*) FROM public.t AS x WHERE x.v = 1 GROUP BY 1"));
    assertEquals("x", frontend.parse("SELECT * FROM t x WHERE x.a = 1").scan().alias());
    assertNull(where("SELECT a FROM t"));
    assertNull(where("SELECT a FROM t TABLESAMPLE SYSTEM (10) WHERE v = 1"), "sampling");
    assertNull(frontend.parse("SELECT a FROM t JOIN u ON true WHERE v = 1").scan(), "two tables");
  }

  @Test
  void updatesAndDeletesAreNarrowedToOneBucket() {
    String update = "UPDATE t AS x SET v = v + 1 WHERE x.v > ? OR x.w IS NULL RETURNING *";
    assertEquals(
        "UPDATE t AS x SET v = v + 1 WHERE (x.v > ? OR x.w IS NULL) AND zynamo_bucket = 7"
            + " RETURNING *",
        frontend.parse(update).scan().narrowed(update, "zynamo_bucket = 7"));
    String delete = "DELETE FROM t";
    assertEquals(
        "DELETE FROM t WHERE zynamo_bucket = 7",
        frontend.parse(delete).scan().narrowed(delete, "zynamo_bucket = 7"));
    String returning = "DELETE FROM t RETURNING id";
    assertEquals(
        "DELETE FROM t WHERE zynamo_bucket = 7 RETURNING id",
        frontend.parse(returning).scan().narrowed(returning, "zynamo_bucket = 7"));
  }

  @Test
  void placeholdersBecomeLiteralsTypedAsPgjdbcSendsThem() {
    String sql = "SELECT * FROM t WHERE a = ? AND b IN (?, ?) AND c = ? AND d = ? AND e <> ?";
    Span where = frontend.parse(sql).scan().where();
    UUID id = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    List<@Nullable Object> values = Arrays.asList(5L, 1, "it's", new BigDecimal("1.50"), true, id);
    assertEquals(
        "a = CAST('5' AS bigint) AND b IN (CAST('1' AS integer), CAST('it''s' AS varchar))"
            + " AND c = CAST('1.50' AS numeric) AND d = CAST('true' AS boolean)"
            + " AND e <> CAST('"
            + id
            + "' AS uuid)",
        frontend.inline(sql, where, values).orElseThrow());
    assertTrue(
        frontend
            .inline(sql, where, Arrays.asList(new Object[] {new int[0], 1, 2, 3, 4, 5}))
            .isEmpty(),
        "no literal for an array value");
  }

  @Test
  void qualifiedReferencesPointAtTheTemporaryTables() {
    Set<ObjectName> tables = Set.of(new ObjectName("public", "orders"));
    assertEquals(
        "SELECT pg_temp.orders.id FROM pg_temp.orders JOIN customers c ON true"
            + " WHERE 'public.orders' <> '' AND x.public.orders IS NULL",
        frontend
            .retarget(
                "SELECT public.orders.id FROM public.orders JOIN customers c ON true"
                    + " WHERE 'public.orders' <> '' AND x.public.orders IS NULL",
                tables)
            .replace("x.pg_temp.orders", "x.public.orders"));
    assertEquals("SELECT * FROM app.orders", frontend.retarget("SELECT * FROM app.orders", tables));
  }
}
