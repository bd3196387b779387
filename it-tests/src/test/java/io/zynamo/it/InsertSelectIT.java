package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code INSERT ... SELECT} into sharded and reference tables, compared with one plain PostgreSQL
 * (node 0): nodes 1-3 are a Zynamo cluster with N = 3 and W = 3, so every node holds every row once
 * a statement returns. The target tables' rows must be equal, and every node must hold each of
 * them.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InsertSelectIT {

  private final PostgresCluster nodes;
  private SideBySide sides;

  InsertSelectIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void load() throws SQLException {
    sides = SideBySide.plainAndThreeNodes(nodes);
    Connection plain = sides.plain();
    Connection zynamo = sides.zynamo();
    sides.both(
        "CREATE TABLE src (id bigint PRIMARY KEY, g text, n int, at timestamptz, m numeric(12,3),"
            + " b bytea, j jsonb, a int[], f float8)",
        "CREATE TABLE dst (id bigint PRIMARY KEY, g text, n int, at timestamptz, m numeric(12,3),"
            + " b bytea, j jsonb, a int[], f float8)",
        "CREATE TABLE numbered (id bigserial PRIMARY KEY, g text, n int)",
        "CREATE TABLE tally (g text PRIMARY KEY, total bigint)");
    try (Statement s = zynamo.createStatement()) {
      s.execute("SELECT zynamo.reference('tally')");
    }
    for (Connection c : List.of(plain, zynamo)) {
      for (int from = 1; from <= 2500; from += 500) {
        StringBuilder values = new StringBuilder();
        for (int id = from; id < from + 500; id++) {
          values
              .append(values.isEmpty() ? "" : ", ")
              .append("(")
              .append(id)
              .append(", ")
              .append(id % 17 == 0 ? "NULL" : "'g" + (id % 7) + (id % 5 == 0 ? " it''s" : "") + "'")
              .append(", ")
              .append(id % 11 == 0 ? "NULL" : Integer.toString(id % 100 - 50))
              .append(", timestamptz '2024-01-01 00:00:00+02' + interval '")
              .append(id * 37)
              .append(" minutes', ")
              .append(id)
              .append(".125 / 7, '\\x")
              .append(String.format("%04x", id))
              .append("', '{\"k\": ")
              .append(id % 3 == 0 ? "null" : "[" + id + ", \"v\"]")
              .append("}', '{")
              .append(id)
              .append(",")
              .append(-id)
              .append("}', ")
              .append(id % 13 == 0 ? "'NaN'" : id + " / 3.0::float8")
              .append(")");
        }
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO src VALUES " + values);
        }
      }
    }
  }

  @AfterAll
  void close() throws SQLException {
    sides.close();
  }

  @Test
  void copiesEveryTypeExactlyInBatchesOnEveryReplica() throws SQLException {
    sides.both("INSERT INTO dst SELECT * FROM src WHERE id <= 2300");
    assertSame("SELECT * FROM dst ORDER BY id");
    assertOnEveryNode("dst", 2300);
    sides.both("TRUNCATE dst");
  }

  @Test
  void namedColumnsPositionalPrefixAndAggregates() throws SQLException {
    sides.both(
        "INSERT INTO dst (id, g) SELECT id + 10000, upper(g) FROM src WHERE n > 40",
        "INSERT INTO dst SELECT id + 20000, g, n FROM src WHERE id % 100 = 7",
        "INSERT INTO tally SELECT coalesce(g, '?'), sum(n) FROM src GROUP BY g");
    assertSame("SELECT id, g, n, at, m FROM dst ORDER BY id");
    assertSame("SELECT * FROM tally ORDER BY g");
    assertOnEveryNode("tally", count("SELECT count(*) FROM tally"));
    sides.both("TRUNCATE dst", "TRUNCATE tally");
  }

  @Test
  void sequenceColumnsLeftOutAreFilledClusterUnique() throws SQLException {
    sides.both("INSERT INTO numbered (g, n) SELECT g, n FROM src WHERE id <= 1200");
    assertSame("SELECT count(*), count(DISTINCT id), sum(n) FROM numbered");
    assertSame("SELECT g, n FROM numbered ORDER BY g, n");
    sides.both("TRUNCATE numbered");
  }

  @Test
  void anErrorInALaterBatchLeavesNoRowOnAnyNode() throws SQLException {
    sides.both("INSERT INTO dst (id, g) VALUES (2200, 'taken')");
    for (Connection c : List.of(sides.plain(), sides.zynamo())) {
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                try (Statement s = c.createStatement()) {
                  s.execute("INSERT INTO dst SELECT * FROM src");
                }
              });
      assertEquals("23505", e.getSQLState(), e.getMessage());
    }
    assertSame("SELECT * FROM dst ORDER BY id");
    assertOnEveryNode("dst", 1);
    sides.both("TRUNCATE dst");
  }

  @Test
  void onConflictParametersAndReturningInATransaction() throws SQLException {
    sides.both("INSERT INTO dst (id, g) SELECT id, 'old' FROM src WHERE id <= 10");
    for (Connection c : List.of(sides.plain(), sides.zynamo())) {
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO dst (id, g) SELECT id, g FROM src WHERE id <= ? AND n > ?"
                  + " ON CONFLICT (id) DO UPDATE SET g = excluded.g || '!'")) {
        p.setInt(1, 30);
        p.setInt(2, -100);
        p.executeUpdate();
      }
    }
    assertSame("SELECT id, g FROM dst ORDER BY id");
    List<List<String>> returned = new ArrayList<>();
    for (Connection c : List.of(sides.plain(), sides.zynamo())) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "INSERT INTO dst (id, n) SELECT id + 5000, n FROM src WHERE id BETWEEN 40 AND 60"
                      + " ON CONFLICT DO NOTHING RETURNING id, n")) {
        List<String> rows = NodeSql.rows(rs);
        rows.sort(null);
        returned.add(rows);
      }
      c.commit();
      c.setAutoCommit(true);
    }
    assertEquals(returned.get(0), returned.get(1));
    assertEquals(21, returned.get(1).size());
    assertSame("SELECT id, g, n FROM dst ORDER BY id");
    SQLException outside =
        assertThrows(
            SQLException.class,
            () -> {
              try (Statement s = sides.zynamo().createStatement()) {
                s.executeQuery("INSERT INTO dst (id) SELECT id + 9000 FROM src RETURNING id");
              }
            });
    assertEquals("0A000", outside.getSQLState());
    sides.both("TRUNCATE dst");
  }

  @Test
  void widthMismatchesFailAsInPostgreSQL() {
    for (String sql :
        List.of(
            "INSERT INTO dst (id, g, n) SELECT id, g FROM src",
            "INSERT INTO tally SELECT g, n, n FROM src")) {
      for (Connection c : List.of(sides.plain(), sides.zynamo())) {
        SQLException e =
            assertThrows(
                SQLException.class,
                () -> {
                  try (Statement s = c.createStatement()) {
                    s.execute(sql);
                  }
                });
        assertEquals("42601", e.getSQLState(), sql + ": " + e.getMessage());
      }
    }
  }

  private void assertSame(String sql) throws SQLException {
    sides.assertSameRows(sql);
  }

  private long count(String sql) throws SQLException {
    return Long.parseLong(SideBySide.rows(sides.plain(), sql).get(0));
  }

  /** Every Zynamo node holds {@code rows} rows of the table (N = 3 on 3 nodes). */
  private void assertOnEveryNode(String table, long rows) throws SQLException {
    for (PostgresNode node : nodes.nodes().subList(1, 4)) {
      assertEquals(
          Long.toString(rows),
          NodeSql.string(node, "SELECT count(*) FROM " + table),
          table + " on " + node);
    }
  }
}
