package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The differential corpus ({@code corpus/queries.sql}): every query runs on one plain PostgreSQL
 * holding all the data (node 0) and through Zynamo on a 3-node cluster (nodes 1-3) and a 5-node
 * cluster (nodes 4-8), both N=3, and through the proxy (pgjdbc) in front of the 3-node cluster; the
 * answers must be equal (as multisets, or in order where the corpus says "-- ordered"), or fail
 * alike with the same SQLState.
 *
 * <p>Data is loaded with W = N, so every replica holds it before the queries (a cluster-wide query
 * reads one replica per bucket).
 */
@ZynamoCluster(nodes = 9)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoverageCorpusIT {

  private static final String[] NAMES = {
    "Ada", "ada", "Émile", "émile", "Zoë", "zoe", "O'Brien", "", " space", "ß", "Zed", "Bob", "bob",
    "Ärger", "Aaron", "Mia", "mia", "Noé", "Chen 陈", "Nuñez"
  };
  private static final String[] CITIES = {"Paris", "Lyon", "Berlin", "Tokyo", "Oslo", null};
  private static final String[] COUNTRIES = {"FR", "DE", "JP", "NO", null};
  private static final String[] STATUSES = {"new", "paid", "shipped", "cancelled"};
  private static final String[] KINDS = {"click", "view", "buy", "share"};

  private final PostgresCluster nodes;
  private Connection plain;
  private final List<Connection> clusters = new ArrayList<>();
  private ProxyServer proxy;

  CoverageCorpusIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void load() throws SQLException, IOException, InterruptedException {
    plain = DriverManager.getConnection(nodes.node(0).jdbcUrl(), "postgres", "");
    clusters.add(zynamo(nodes.nodes().subList(1, 4)));
    clusters.add(zynamo(nodes.nodes().subList(4, 9)));
    List<String> schema = statements(resource("corpus/schema.sql"), true);
    for (Connection c : all()) {
      try (Statement s = c.createStatement()) {
        for (String sql : schema) {
          boolean zynamoOnly = sql.startsWith("-- zynamo:");
          if (zynamoOnly && c == plain) {
            continue;
          }
          s.execute(zynamoOnly ? sql.substring("-- zynamo:".length()) : sql);
        }
      }
      insertData(c);
    }
    // The same 3-node cluster through the proxy, with pgjdbc: the corpus also tests the wire
    // protocol's types, formats and command handling.
    proxy =
        ProxyServer.start(
            ProxyConfig.of(NodeSql.addresses(nodes.nodes().subList(1, 4)))
                .withPort(0)
                .withClusterProperties(Map.of("replicas", "3")));
    clusters.add(
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres"));
  }

  @AfterAll
  void close() throws SQLException {
    for (Connection c : all()) {
      c.close();
    }
    proxy.close();
  }

  @Test
  void everyQueryOfTheCorpusAnswersAsOnePostgreSQL() throws IOException {
    List<String> queries = statements(resource("corpus/queries.sql"), false);
    assertTrue(queries.size() >= 300, "corpus size " + queries.size());
    List<String> failures = new ArrayList<>();
    int pushed = 0;
    for (String query : queries) {
      List<String> marks = new ArrayList<>();
      String sql = query;
      while (sql.startsWith("-- ")) {
        marks.add(sql.substring(3, sql.indexOf('\n')));
        sql = sql.substring(sql.indexOf('\n') + 1);
      }
      boolean ordered = marks.contains("ordered");
      if (marks.contains("pushed") || marks.contains("whole")) {
        boolean partial = explain(clusters.get(0), sql).contains("gathers partial results of ");
        if (partial != marks.contains("pushed")) {
          failures.add((partial ? "pushed down" : "gathered whole") + " unexpectedly: " + sql);
        }
        pushed += partial ? 1 : 0;
      }
      String expected = answer(plain, sql, ordered);
      if (expected.startsWith("error ")) {
        failures.add("plain PostgreSQL rejects a corpus query (" + expected + "): " + sql);
      }
      for (int i = 0; i < clusters.size(); i++) {
        String actual = answer(clusters.get(i), sql, ordered);
        if (!expected.equals(actual)) {
          failures.add(
              "cluster "
                  + i
                  + ": "
                  + sql
                  + "\n  expected: "
                  + cut(expected)
                  + "\n  actual:   "
                  + cut(actual));
        }
      }
    }
    assertEquals("", String.join("\n", failures), failures.size() + " of " + queries.size());
    assertTrue(pushed >= 30, pushed + " queries pushed down");
  }

  private static String explain(Connection c, String sql) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
      return String.join("\n", NodeSql.rows(rs));
    } catch (SQLException e) {
      return "error " + e.getSQLState() + " " + e.getMessage();
    }
  }

  private static String cut(String text) {
    return text.length() > 600 ? text.substring(0, 600) + "..." : text;
  }

  /** The rows as text lines (sorted unless ordered), or the error's SQLState. */
  private static String answer(Connection c, String sql, boolean ordered) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = NodeSql.rows(rs);
      if (!ordered) {
        rows.sort(null);
      }
      return rows.size() + " rows\n" + String.join("\n", rows);
    } catch (SQLException e) {
      return "error " + e.getSQLState();
    }
  }

  private Connection zynamo(List<PostgresNode> cluster) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:zynamo://"
            + NodeSql.seeds(cluster)
            + "/postgres?user=postgres&replicas=3&readQuorum=2&writeQuorum=3");
  }

  private List<Connection> all() {
    List<Connection> all = new ArrayList<>();
    all.add(plain);
    all.addAll(clusters);
    return all;
  }

  /** The same rows everywhere: a fixed seed. */
  private static void insertData(Connection c) throws SQLException {
    Random random = new Random(20261123);
    OffsetDateTime start = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO products (code, title, category, weight) VALUES (?, ?, ?, ?)")) {
      for (int i = 0; i < 30; i++) {
        p.setString(1, "P" + i);
        p.setString(2, "Product " + NAMES[i % NAMES.length]);
        p.setString(3, i % 7 == 0 ? null : "cat" + (i % 4));
        p.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(3000), 3));
        p.addBatch();
      }
      p.executeBatch();
    }
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO customers (id, name, city, country, vip, credit, created)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (long id = 1; id <= 200; id++) {
        p.setLong(1, id);
        p.setString(2, NAMES[random.nextInt(NAMES.length)] + (id % 3 == 0 ? "" : " " + id));
        p.setString(3, CITIES[random.nextInt(CITIES.length)]);
        p.setString(4, COUNTRIES[random.nextInt(COUNTRIES.length)]);
        if (id % 11 == 0) {
          p.setNull(5, Types.BOOLEAN);
        } else {
          p.setBoolean(5, random.nextBoolean());
        }
        if (id % 13 == 0) {
          p.setNull(6, Types.NUMERIC);
        } else {
          p.setBigDecimal(6, BigDecimal.valueOf(random.nextInt(100_000), 2));
        }
        p.setObject(7, start.plusMinutes(random.nextInt(500_000)));
        p.addBatch();
      }
      p.executeBatch();
    }
    long orderId = 0;
    try (PreparedStatement o =
            c.prepareStatement(
                "INSERT INTO orders (customer_id, id, status, total, placed, note)"
                    + " VALUES (?, ?, ?, ?, ?, ?)");
        PreparedStatement l =
            c.prepareStatement(
                "INSERT INTO order_lines (customer_id, order_id, line, product_code, qty, price)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
      for (long customer = 1; customer <= 200; customer++) {
        int orders = random.nextInt(6);
        for (int i = 0; i < orders; i++) {
          orderId++;
          o.setLong(1, customer);
          o.setLong(2, orderId);
          o.setString(3, STATUSES[random.nextInt(STATUSES.length)]);
          if (random.nextInt(10) == 0) {
            o.setNull(4, Types.NUMERIC);
          } else {
            o.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(50_000), 2));
          }
          o.setObject(5, start.plusHours(random.nextInt(8_000)));
          o.setString(6, random.nextInt(4) == 0 ? "note " + random.nextInt(5) : null);
          o.addBatch();
          int lines = 1 + random.nextInt(4);
          for (int line = 1; line <= lines; line++) {
            l.setLong(1, customer);
            l.setLong(2, orderId);
            l.setInt(3, line);
            l.setString(4, "P" + random.nextInt(30));
            l.setInt(5, 1 + random.nextInt(9));
            l.setBigDecimal(6, BigDecimal.valueOf(random.nextInt(100_000), 3));
            l.addBatch();
          }
        }
      }
      o.executeBatch();
      l.executeBatch();
    }
    try (PreparedStatement e =
        c.prepareStatement(
            "INSERT INTO events (id, customer_id, kind, at, payload, score)"
                + " VALUES (?, ?, ?, ?, ?::jsonb, ?)")) {
      for (long id = 1; id <= 800; id++) {
        e.setLong(1, id);
        if (id % 9 == 0) {
          e.setNull(2, Types.BIGINT);
        } else {
          e.setLong(2, 1 + random.nextInt(220)); // up to 220: some events name no existing customer
        }
        e.setString(3, KINDS[random.nextInt(KINDS.length)]);
        e.setTimestamp(
            4,
            Timestamp.valueOf(
                LocalDateTime.ofInstant(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC)
                    .plusMinutes(random.nextInt(200_000))));
        e.setString(5, payload(random, id));
        if (id % 7 == 0) {
          e.setNull(6, Types.INTEGER);
        } else {
          e.setInt(6, random.nextInt(100));
        }
        e.addBatch();
      }
      e.executeBatch();
    }
  }

  private static String payload(Random random, long id) {
    return switch ((int) (id % 5)) {
      case 0 -> null;
      case 1 -> "{\"source\": \"web\", \"tags\": [\"a\", \"b\"]}";
      case 2 ->
          "{\"source\": \"app\", \"mobile\": true, \"amount\": " + random.nextInt(1000) + ".5}";
      case 3 -> "{\"tags\": [\"c\"], \"mobile\": false}";
      default -> "{\"source\": \"api\", \"amount\": 0.1}";
    };
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CoverageCorpusIT.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * The statements of a corpus file: each ends with ";" at the end of a line. Comment lines are
   * dropped, except "-- ordered", "-- pushed" and "-- whole" (kept as the statement's first lines)
   * and, when {@code zynamoLines}, "-- zynamo:" statements.
   */
  static List<String> statements(String text, boolean zynamoLines) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        if (trimmed.equals("-- ordered")
            || trimmed.equals("-- pushed")
            || trimmed.equals("-- whole")) {
          current.append(trimmed).append('\n');
        } else if (zynamoLines && trimmed.startsWith("-- zynamo:")) {
          statements.add("-- zynamo:" + trimmed.substring(10, trimmed.length() - 1).strip());
        }
        continue;
      }
      if (trimmed.isEmpty()) {
        continue;
      }
      current
          .append(current.length() == 0 || current.toString().endsWith("\n") ? "" : " ")
          .append(trimmed);
      if (trimmed.endsWith(";")) {
        String sql = current.substring(0, current.length() - 1);
        statements.add(sql);
        current.setLength(0);
      }
    }
    return statements;
  }
}
