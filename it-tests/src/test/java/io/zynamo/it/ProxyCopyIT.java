package io.zynamo.it;

import static io.zynamo.it.SideBySide.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * COPY through the proxy, compared with one plain PostgreSQL (node 0) given the same data: nodes
 * 1-3 are the Zynamo cluster (N=3, R=2, W=2). pgjdbc's CopyManager and psql's {@code \copy} drive
 * both sides.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyCopyIT {

  private static final String TABLE =
      "CREATE TABLE %s (id int PRIMARY KEY, name text, price numeric(12,3), ok boolean, raw bytea,"
          + " at timestamptz, tags text[], doc jsonb, note text)";

  /** Text format: escapes, NULLs, a tab and a newline inside values, an octal and a hex byte. */
  private static final String TEXT_ROWS =
      lines(
          "\n",
          "1\tplain\t1.5\tt\t\\\\x00ff\t2026-03-04 05:06:07+01\t{a,\"b c\"}\t{\"k\": 1}\t\\N",
          "2\twith\\ttab and\\nnewline\t-0.001\tf\t\\\\x\t2026-01-01 00:00:00+00\t{}\t[]\tback\\\\slash",
          "3\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\101\\x42 caf\u00e9",
          "4\tquote ' and \"\t12345678.125\ttrue\t\\\\x41\t2026-06-30 23:59:59.5+02\t{NULL}\t[null]\t");

  /** CSV with a header: quoted delimiters, line breaks and quotes; empty string vs NULL. */
  private static final String CSV_ROWS =
      lines(
          "\r\n",
          "id,name,price,ok,raw,at,tags,doc,note",
          "10,\"a, b\",1,t,,2026-03-04 05:06:07+00,\"{x,y}\",\"{\"\"a\"\": [1, 2]}\",\"\"",
          "11,\"two\nlines\",2.25,f,\\x01,,{},{},",
          "12,\"\"\"quoted\"\"\",,,,,,,\"\\N\"");

  /** Each row followed by {@code end}. */
  private static String lines(String end, String... rows) {
    StringBuilder all = new StringBuilder();
    for (String row : rows) {
      all.append(row).append(end);
    }
    return all.toString();
  }

  private final PostgresCluster nodes;
  private List<PostgresNode> members;
  private ProxyServer proxy;
  private Connection plain;
  private Connection zynamo;
  private SideBySide sides;

  ProxyCopyIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start() throws Exception {
    members = nodes.nodes().subList(1, 4);
    proxy =
        ProxyServer.start(
            io.zynamo.proxy.ProxyConfig.of(NodeSql.addresses(members))
                .withPort(0)
                .withClusterProperties(
                    Map.of("replicas", "3", "readQuorum", "2", "writeQuorum", "2")));
    plain = DriverManager.getConnection(nodes.node(0).jdbcUrl(), "postgres", "");
    zynamo =
        DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres");
    sides = new SideBySide(plain, zynamo);
  }

  @AfterAll
  void stop() throws SQLException {
    zynamo.close();
    plain.close();
    proxy.close();
  }

  private static long copyIn(Connection c, String sql, String data) throws Exception {
    return new CopyManager(c.unwrap(BaseConnection.class)).copyIn(sql, new StringReader(data));
  }

  private static String copyOut(Connection c, String sql) throws Exception {
    StringWriter out = new StringWriter();
    new CopyManager(c.unwrap(BaseConnection.class)).copyOut(sql, out);
    return out.toString();
  }

  private static List<String> sortedLines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    lines.sort(null);
    return lines;
  }

  @Test
  void textAndCsvRowsLandAsInPostgres() throws Exception {
    sides.both(String.format(TABLE, "copied"));
    for (Connection c : List.of(plain, zynamo)) {
      assertEquals(4, copyIn(c, "COPY copied FROM STDIN", TEXT_ROWS));
      assertEquals(
          3,
          copyIn(
              c,
              "COPY copied FROM STDIN WITH (FORMAT csv, HEADER true, FORCE_NULL (raw, at))",
              CSV_ROWS));
    }
    sides.assertSameRows("SELECT * FROM copied ORDER BY id");
    sides.assertSameRows("SELECT id, note IS NULL, name IS NULL FROM copied ORDER BY id");
    // Each row is where its key routes: read back one by one.
    for (int id : List.of(1, 2, 3, 4, 10, 11, 12)) {
      sides.assertSameRows("SELECT * FROM copied WHERE id = " + id);
    }
  }

  @Test
  void copyOutWritesWhatPostgresWrites() throws Exception {
    sides.both(String.format(TABLE, "exported"));
    for (Connection c : List.of(plain, zynamo)) {
      copyIn(c, "COPY exported FROM STDIN", TEXT_ROWS);
      copyIn(c, "COPY exported FROM STDIN (FORMAT csv, HEADER)", CSV_ROWS);
    }
    for (String sql :
        List.of(
            "COPY exported TO STDOUT",
            "COPY exported (id, name, note) TO STDOUT WITH (FORMAT csv, HEADER, FORCE_QUOTE (note))",
            "COPY exported TO STDOUT WITH (DELIMITER '|', NULL 'nil')",
            "COPY exported TO STDOUT WITH CSV QUOTE '''' FORCE QUOTE *")) {
      String expected = copyOut(plain, sql);
      String actual = copyOut(zynamo, sql);
      if (sql.contains("HEADER")) {
        assertEquals(
            expected.substring(0, expected.indexOf('\n')),
            actual.substring(0, actual.indexOf('\n')),
            sql);
      }
      assertEquals(sortedLines(expected), sortedLines(actual), sql); // a table has no order
    }
    String query = "COPY (SELECT id, name, price * 2 AS twice FROM exported ORDER BY id) TO STDOUT";
    assertEquals(copyOut(plain, query), copyOut(zynamo, query));
    String csv = query + " WITH (FORMAT csv, HEADER)";
    assertEquals(copyOut(plain, csv), copyOut(zynamo, csv));
  }

  @Test
  void aBadRowCopiesNothing() throws Exception {
    sides.both("CREATE TABLE strict_rows (id int PRIMARY KEY, v int)");
    String data = "1\t10\n2\t20\n3\n4\t40\n";
    for (Connection c : List.of(plain, zynamo)) {
      SQLException e =
          assertThrows(SQLException.class, () -> copyIn(c, "COPY strict_rows FROM STDIN", data));
      assertEquals("22P04", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("missing data for column \"v\""), e.getMessage());
      SQLException extra =
          assertThrows(
              SQLException.class, () -> copyIn(c, "COPY strict_rows FROM STDIN", "5\t1\t2\n"));
      assertEquals("22P04", extra.getSQLState(), extra.getMessage());
      SQLException typed =
          assertThrows(
              SQLException.class, () -> copyIn(c, "COPY strict_rows FROM STDIN", "6\tsix\n"));
      assertEquals("22P02", typed.getSQLState(), typed.getMessage());
      SQLException duplicate =
          assertThrows(
              SQLException.class,
              () -> copyIn(c, "COPY strict_rows FROM STDIN", "7\t1\n8\t2\n7\t3\n"));
      assertEquals("23505", duplicate.getSQLState(), duplicate.getMessage());
    }
    sides.assertSameRows("SELECT count(*) FROM strict_rows");
    assertEquals(List.of("0"), rows(zynamo, "SELECT count(*) FROM strict_rows"));
    for (PostgresNode node : members) {
      assertEquals("0", NodeSql.string(node, "SELECT count(*) FROM strict_rows"));
    }
  }

  @Test
  void aCopyInsideATransactionIsPartOfIt() throws Exception {
    sides.both("CREATE TABLE in_tx (id int PRIMARY KEY, v text)");
    for (Connection c : List.of(plain, zynamo)) {
      c.setAutoCommit(false);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("INSERT INTO in_tx VALUES (100, 'before')");
        }
        copyIn(c, "COPY in_tx FROM STDIN (FORMAT csv)", "1,one\n2,two\n");
        c.rollback();
        copyIn(c, "COPY in_tx FROM STDIN (FORMAT csv)", "3,three\n4,four\n");
        SQLException e =
            assertThrows(
                SQLException.class, () -> copyIn(c, "COPY in_tx FROM STDIN (FORMAT csv)", "5\n"));
        assertEquals("22P04", e.getSQLState());
        SQLException aborted =
            assertThrows(SQLException.class, () -> rows(c, "SELECT count(*) FROM in_tx"));
        assertEquals("25P02", aborted.getSQLState(), aborted.getMessage());
        c.rollback();
        copyIn(c, "COPY in_tx FROM STDIN (FORMAT csv)", "6,six\n");
        c.commit();
      } finally {
        c.setAutoCommit(true);
      }
    }
    sides.assertSameRows("SELECT * FROM in_tx ORDER BY id");
  }

  @Test
  void refusedAndUnknownAsPostgresSaysOrWithFeatureNotSupported() throws Exception {
    sides.both("CREATE TABLE targets (id int PRIMARY KEY, v text)");
    for (String sql :
        List.of(
            "COPY nowhere FROM STDIN", "COPY targets (id, nope) FROM STDIN", "COPY targets (")) {
      SQLException expected = assertThrows(SQLException.class, () -> copyIn(plain, sql, "1\tx\n"));
      SQLException actual = assertThrows(SQLException.class, () -> copyIn(zynamo, sql, "1\tx\n"));
      assertEquals(expected.getSQLState(), actual.getSQLState(), sql + ": " + actual);
    }
    for (String sql :
        List.of(
            "COPY targets FROM STDIN (FORMAT binary)",
            "COPY targets FROM '/etc/passwd'",
            "COPY targets FROM PROGRAM 'true'",
            "COPY targets FROM STDIN WHERE id > 1")) {
      SQLException e = assertThrows(SQLException.class, () -> copyIn(zynamo, sql, ""));
      assertEquals("0A000", e.getSQLState(), sql + ": " + e);
    }
    assertEquals(List.of("0"), rows(zynamo, "SELECT count(*) FROM targets"));
  }

  @Test
  void serialColumnsLeftOutGetClusterUniqueValues() throws Exception {
    sides.both("CREATE TABLE events (id bigserial PRIMARY KEY, kind text)");
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      data.append("kind ").append(i % 7).append('\n');
    }
    for (Connection c : List.of(plain, zynamo)) {
      assertEquals(3000, copyIn(c, "COPY events (kind) FROM STDIN", data.toString()));
    }
    sides.assertSameRows("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM events");
    sides.assertSameRows("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind");
  }

  @Test
  void psqlCopiesFilesBothWays(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    sides.both(String.format(TABLE, "via_psql"));
    Path in = dir.resolve("rows.csv");
    Files.writeString(in, CSV_ROWS, StandardCharsets.UTF_8);
    String load = "\\copy via_psql FROM '" + in + "' WITH CSV HEADER";
    String dump = "\\copy (SELECT * FROM via_psql ORDER BY id) TO STDOUT WITH CSV HEADER";
    String viaProxy = psql(proxy.port(), load, dump);
    String direct = psql(nodes.node(0).port(), load, dump);
    assertEquals(direct, viaProxy);
    assertTrue(viaProxy.startsWith("COPY 3\nid,name,"), viaProxy);
  }

  private static String psql(int port, String... commands) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "psql",
                "-X",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1"));
    for (String command : commands) {
      args.add("-c");
      args.add(command);
    }
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "psql did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
