package io.zynamo.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.auth.AuthMethod;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProxyConfigFileTest {

  private static ProxyConfig parse(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return ProxyConfigFile.parse(properties, new Random(1));
  }

  @Test
  void fullFile() throws IOException {
    ProxyConfig config =
        parse(
            """
            listen = 0.0.0.0:7432
            nodes = db1:5432, db2:5432
            user.alice = s3cret
            cluster.user = zynamo
            cluster.password = hidden
            cluster.replicas = 2
            maxConnections = 7
            """);
    assertEquals("0.0.0.0", config.host());
    assertEquals(7432, config.port());
    assertEquals(List.of("db1:5432", "db2:5432"), config.nodes());
    assertEquals(AuthMethod.SCRAM_SHA_256, config.auth()); // users listed: SCRAM by default
    assertEquals(
        Map.of("user", "zynamo", "password", "hidden", "replicas", "2"),
        config.clusterProperties());
    assertEquals(7, config.maxConnections());
    assertFalse(config.toString().contains("hidden"), config.toString());
    assertFalse(config.toString().contains("s3cret"), config.toString());
  }

  @Test
  void withoutUsersItIsTrustOnLoopbackOnly() throws IOException {
    assertEquals(AuthMethod.TRUST, parse("nodes = a:1").auth());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> parse("nodes = a:1\nlisten = 0.0.0.0:1"));
    assertTrue(e.getMessage().startsWith("auth: trust on 0.0.0.0"), e.getMessage());
  }

  @Test
  void mistakesAreNamed() {
    assertEquals(
        "unknown key 'node' (expected [listen, nodes, auth, maxConnections, maxMessageBytes,"
            + " tls.certificate, tls.key, tls.required, statementTimeout, idleSessionTimeout,"
            + " idleInTransactionTimeout], cluster.* or user.*)",
        assertThrows(IllegalArgumentException.class, () -> parse("node = a:1")).getMessage());
    assertEquals(
        "nodes: missing (expected host:port,host:port,...)",
        assertThrows(IllegalArgumentException.class, () -> parse("auth = md5")).getMessage());
    assertEquals(
        "auth: 'ldap' (expected trust, password, md5 or scram-sha-256)",
        assertThrows(IllegalArgumentException.class, () -> parse("nodes = a:1\nauth = ldap"))
            .getMessage());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> parse("nodes = a:1\nauth = md5"))
            .getMessage()
            .startsWith("users: none"));
    assertEquals(
        "idleSessionTimeout: '5 weeks' (expected milliseconds, or a number with ms, s, min, h or"
            + " d)",
        assertThrows(
                IllegalArgumentException.class,
                () -> parse("nodes = a:1\nidleSessionTimeout = 5 weeks"))
            .getMessage());
  }

  @Test
  void timeoutsTakeUnitsAndDefaultToNone() throws IOException {
    assertEquals(ProxyConfig.Timeouts.NONE, parse("nodes = a:1").timeouts());
    assertEquals(
        new ProxyConfig.Timeouts(
            Duration.ofMillis(1500), Duration.ofMinutes(10), Duration.ofSeconds(30)),
        parse(
                """
                nodes = a:1
                statementTimeout = 1500
                idleSessionTimeout = 10min
                idleInTransactionTimeout = 30 s
                """)
            .timeouts());
  }

  @Test
  void tlsNeedsCertificateAndKeyTogether() throws IOException {
    ProxyConfig config =
        parse("nodes = a:1\ntls.certificate = /c.pem\ntls.key = /k.pem\ntls.required = true");
    assertEquals(
        new ProxyConfig.Tls(java.nio.file.Path.of("/c.pem"), java.nio.file.Path.of("/k.pem"), true),
        config.tls());
    assertEquals(
        "tls.certificate and tls.key: both or neither",
        assertThrows(IllegalArgumentException.class, () -> parse("nodes = a:1\ntls.key = /k.pem"))
            .getMessage());
    assertEquals(
        "tls.required without tls.certificate and tls.key",
        assertThrows(
                IllegalArgumentException.class, () -> parse("nodes = a:1\ntls.required = true"))
            .getMessage());
  }
}
