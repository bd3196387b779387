package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.auth.AuthMethod;
import io.zynamo.proxy.auth.Credential;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Password authentication at the proxy with real clients: pgjdbc for each method, psql, and a SCRAM
 * verifier made by PostgreSQL itself.
 */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyAuthIT {

  private final PostgresCluster nodes;
  private String postgresVerifier;

  ProxyAuthIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void verifierFromPostgres() throws SQLException {
    PostgresNode node = nodes.nodes().get(0);
    try (Connection c = DriverManager.getConnection(node.jdbcUrl());
        Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      s.execute("CREATE ROLE verifier_source LOGIN PASSWORD 'wonderland'");
      try (ResultSet rs =
          s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'verifier_source'")) {
        rs.next();
        postgresVerifier = rs.getString(1);
      }
      s.execute("DROP ROLE verifier_source");
    }
  }

  private ProxyServer proxy(AuthMethod method) throws InterruptedException {
    SecureRandom random = new SecureRandom();
    return ProxyServer.start(
        ProxyFixture.config(nodes)
            .withClusterProperties(Map.of("user", "postgres", "replicas", "3"))
            .withAuth(
                method,
                Map.of(
                    "alice", Credential.parse("alice", postgresVerifier, random),
                    "bob", Credential.parse("bob", "builder", random))));
  }

  private static Connection connect(ProxyServer proxy, String user, String password)
      throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres", user, password);
  }

  @ParameterizedTest
  @EnumSource(
      value = AuthMethod.class,
      names = {"PASSWORD", "MD5", "SCRAM_SHA_256"})
  void pgjdbcLogsInWithEachMethod(AuthMethod method) throws Exception {
    try (ProxyServer proxy = proxy(method)) {
      try (Connection c = connect(proxy, "bob", "builder");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW server_version")) {
        assertTrue(rs.next());
      }
      SQLException wrong =
          assertThrows(SQLException.class, () -> connect(proxy, "bob", "bulldozer"));
      assertEquals("28P01", wrong.getSQLState());
      SQLException unknown = assertThrows(SQLException.class, () -> connect(proxy, "eve", "x"));
      assertEquals("28P01", unknown.getSQLState());
    }
  }

  @Test
  void aVerifierMadeByPostgresAuthenticatesThroughScram() throws Exception {
    try (ProxyServer proxy = proxy(AuthMethod.SCRAM_SHA_256);
        Connection c = connect(proxy, "alice", "wonderland");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text)");
      s.execute("INSERT INTO notes VALUES (1, 'hello')");
      try (ResultSet rs = s.executeQuery("SELECT body FROM notes WHERE id = 1")) {
        assertTrue(rs.next());
        assertEquals("hello", rs.getString(1));
      }
      // md5 cannot check a SCRAM verifier: the proxy uses SCRAM, as PostgreSQL does
      try (ProxyServer md5 = proxy(AuthMethod.MD5);
          Connection viaMd5 = connect(md5, "alice", "wonderland")) {
        assertTrue(viaMd5.isValid(5));
      }
    }
  }

  @Test
  void psqlLogsInWithScram() throws Exception {
    try (ProxyServer proxy = proxy(AuthMethod.SCRAM_SHA_256)) {
      assertTrue(psql(proxy, "bob", "builder").startsWith("17."));
      assertTrue(
          psql(proxy, "bob", "nope").contains("password authentication failed for user \"bob\""));
    }
  }

  private static String psql(ProxyServer proxy, String user, String password) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                "psql",
                "-X",
                "-t",
                "-A",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(proxy.port()),
                "-U",
                user,
                "-d",
                "postgres",
                "-c",
                "SHOW server_version"));
    builder.environment().put("PGPASSWORD", password);
    builder.environment().put("PGCONNECT_TIMEOUT", "10");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("psql did not finish");
    }
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
