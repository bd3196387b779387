package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** psql (the machine's, simple query protocol) through the proxy, compared with a node's psql. */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyPsqlIT {

  /** What one psql run printed and returned. */
  record Run(int exitCode, String out, String err) {}

  private final PostgresCluster nodes;
  private ProxyServer proxy;

  ProxyPsqlIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start() throws Exception {
    proxy = ProxyServer.start(ProxyFixture.config(nodes));
    Run created =
        proxyPsql(
            "",
            "-c",
            "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,2), ok boolean,"
                + " raw bytea, at timestamptz, day date, tags text[], doc jsonb, span interval,"
                + " ref uuid, ratio double precision)");
    assertEquals(0, created.exitCode(), created.err());
    assertEquals("CREATE TABLE\n", created.out());
  }

  @AfterAll
  void stop() {
    proxy.close();
  }

  @Test
  void rowsReadAsFromPostgresItself() throws Exception {
    Run inserted =
        proxyPsql(
            "",
            "-c",
            "INSERT INTO items VALUES (1, 'caf\u00e9 \"x\"', 12.5, true, '\\x00ff', '2026-03-04"
                + " 05:06:07.089+01', '2026-03-04', '{a,\"b c\",NULL}', '{\"k\": [1, null]}', '1 day"
                + " 00:00:01', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 0.1)");
    assertEquals("INSERT 0 1\n", inserted.out(), inserted.err());
    String select =
        "SELECT id, name, price, ok, raw, at, day, tags, doc, span, ref, ratio FROM items WHERE id = 1";
    Run viaProxy = proxyPsql("", "-c", select);
    PostgresNode node = nodes.nodes().get(0);
    Run direct =
        psql(
            List.of("-h", node.host(), "-p", String.valueOf(node.port()), "-c", select),
            Map.of("PGTZ", TimeZone.getDefault().getID()),
            "");
    assertEquals(0, viaProxy.exitCode(), viaProxy.err());
    assertEquals(direct.out(), viaProxy.out());
    assertTrue(viaProxy.out().contains("(1 row)"), viaProxy.out());
  }

  @Test
  void severalStatementsInOneQueryEachAnswer() throws Exception {
    Run run =
        proxyPsql(
            "",
            "-c",
            "INSERT INTO items (id, name) VALUES (2, 'two'); INSERT INTO items (id, name) VALUES"
                + " (3, 'three'); SELECT name FROM items WHERE id = 2; SELECT name FROM items WHERE"
                + " id = 3");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("INSERT 0 1\nINSERT 0 1\n"), run.out());
    assertTrue(run.out().contains(" two\n(1 row)"), run.out());
    assertTrue(run.out().contains(" three\n(1 row)"), run.out());
  }

  @Test
  void aScriptOnStandardInput() throws Exception {
    String script =
        """
        UPDATE items SET name = 'four!' WHERE id = 4;
        INSERT INTO items (id, name) VALUES (4, 'four');
        UPDATE items SET name = 'FOUR' WHERE id = 4;
        \\echo between
        SELECT name FROM items WHERE id = 4;
        DELETE FROM items WHERE id = 4;
        ;
        """;
    Run run = proxyPsql(script, "-f", "-");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(
        "UPDATE 0\nINSERT 0 1\nUPDATE 1\nbetween\n name \n------\n FOUR\n(1 row)\n\nDELETE 1\n",
        run.out());
  }

  @Test
  void errorsShowTheSqlStateDetailAndStopTheScript() throws Exception {
    proxyPsql("", "-c", "INSERT INTO items (id, name) VALUES (5, 'five')");
    Run run =
        proxyPsql(
            "",
            "-v",
            "VERBOSITY=verbose",
            "-c",
            "INSERT INTO items (id, name) VALUES (5, 'again'); INSERT INTO items (id) VALUES (6)");
    assertEquals(1, run.exitCode());
    assertTrue(run.err().contains("ERROR:  23505: "), run.err());
    assertTrue(run.err().contains("duplicate key value violates unique constraint"), run.err());
    assertTrue(run.err().contains("DETAIL:  Key (id)=(5) already exists."), run.err());
    Run after = proxyPsql("", "-t", "-c", "SELECT count(*) FROM items WHERE id = 6");
    assertEquals(0, after.exitCode(), after.err());
    assertEquals("0", after.out().strip()); // the statement after the error never ran
  }

  @Test
  void catalogCommandsRunOnOneNode() throws Exception {
    Run run = proxyPsql("", "-c", "\\dt");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("List of relations"), run.out());
  }

  /**
   * psql's catalog commands through the proxy print what they print on a plain PostgreSQL database
   * holding the same table: none of Zynamo's schema, functions, internal columns, their indexes,
   * defaults and NOT NULLs, or its triggers.
   */
  @Test
  void catalogCommandsShowOnlyTheUsersObjects() throws Exception {
    PostgresNode node = nodes.nodes().get(0);
    NodeSql.execute(node, "CREATE DATABASE plain");
    String ddl =
        "CREATE TABLE catalogued (id int PRIMARY KEY, name text NOT NULL, qty int DEFAULT 1,"
            + " note varchar(20)); CREATE INDEX catalogued_name ON catalogued (name);"
            + " COMMENT ON TABLE catalogued IS 'listed'";
    Run created = proxyPsql("", "-c", ddl);
    assertEquals(0, created.exitCode(), created.err());
    Run plainCreated = nodePsql(node, "plain", "-c", ddl);
    assertEquals(0, plainCreated.exitCode(), plainCreated.err());
    for (String command :
        List.of(
            "\\d catalogued",
            "\\d+ catalogued",
            "\\dn",
            "\\df",
            "\\di catalogued*",
            "\\dt zynamo.*",
            "\\dt+ catalogued",
            "SELECT column_name, data_type, is_nullable, column_default"
                + " FROM information_schema.columns WHERE table_name = 'catalogued'"
                + " ORDER BY ordinal_position",
            "SELECT constraint_type, count(*) FROM information_schema.table_constraints"
                + " WHERE table_name = 'catalogued' GROUP BY 1 ORDER BY 1",
            "SELECT count(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
                + " WHERE c.relname = 'catalogued' AND a.attnum > 0",
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'zynamo'")) {
      Run proxied = proxyPsql("", "-c", command);
      Run plain = nodePsql(node, "plain", "-c", command);
      assertEquals(0, proxied.exitCode(), command + ": " + proxied.err());
      assertEquals(
          plain.out(), proxied.out(), command + " / plain: " + plain.err() + plain.exitCode());
      assertTrue(!proxied.out().contains("zynamo"), command + ":\n" + proxied.out());
    }
  }

  private Run nodePsql(PostgresNode node, String database, String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of("-h", "127.0.0.1", "-p", String.valueOf(node.port()), "-d", database));
    all.addAll(List.of(args));
    return psql(all, Map.of(), "");
  }

  private Run proxyPsql(String stdin, String... args) throws Exception {
    List<String> all =
        new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(proxy.port())));
    all.addAll(List.of(args));
    return psql(all, Map.of(), stdin);
  }

  private static Run psql(List<String> args, Map<String, String> env, String stdin)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("psql", "-X", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PGCONNECT_TIMEOUT", "10");
    builder.environment().putAll(env);
    Process process = builder.start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("psql did not finish: " + command);
    }
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
