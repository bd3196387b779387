package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushdownTest {

  private static final List<String> COLUMNS = List.of("id", "city", "credit", "name", "Weird");
  private final SqlFrontend frontend = new SqlFrontend();

  private Optional<Pushdown> of(String sql) {
    return frontend.pushdown(sql, frontend.parse(sql), COLUMNS);
  }

  private Pushdown grouped(String sql) {
    Pushdown p = of(sql).orElseThrow(() -> new AssertionError("no pushdown: " + sql));
    assertEquals(Pushdown.Kind.GROUPED, p.kind(), sql);
    return p;
  }

  private Pushdown topK(String sql) {
    Pushdown p = of(sql).orElseThrow(() -> new AssertionError("no pushdown: " + sql));
    assertEquals(Pushdown.Kind.TOP_K, p.kind(), sql);
    return p;
  }

  private void none(String sql) {
    assertTrue(of(sql).isEmpty(), sql);
  }

  @Test
  void countWithoutGroupsMergesBySumCastBack() {
    Pushdown p = grouped("SELECT count(*) FROM t WHERE credit > 5");
    assertEquals(List.of("count(*) AS zynamo_p1"), p.nodeSelectList());
    assertEquals("", p.nodeTail());
    assertEquals(
        "SELECT (CAST(sum(zynamo_p1) AS bigint)) AS \"count\" FROM t ",
        p.mergeSelect(Map.of("zynamo_p1", "bigint"), List.of("count")).orElseThrow());
    assertEquals("SELECT count(*) FROM t WHERE x", p.originalSelect("x"));
  }

  @Test
  void groupsByColumnsAndKeepsHavingOrderAndLimitForTheMerge() {
    Pushdown p =
        grouped(
            "SELECT c.city, sum(credit) AS s, avg(credit) FROM t c GROUP BY c.city"
                + " HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 3");
    assertEquals(
        List.of(
            "c.city AS city",
            "sum(credit) AS zynamo_p1",
            "count(credit) AS zynamo_p2",
            "count(*) AS zynamo_p3"),
        p.nodeSelectList());
    assertEquals(List.of("zynamo_p1", "zynamo_p2", "zynamo_p3"), p.partialColumns());
    assertEquals(" GROUP BY c.city", p.nodeTail());
    assertEquals(
        "SELECT c.city, (sum(zynamo_p1)) AS s, (CAST(sum(zynamo_p1) AS numeric) /"
            + " CAST(sum(zynamo_p2) AS numeric)) AS \"avg\" FROM t c GROUP BY c.city"
            + " HAVING (CAST(sum(zynamo_p3) AS bigint)) > 1 ORDER BY 2 DESC LIMIT 3",
        p.mergeSelect(
                Map.of("zynamo_p1", "numeric", "zynamo_p2", "bigint", "zynamo_p3", "bigint"),
                List.of("city", "s", "avg"))
            .orElseThrow());
  }

  @Test
  void sameCallComputedOnce() {
    Pushdown p = grouped("SELECT city, max(name) FROM t GROUP BY 1 ORDER BY max(name)");
    assertEquals(List.of("city AS city", "max(name) AS zynamo_p1"), p.nodeSelectList());
    assertEquals(" GROUP BY city", p.nodeTail());
  }

  @Test
  void filterTravelsWithTheCall() {
    Pushdown p = grouped("SELECT avg(credit) FILTER (WHERE city = 'Oslo') FROM t");
    assertEquals(
        List.of(
            "sum(credit) FILTER (WHERE city = 'Oslo') AS zynamo_p1",
            "count(credit) FILTER (WHERE city = 'Oslo') AS zynamo_p2"),
        p.nodeSelectList());
  }

  @Test
  void groupExpressionsAreComputedOnNodesAndReadWhereTheyStandWhole() {
    Pushdown p =
        grouped(
            "SELECT lower(city), count(*) FROM t GROUP BY lower(city) ORDER BY lower(city) DESC");
    assertEquals(List.of("lower(city) AS zynamo_g1", "count(*) AS zynamo_p1"), p.nodeSelectList());
    assertEquals(" GROUP BY lower(city)", p.nodeTail());
    assertEquals(
        "SELECT zynamo_g1 AS \"lower\", (CAST(sum(zynamo_p1) AS bigint)) AS \"count\" FROM t"
            + " GROUP BY zynamo_g1 ORDER BY zynamo_g1 DESC",
        p.mergeSelect(Map.of("zynamo_p1", "bigint"), List.of("lower", "count")).orElseThrow());
    Pushdown positional = grouped("SELECT upper(lower(city)), credit + 1 FROM t GROUP BY 2, 1");
    assertEquals(
        List.of("credit + 1 AS zynamo_g1", "upper(lower(city)) AS zynamo_g2"),
        positional.nodeSelectList());
    assertEquals(
        "SELECT zynamo_g2 AS \"upper\", zynamo_g1 AS \"?column?\" FROM t GROUP BY 2, 1",
        positional.mergeSelect(Map.of(), List.of("upper", "?column?")).orElseThrow());
    Pushdown operand =
        grouped("SELECT lower(city) || 'x', upper(lower(city)) FROM t GROUP BY lower(city)");
    assertEquals(
        "SELECT lower(city) || 'x', upper(zynamo_g1) AS \"upper\" FROM t GROUP BY zynamo_g1",
        operand.mergeSelect(Map.of(), List.of("?column?", "upper")).orElseThrow());
  }

  @Test
  void typesThatDoNotMergeExactlyAreRefused() {
    Pushdown sum = grouped("SELECT sum(credit) FROM t");
    assertTrue(sum.mergeSelect(Map.of("zynamo_p1", "mytype"), List.of("sum")).isEmpty());
    Pushdown avg = grouped("SELECT avg(credit) FROM t");
    assertTrue(
        avg.mergeSelect(Map.of("zynamo_p1", "real", "zynamo_p2", "bigint"), List.of("avg"))
            .isEmpty());
    assertEquals(
        "SELECT (sum(zynamo_p1) / CAST(sum(zynamo_p2) AS double precision)) AS \"avg\" FROM t",
        avg.mergeSelect(
                Map.of("zynamo_p1", "double precision", "zynamo_p2", "bigint"), List.of("avg"))
            .orElseThrow());
  }

  @Test
  void distinctOfColumnsGroupsOnNodes() {
    Pushdown p = grouped("SELECT DISTINCT city, \"Weird\" FROM t WHERE id > 3 ORDER BY city");
    assertEquals(List.of("city AS city", "\"Weird\" AS \"Weird\""), p.nodeSelectList());
    assertEquals(" GROUP BY city, \"Weird\"", p.nodeTail());
    assertEquals(
        "SELECT DISTINCT city, \"Weird\" FROM t  ORDER BY city",
        p.mergeSelect(Map.of(), List.of("city", "Weird")).orElseThrow());
  }

  @Test
  void otherFunctionsAreReportedForTheCatalogCheck() {
    Pushdown p = grouped("SELECT upper(city), string_agg(name, ',') FROM t GROUP BY city");
    assertEquals(java.util.Set.of("upper", "string_agg"), p.otherFunctions());
  }

  @Test
  void whatIsNotMergedHereIsRefused() {
    none("SELECT count(DISTINCT city) FROM t");
    none("SELECT sum(credit ORDER BY id) FROM t");
    none("SELECT count(*) FROM t GROUP BY GROUPING SETS ((city), ())");
    none("SELECT count(*) FROM t GROUP BY CUBE (city, name)");
    none("SELECT city, count(*) FROM t GROUP BY ROLLUP (city)");
    none("SELECT count(*) OVER () FROM t");
    none("SELECT city, count(*) FROM t GROUP BY city HAVING count(*) > ?");
    none("SELECT * FROM t GROUP BY id");
    none("SELECT DISTINCT ON (city) city, id FROM t");
    none("SELECT DISTINCT upper(city) FROM t");
    none("SELECT count(*) FROM t FOR UPDATE");
    none("SELECT myschema.sum(credit) FROM t");
    none("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY credit) FROM t");
    none("SELECT * FROM t");
    none("SELECT now() - max(credit) FROM t"); // each node's now() differs
    none("SELECT count(*) FROM t GROUP BY CURRENT_DATE - id");
    none("SELECT id FROM t ORDER BY age(created) LIMIT 3");
    grouped("SELECT avg(age) FROM t"); // a column named age is no call of age()
  }

  @Test
  void topKSendsTheFirstRowsOfEachNode() {
    Pushdown p =
        topK("SELECT * FROM t WHERE city = ? ORDER BY credit DESC NULLS LAST, id LIMIT 10");
    assertEquals(" ORDER BY credit DESC NULLS LAST, id LIMIT 10", p.nodeTail());
    assertEquals(List.of(), p.nodeSelectList());
    assertEquals(
        " ORDER BY name LIMIT 7",
        topK("SELECT id, name FROM t ORDER BY 2 LIMIT 5 OFFSET 2").nodeTail());
    assertEquals(
        " ORDER BY id LIMIT 3",
        topK("SELECT id FROM t ORDER BY id FETCH FIRST 3 ROWS ONLY").nodeTail());
    assertEquals(" LIMIT 4", topK("SELECT id FROM t LIMIT 4").nodeTail());
    Pushdown lower = topK("SELECT id FROM t ORDER BY lower(name) COLLATE \"C\" LIMIT 1");
    assertEquals(" ORDER BY lower(name) COLLATE \"C\" LIMIT 1", lower.nodeTail());
    assertEquals(java.util.Set.of("lower"), lower.orderFunctions());
  }

  @Test
  void topKRefusesWhatNodesCannotOrderAlike() {
    none("SELECT id, credit AS name FROM t ORDER BY name LIMIT 3"); // the output column
    none("SELECT id, upper(name) AS n FROM t ORDER BY n LIMIT 3"); // not a table column
    none("SELECT id, upper(name) FROM t ORDER BY upper LIMIT 3");
    none("SELECT * FROM t ORDER BY 1 LIMIT 3"); // a position over *
    none("SELECT upper(name) FROM t ORDER BY 1 LIMIT 3"); // a position of an expression
    none("SELECT id FROM t ORDER BY id LIMIT ALL");
    none("SELECT id FROM t ORDER BY id LIMIT ?");
    none("SELECT id FROM t ORDER BY id FETCH FIRST 3 ROWS WITH TIES");
    none("SELECT id FROM t ORDER BY id");
  }
}
