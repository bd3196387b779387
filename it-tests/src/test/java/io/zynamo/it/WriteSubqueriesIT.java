package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zynamo.proxy.embedded.PostgresCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * UPDATE and DELETE with uncorrelated subqueries (computed first, then replaced by their values),
 * compared with one plain PostgreSQL (node 0); nodes 1-3 are a Zynamo cluster with N = 3, W = 3.
 * Each test starts from the same rows on both sides.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteSubqueriesIT {

  private final PostgresCluster nodes;
  private SideBySide sides;

  WriteSubqueriesIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void create() throws SQLException {
    sides = SideBySide.plainAndThreeNodes(nodes);
    sides.both(
        "CREATE TABLE cust (id int PRIMARY KEY, city text, code char(2))",
        "CREATE TABLE ord (cid int, id int, total numeric(10,2), PRIMARY KEY (cid, id))",
        "CREATE TABLE stats (name text PRIMARY KEY, n bigint)");
    try (Statement s = sides.zynamo().createStatement()) {
      s.execute("SELECT zynamo.reference('stats')");
    }
  }

  @BeforeEach
  void load() throws SQLException {
    StringBuilder customers = new StringBuilder();
    StringBuilder orders = new StringBuilder();
    String[] cities = {"Paris", "Lyon", "Oslo", null};
    for (int id = 1; id <= 60; id++) {
      String city = cities[id % 4];
      customers
          .append(customers.isEmpty() ? "" : ", ")
          .append("(")
          .append(id)
          .append(", ")
          .append(city == null ? "NULL" : "'" + city + "'")
          .append(", 'C")
          .append(id % 3)
          .append("')");
      for (int o = 0; o < id % 4; o++) {
        orders
            .append(orders.isEmpty() ? "" : ", ")
            .append("(")
            .append(id + (id % 5 == 0 ? 1000 : 0)) // some orders of no customer
            .append(", ")
            .append(id * 10 + o)
            .append(", ")
            .append(id % 7 == 0 ? "NULL" : (id * 13 % 97) + ".25")
            .append(")");
      }
    }
    sides.both(
        "TRUNCATE cust",
        "TRUNCATE ord",
        "TRUNCATE stats",
        "INSERT INTO cust VALUES " + customers,
        "INSERT INTO ord VALUES " + orders,
        "INSERT INTO stats VALUES ('orders', 0), ('big', 0)");
  }

  @AfterAll
  void close() throws SQLException {
    sides.close();
  }

  @Test
  void subqueriesOfEveryUseAnswerAsOnePostgreSQL() throws SQLException {
    for (String sql :
        List.of(
            "DELETE FROM ord WHERE cid IN (SELECT id FROM cust WHERE city = 'Paris')",
            "DELETE FROM ord WHERE cid NOT IN (SELECT id FROM cust WHERE city IS NOT NULL)",
            "UPDATE ord SET total = (SELECT max(total) FROM ord) WHERE id % 3 = 0",
            "UPDATE ord SET total = total + 1 WHERE total > ALL (SELECT total FROM ord WHERE cid"
                + " < 10 AND total IS NOT NULL)",
            "UPDATE ord SET total = 0 WHERE cid = ANY (SELECT id FROM cust WHERE code = 'C1')",
            "DELETE FROM ord WHERE EXISTS (SELECT 1 FROM cust WHERE city = 'Oslo') AND cid < 12",
            "DELETE FROM ord WHERE NOT EXISTS (SELECT 1 FROM cust WHERE city = 'Rome')"
                + " AND cid BETWEEN 30 AND 33",
            "UPDATE cust SET city = (SELECT city FROM cust WHERE id = 2) WHERE id IN (SELECT cid"
                + " FROM ord WHERE total IS NULL)",
            "UPDATE stats SET n = (SELECT count(*) FROM ord) WHERE name = 'orders'",
            "UPDATE stats SET n = (SELECT sum(total)::bigint FROM ord WHERE total > 50)"
                + " WHERE name = 'big'")) {
      sides.both(sql);
      sides.assertSameRows("SELECT * FROM ord ORDER BY cid, id");
      sides.assertSameRows("SELECT * FROM cust ORDER BY id");
      sides.assertSameRows("SELECT * FROM stats ORDER BY name");
    }
  }

  @Test
  void emptySubqueriesKeepTheirMeaning() throws SQLException {
    sides.both(
        "DELETE FROM ord WHERE cid IN (SELECT id FROM cust WHERE false)",
        "UPDATE ord SET total = 1 WHERE cid NOT IN (SELECT id FROM cust WHERE false) AND cid < 9",
        "UPDATE ord SET total = 2 WHERE cid > ALL (SELECT id FROM cust WHERE false) AND cid < 5",
        "UPDATE ord SET total = (SELECT max(total) FROM ord WHERE false) WHERE cid = 6");
    sides.assertSameRows("SELECT * FROM ord ORDER BY cid, id");
  }

  @Test
  void returningAndErrors() throws SQLException {
    List<String> plain =
        sorted(
            SideBySide.rows(
                sides.plain(),
                "DELETE FROM ord WHERE cid IN (SELECT id FROM cust WHERE city = 'Oslo')"
                    + " RETURNING cid, id"));
    List<String> zynamo =
        sorted(
            SideBySide.rows(
                sides.zynamo(),
                "DELETE FROM ord WHERE cid IN (SELECT id FROM cust WHERE city = 'Oslo')"
                    + " RETURNING cid, id"));
    assertEquals(plain, zynamo);
    for (Connection c : List.of(sides.plain(), sides.zynamo())) {
      assertEquals(
          "21000",
          SideBySide.failure(c, "UPDATE ord SET total = (SELECT total FROM ord) WHERE cid = 1"));
    }
    assertEquals(
        "0A000",
        SideBySide.failure(
            sides.zynamo(),
            "UPDATE ord o SET total = 1 WHERE EXISTS (SELECT 1 FROM cust c WHERE c.id = o.cid)"));
    sides.assertSameRows("SELECT * FROM ord ORDER BY cid, id");
  }

  private static List<String> sorted(List<String> rows) {
    return rows.stream().sorted().toList();
  }
}
