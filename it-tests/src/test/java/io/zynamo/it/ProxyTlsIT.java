package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.auth.AuthMethod;
import io.zynamo.proxy.auth.Credential;
import io.zynamo.proxy.embedded.PostgresCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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
import org.junit.jupiter.api.io.TempDir;

/** TLS after SSLRequest, with a certificate made by openssl, for psql and pgjdbc. */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyTlsIT {

  private final PostgresCluster nodes;
  private ProxyServer proxy;

  ProxyTlsIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path certificate = dir.resolve("server.crt");
    Path key = dir.resolve("server.key");
    Run openssl =
        run(
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=localhost",
                "-keyout",
                key.toString(),
                "-out",
                certificate.toString()),
            Map.of());
    assertEquals(0, openssl.exitCode(), openssl.output());
    proxy =
        ProxyServer.start(
            ProxyFixture.config(nodes)
                .withClusterProperties(Map.of("user", "postgres", "replicas", "3"))
                .withAuth(
                    AuthMethod.SCRAM_SHA_256,
                    Map.of("bob", Credential.parse("bob", "builder", new SecureRandom())))
                .withTls(new ProxyConfig.Tls(certificate, key, true)));
  }

  @AfterAll
  void stop() {
    proxy.close();
  }

  @Test
  void psqlConnectsOverTls() throws Exception {
    Run run = psql("require", "\\conninfo");
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("SSL connection (protocol: TLSv1."), run.output());
  }

  @Test
  void clientsWithoutTlsAreRefusedWhenTlsIsRequired() throws Exception {
    Run run = psql("disable", "SHOW server_version");
    assertEquals(2, run.exitCode(), run.output());
    assertTrue(run.output().contains("this proxy accepts only TLS connections"), run.output());
  }

  @Test
  void pgjdbcConnectsOverTls() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:"
                    + proxy.port()
                    + "/postgres?sslmode=require&user=bob&password=builder");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS secrets (id int PRIMARY KEY, v text)");
      s.execute("INSERT INTO secrets VALUES (1, 'tls')");
      try (ResultSet rs = s.executeQuery("SELECT v FROM secrets WHERE id = 1")) {
        assertTrue(rs.next());
        assertEquals("tls", rs.getString(1));
      }
    }
  }

  /** What a process printed (stdout and stderr) and returned. */
  record Run(int exitCode, String output) {}

  private Run psql(String sslmode, String command) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "psql",
                "-X",
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(proxy.port()),
                "-U",
                "bob",
                "-d",
                "postgres",
                "-c",
                command));
    return run(args, Map.of("PGSSLMODE", sslmode, "PGPASSWORD", "builder"));
  }

  private static Run run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("PGCONNECT_TIMEOUT", "10");
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("did not finish: " + command);
    }
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
