package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.it.WireClient.Message;
import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.embedded.PostgresCluster;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The proxy driven message by message: startup, pipelines, row limits, errors, bad input. */
@ZynamoCluster(nodes = 3)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyProtocolIT {

  private final PostgresCluster nodes;
  private ProxyServer proxy;

  ProxyProtocolIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void start() throws Exception {
    proxy = ProxyServer.start(ProxyFixture.config(nodes).withMaxMessageBytes(1 << 20));
    try (WireClient c = WireClient.started(proxy.port())) {
      c.query(
          "CREATE TABLE kv (k int PRIMARY KEY, v text); INSERT INTO kv VALUES (1, 'one');"
              + " INSERT INTO kv VALUES (2, 'two')");
      List<Message> replies = c.readUntil('Z');
      assertEquals("CCCZ", WireClient.types(replies), texts(replies));
    }
  }

  @AfterAll
  void stop() {
    proxy.close();
  }

  @Test
  void startupReportsWhatClientsCache() throws IOException {
    Map<String, String> statuses = new LinkedHashMap<>();
    try (WireClient c = WireClient.started(proxy.port(), statuses)) {
      assertEquals("UTF8", statuses.get("client_encoding"));
      assertEquals("ISO, MDY", statuses.get("DateStyle"));
      assertEquals("on", statuses.get("integer_datetimes"));
      assertEquals("on", statuses.get("standard_conforming_strings"));
      assertTrue(statuses.get("server_version").startsWith("17."), statuses.toString());
      assertTrue(statuses.containsKey("TimeZone"));
      assertEquals("postgres", statuses.get("session_authorization"));
      c.query("SHOW DateStyle");
      assertTrue(WireClient.types(c.readUntil('Z')).endsWith("Z"));
    }
  }

  @Test
  void sslAndGssEncRequestsAreRefusedThenStartupWorks() throws IOException {
    try (WireClient c = new WireClient(proxy.port())) {
      c.rawInts(8, 80877104);
      assertEquals('N', c.readByte());
      c.rawInts(8, 80877103);
      assertEquals('N', c.readByte());
      c.startup(3, 0, Map.of("user", "postgres"));
      assertEquals('Z', last(c.readUntil('Z')).type());
    }
  }

  @Test
  void newerMinorVersionIsNegotiatedDown() throws IOException {
    try (WireClient c = new WireClient(proxy.port())) {
      c.startup(3, 2, Map.of("user", "postgres", "_pq_.future", "x"));
      List<Message> replies = c.readUntil('Z');
      Message negotiate = replies.get(0);
      assertEquals('v', negotiate.type());
      assertEquals(0, negotiate.int32(0));
      assertEquals(1, negotiate.int32(4));
    }
  }

  @Test
  void missingUserAndOldProtocolAreFatal() throws IOException {
    try (WireClient c = new WireClient(proxy.port())) {
      c.startup(3, 0, Map.of("database", "postgres"));
      Message error = c.read();
      assertEquals("28000", error.field('C'));
      assertEquals("FATAL", error.field('S'));
      assertNull(c.read());
    }
    try (WireClient c = new WireClient(proxy.port())) {
      c.startup(2, 0, Map.of());
      assertEquals("0A000", c.read().field('C'));
      assertNull(c.read());
    }
    try (WireClient c = new WireClient(proxy.port())) {
      c.startup(3, 0, Map.of("user", "postgres", "client_encoding", "LATIN1"));
      Message error = c.read();
      assertEquals("0A000", error.field('C'));
      assertTrue(error.field('M').contains("client_encoding \"LATIN1\""), error.field('M'));
      assertNull(c.read());
    }
  }

  @Test
  void executeWithARowLimitSuspendsThePortal() throws IOException {
    try (WireClient c = WireClient.started(proxy.port())) {
      c.parse("", "SELECT generate_series(1, 5) AS g FROM kv WHERE k = $1");
      c.bind("", "", "1");
      c.execute("", 2);
      c.execute("", 2);
      c.execute("", 2);
      c.sync();
      List<Message> replies = c.readUntil('Z');
      assertEquals("12DDsDDsDCZ", WireClient.types(replies), texts(replies));
      assertEquals("SELECT 5\0", replies.get(9).text());
      assertEquals('I', (char) last(replies).body()[0]);
    }
  }

  @Test
  void pipelinedStatementsWithOneSyncAndOutOfOrderParameters() throws IOException {
    try (WireClient c = WireClient.started(proxy.port())) {
      c.parse("ins", "INSERT INTO kv (v, k) VALUES ($2 || $2, $1)");
      c.bind("", "ins", "10", "ab");
      c.execute("", 0);
      c.parse("sel", "SELECT v, $2::int AS echo FROM kv WHERE k = $1", 0, 23);
      c.describe('S', "sel");
      c.bind("", "sel", "10", "7");
      c.describe('P', "");
      c.execute("", 0);
      c.sync();
      List<Message> replies = c.readUntil('Z');
      assertEquals("12C1tT2TDCZ", WireClient.types(replies), texts(replies));
      assertEquals("INSERT 0 1\0", replies.get(2).text());
      Message parameters = replies.get(4);
      assertEquals(23, parameters.int32(2)); // $1 inferred int4 from k = $1
      assertEquals(23, parameters.int32(6)); // $2 declared int4
      assertTrue(replies.get(8).text().contains("abab"));
    }
  }

  @Test
  void afterAnErrorEverythingUntilSyncIsSkipped() throws IOException {
    try (WireClient c = WireClient.started(proxy.port())) {
      c.parse("", "SELECT v FROM kv WHERE k = $1");
      c.bind("", "", "not a number");
      c.execute("", 0);
      c.parse("s2", "SELECT 1");
      c.query("SELECT v FROM kv WHERE k = 1"); // also skipped: still before Sync
      c.sync();
      List<Message> replies = c.readUntil('Z');
      // Bind accepts the untyped text; running it fails (the key is no integer)
      assertEquals("12EZ", WireClient.types(replies), texts(replies));
      assertTrue(replies.get(2).field('C').startsWith("22"), texts(replies));
      c.query("SELECT v FROM kv WHERE k = 2");
      List<Message> after = c.readUntil('Z');
      assertEquals("TDCZ", WireClient.types(after));
      assertTrue(after.get(1).text().contains("two"));
      c.bind("", "s2"); // s2 was never parsed: skipped above
      c.sync();
      List<Message> missing = c.readUntil('Z');
      assertEquals("26000", missing.get(0).field('C'));
    }
  }

  @Test
  void simpleQueryStopsAtTheFirstErrorAndEmptyQueriesAnswerEmpty() throws IOException {
    try (WireClient c = WireClient.started(proxy.port())) {
      c.query("SELECT v FROM kv WHERE k = 1; SELECT nope FROM kv WHERE k = 1; SELECT 1");
      List<Message> replies = c.readUntil('Z');
      assertEquals("TDCEZ", WireClient.types(replies), texts(replies));
      assertEquals("42703", replies.get(3).field('C'));
      c.query(" ; -- nothing\n");
      assertEquals("IZ", WireClient.types(c.readUntil('Z')));
    }
  }

  @Test
  void oversizedMessageClosesThatConnectionOnly() throws IOException {
    try (WireClient victim = WireClient.started(proxy.port());
        WireClient bystander = WireClient.started(proxy.port())) {
      victim.raw(new byte[] {'Q', 0x40, 0, 0, 0}); // 1 GiB announced, nothing sent
      Message error = victim.read();
      assertEquals('E', error.type());
      assertEquals("FATAL", error.field('S'));
      assertEquals("08P01", error.field('C'));
      assertTrue(error.field('M').contains("length: 1073741824"), error.field('M'));
      assertNull(victim.read());
      bystander.query("SELECT v FROM kv WHERE k = 1");
      assertEquals("TDCZ", WireClient.types(bystander.readUntil('Z')));
    }
  }

  @Test
  void unknownMessageTypeAndMalformedBodyCloseTheConnection() throws IOException {
    try (WireClient c = WireClient.started(proxy.port())) {
      c.raw(new byte[] {'z', 0, 0, 0, 4});
      assertEquals("08P01", c.read().field('C'));
      assertNull(c.read());
    }
    try (WireClient c = WireClient.started(proxy.port())) {
      c.raw(new byte[] {'Q', 0, 0, 0, 7, 'a', 'b', 'c'}); // no terminating NUL
      assertEquals("08P01", c.read().field('C'));
      assertNull(c.read());
    }
    try (WireClient c = new WireClient(proxy.port())) {
      c.rawInts(20_000, 196608); // startup packet above 10000 bytes
      assertEquals("08P01", c.read().field('C'));
      assertNull(c.read());
    }
  }

  @Test
  void readyForQueryFollowsTheTransaction() throws IOException {
    try (WireClient c = WireClient.started(proxy.port())) {
      c.query("BEGIN");
      List<Message> begin = c.readUntil('Z');
      assertEquals("CZ", WireClient.types(begin), texts(begin));
      assertEquals("T", begin.get(1).text());
      c.query("SELECT v FROM kv WHERE k = 1");
      List<Message> read = c.readUntil('Z');
      assertEquals("TDCZ", WireClient.types(read), texts(read));
      assertEquals("T", read.get(3).text());
      c.query("SELECT * FROM no_such_table");
      List<Message> failed = c.readUntil('Z');
      assertEquals("EZ", WireClient.types(failed), texts(failed));
      assertEquals("E", failed.get(1).text());
      c.query("SELECT v FROM kv WHERE k = 1");
      List<Message> refused = c.readUntil('Z');
      assertEquals("25P02", refused.get(0).field('C'));
      assertEquals("E", refused.get(1).text());
      c.query("COMMIT"); // of a failed transaction: rolled back, and the tag says so
      List<Message> end = c.readUntil('Z');
      assertEquals("CZ", WireClient.types(end), texts(end));
      assertEquals("ROLLBACK\0", end.get(0).text());
      assertEquals("I", end.get(1).text());
    }
  }

  @Test
  void statementsThatWouldChangeASharedNodeConnectionNeverReachOne() throws IOException {
    try (WireClient c = WireClient.started(proxy.port())) {
      c.query("COMMIT");
      List<Message> commit = c.readUntil('Z');
      assertEquals("NCZ", WireClient.types(commit), texts(commit));
      assertEquals("25P01", commit.get(0).field('C'));
      assertEquals("COMMIT\0", commit.get(1).text());
      c.query("SAVEPOINT s");
      assertEquals("25P01", c.readUntil('Z').get(0).field('C'));
      c.query("SET work_mem = '64MB'");
      assertEquals("0A000", c.readUntil('Z').get(0).field('C'));
      c.query("RESET ALL");
      assertEquals("0A000", c.readUntil('Z').get(0).field('C'));
      c.query("SET extra_float_digits = 0"); // would change float output
      assertEquals("0A000", c.readUntil('Z').get(0).field('C'));
      c.query("SET application_name TO 'reports'");
      List<Message> name = c.readUntil('Z');
      assertEquals("SCZ", WireClient.types(name), texts(name));
      assertEquals("application_name\0reports\0", name.get(0).text());
      c.query("SET zynamo.read_quorum = 1");
      List<Message> ours = c.readUntil('Z');
      assertEquals("CZ", WireClient.types(ours), texts(ours));
      assertEquals("SET\0", ours.get(0).text());
      for (int i = 0; i < 20; i++) { // every pooled node connection is still usable
        c.query("SELECT v FROM kv WHERE k = 1");
        assertEquals("TDCZ", WireClient.types(c.readUntil('Z')));
      }
    }
  }

  @Test
  void cancelRequestStopsAResultBeingStreamed() throws IOException {
    try (WireClient c = new WireClient(proxy.port())) {
      c.startup(3, 0, Map.of("user", "postgres", "database", "postgres"));
      List<Message> startup = c.readUntil('Z');
      Message key = startup.stream().filter(m -> m.type() == 'K').findFirst().orElseThrow();
      // ~20 MB of rows: far more than the socket buffers, so the proxy is still streaming
      c.query(
          "SELECT repeat('x', 1000) AS pad, generate_series(1, 20000) AS n FROM kv WHERE k = 1");
      assertEquals('T', c.read().type());
      assertEquals('D', c.read().type());
      try (WireClient canceller = new WireClient(proxy.port())) {
        canceller.rawInts(16, 80877102, key.int32(0), key.int32(4));
        assertNull(canceller.read()); // the server closes a cancel connection without a reply
      }
      int rows = 1;
      Message m = c.read();
      while (m.type() == 'D') {
        rows++;
        m = c.read();
      }
      assertEquals('E', m.type(), "after " + rows + " rows");
      assertEquals("57014", m.field('C'));
      assertTrue(rows < 20_000, "rows: " + rows);
      assertEquals('Z', c.read().type());
      c.query("SELECT v FROM kv WHERE k = 1"); // the session goes on
      assertEquals("TDCZ", WireClient.types(c.readUntil('Z')));
    }
  }

  @Test
  void connectionsBeyondTheLimitAreRefused() throws Exception {
    try (ProxyServer small = ProxyServer.start(ProxyFixture.config(nodes).withMaxConnections(1));
        WireClient first = WireClient.started(small.port());
        WireClient second = new WireClient(small.port())) {
      Message refused = second.read();
      assertEquals("53300", refused.field('C'));
      assertEquals("sorry, too many clients already", refused.field('M'));
      first.query("SELECT v FROM kv WHERE k = 1");
      assertEquals("TDCZ", WireClient.types(first.readUntil('Z')));
    }
  }

  @Test
  void cancelRequestIsAcceptedAndClosed() throws IOException {
    try (WireClient c = new WireClient(proxy.port())) {
      c.rawInts(16, 80877102, 1, 2);
      assertNull(c.read());
    }
  }

  private static Message last(List<Message> messages) {
    return messages.get(messages.size() - 1);
  }

  private static String texts(List<Message> messages) {
    StringBuilder s = new StringBuilder();
    messages.forEach(
        m -> s.append(m.type()).append(':').append(m.text().replace('\0', '|')).append(' '));
    return s.toString();
  }
}
