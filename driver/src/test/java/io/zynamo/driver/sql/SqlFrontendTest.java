package io.zynamo.driver.sql;

import static io.zynamo.driver.sql.StatementFixture.param;
import static io.zynamo.driver.sql.StatementFixture.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SqlFrontendTest {

  private final SqlFrontend frontend = new SqlFrontend();

  @Test
  void insertReportsKeyValuesPerRow() {
    parse("INSERT INTO t (id, v) VALUES (1, 'a'), (-2, 'b'), (?, 'c')")
        .isInsert()
        .isSingleTable()
        .hasKeyValues("id", 1L, -2L, param(1))
        .hasKeyValues("v", "a", "b", "c");
  }

  @Test
  void insertWithoutColumnListLeavesPositionsToTheCaller() {
    parse("INSERT INTO t VALUES (1, 'a')").isInsert().hasNoKeyValues("id");
  }

  @Test
  void selectByKeyWithAliasAndCasts() {
    parse("SELECT * FROM t AS x WHERE x.id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid")
        .isSelect()
        .isSingleTable()
        .hasKeyValues("id", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    parse("SELECT * FROM t WHERE d IN (DATE '2024-01-01', '2024-01-02'::date) AND n = 1.5")
        .hasKeyValues("d", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2))
        .hasKeyValues("n", new BigDecimal("1.5"));
  }

  @Test
  void anOrOrASubqueryNeverYieldsKeys() {
    parse("SELECT * FROM t WHERE id = 1 OR id = 2").isSingleTable().hasNoKeyValues("id");
    parse("SELECT * FROM t WHERE id = 1 AND k IN (SELECT k FROM u)")
        .isComplex()
        .hasNoKeyValues("id");
  }

  @Test
  void updateOfTheShardKeyIsVisible() {
    parse("UPDATE t SET id = 6, v = 'x' WHERE id = 5")
        .isUpdate()
        .setsColumns("id", "v")
        .hasKeyValues("id", 5L);
    parse("INSERT INTO t (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id + 1")
        .has(Trait.ON_CONFLICT_DO_UPDATE)
        .setsColumns("id");
  }

  @Test
  void deleteUsingIsComplex() {
    parse("DELETE FROM t USING u WHERE t.id = u.id AND t.id = 1")
        .isDelete()
        .isComplex()
        .hasTables("t", "u")
        .hasNoKeyValues("id");
  }

  @Test
  void nativeModeReadsQuestionMarkAsAnOperator() {
    SqlFrontend proxy = new SqlFrontend(SqlFrontend.Config.DEFAULT.withJdbcPlaceholders(false));
    ParsedStatement statement = proxy.parse("SELECT * FROM t WHERE j ? 'k' AND id = $1");
    assertEquals("SELECT SINGLE_TABLE tables=[t] keys=[id = $1]", statement.toString());
    ParsedStatement jdbc = frontend.parse("SELECT * FROM t WHERE j ?? 'k' AND id = ?");
    assertEquals("SELECT SINGLE_TABLE tables=[t] keys=[id = $1]", jdbc.toString());
  }

  @Test
  void splitHonoursQuotesCommentsDollarQuotesAndFunctionBodies() {
    String sql =
        "SELECT ';' AS \"a;b\"; -- c;\n"
            + "CREATE FUNCTION f() RETURNS int AS $x$ SELECT 1; $x$ LANGUAGE sql;;\n"
            + "/* x; /* y; */ */ CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1);"
            + " SELECT CASE WHEN true THEN 1 END; END;\n"
            + "SELECT E'\\';'";
    assertEquals(
        List.of(
            "SELECT ';' AS \"a;b\"",
            "-- c;\nCREATE FUNCTION f() RETURNS int AS $x$ SELECT 1; $x$ LANGUAGE sql",
            "/* x; /* y; */ */ CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1);"
                + " SELECT CASE WHEN true THEN 1 END; END",
            "SELECT E'\\';'"),
        frontend.split(sql));
  }

  @Test
  void splitKeepsUnreadableRestForTheNode() {
    assertEquals(List.of("SELECT 1", "SELECT 'oops"), frontend.split("SELECT 1; SELECT 'oops"));
    assertEquals(List.of(), frontend.split(" ; -- nothing\n;"));
  }

  @Test
  void parseAllNumbersJdbcPlaceholdersAcrossTheText() {
    List<ParsedStatement> statements =
        frontend.parseAll("UPDATE t SET v = ? WHERE id = ?; DELETE FROM t WHERE id = ?");
    assertEquals(2, statements.size());
    assertEquals(List.of(param(2)), statements.get(0).keyValues("id").orElseThrow());
    assertEquals(List.of(param(3)), statements.get(1).keyValues("id").orElseThrow());
  }

  @Test
  void hugeInListParsesInLinearTime() {
    String sql = inList(100_000);
    frontend.parse(inList(1_000)); // warm up
    long start = System.nanoTime();
    ParsedStatement statement =
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> frontend.parse(sql));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(100_000, statement.keyValues("id").orElseThrow().size());
    System.out.println("100k-element IN list parsed in " + millis + " ms");
    assertTrue(millis < 2_000, "100k IN list: " + millis + " ms (expected: < 2000)");
  }

  @Test
  void deepNestingIsUnknownNotAStackOverflow() {
    String sql = "SELECT " + "(".repeat(5_000) + "1" + ")".repeat(5_000);
    assertEquals(Shape.UNKNOWN, frontend.parse(sql).shape());
  }

  @Test
  void neverThrowsOnTruncatedStatements() {
    String sql =
        "WITH c AS (SELECT * FROM t WHERE id = $1) INSERT INTO u AS x (a, b) VALUES (1, E'\\x41')"
            + " ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b RETURNING *";
    for (int end = 0; end <= sql.length(); end++) {
      frontend.parse(sql.substring(0, end));
      frontend.split(sql.substring(0, end));
    }
  }

  @Test
  void surrogatePairsMustBeComplete() {
    assertEquals(
        "SELECT SINGLE_TABLE tables=[t] keys=[a = '\uD83D\uDE00']",
        frontend.parse("SELECT * FROM t WHERE a = E'\\uD83D\\uDE00'").toString());
    assertEquals(Shape.UNKNOWN, frontend.parse("SELECT E'\\uD83D\\u12'").shape());
    assertEquals(Shape.UNKNOWN, frontend.parse("SELECT E'\\uDE00'").shape());
  }

  private static String inList(int size) {
    StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE id IN (");
    for (int i = 0; i < size; i++) {
      sql.append(i == 0 ? "" : ", ").append(i);
    }
    return sql.append(')').toString();
  }

  @Test
  void parameterCountSkipsQuotesCommentsAndTheQuestionMarkOperator() {
    assertEquals(0, frontend.parameterCount("SELECT 1"));
    assertEquals(2, frontend.parameterCount("SELECT * FROM t WHERE a = ? AND b = ?"));
    assertEquals(
        1,
        frontend.parameterCount(
            "SELECT '?', \"?\", $$?$$ /* ? */ FROM t WHERE j ?? 'k' AND a = ? -- ?\n"));
    assertEquals(3, frontend.parameterCount("UPDATE t SET a = ?; DELETE FROM t WHERE a IN (?, ?)"));
    assertEquals(4, frontend.parameterCount("SELECT $4, $1"));
    assertEquals(
        0,
        new SqlFrontend(SqlFrontend.Config.DEFAULT.withJdbcPlaceholders(false))
            .parameterCount("SELECT a ? b"));
  }
}
