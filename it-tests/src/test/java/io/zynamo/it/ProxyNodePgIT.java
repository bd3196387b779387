package io.zynamo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.ProxyServer;
import io.zynamo.proxy.auth.AuthMethod;
import io.zynamo.proxy.auth.Credential;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * node-postgres from npm through the proxy (N=3, R=2, W=2, SCRAM), compared with the same script
 * against one plain PostgreSQL (node 0; nodes 1-3 are the cluster). The script ({@code
 * node-pg/drive.js}) prints what each step saw; each test here checks a group of steps.
 */
@ZynamoCluster(nodes = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyNodePgIT {

  private static final String USER = "app";
  private static final String PASSWORD = "node-pg-secret";
  private static final long TIMEOUT_SECONDS = 120;

  private final PostgresCluster nodes;
  private ProxyServer proxy;
  private NodePostgres.Run plain;
  private NodePostgres.Run zynamo;

  ProxyNodePgIT(PostgresCluster nodes) {
    this.nodes = nodes;
  }

  @BeforeAll
  void driveBothSides() throws Exception {
    // target/test-classes: the script is a test resource, npm installs next to it in target
    Path testClasses =
        Path.of(ProxyNodePgIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    NodePostgres nodePg =
        NodePostgres.install(testClasses.getParent(), testClasses.resolve("node-pg/drive.js"));
    proxy =
        ProxyServer.start(
            ProxyFixture.config(nodes.nodes().subList(1, 4))
                .withClusterProperties(
                    Map.of(
                        "user",
                        PostgresNode.USER,
                        "replicas",
                        "3",
                        "readQuorum",
                        "2",
                        // W = N: the script compares cluster-wide totals right after writes, and
                        // a cluster-wide query reads each bucket from one replica, which may not
                        // have applied a W=2 write yet (known gap, docs/sql-support.md). Key reads
                        // at R=2 are what the other proxy tests check with W=2.
                        "writeQuorum",
                        "3"))
                .withAuth(
                    AuthMethod.SCRAM_SHA_256,
                    Map.of(USER, Credential.parse(USER, PASSWORD, new SecureRandom()))));
    PostgresNode reference = nodes.node(0);
    plain =
        nodePg.drive(
            "plain",
            env(reference.port(), reference.user(), "unused: the node trusts", false),
            TIMEOUT_SECONDS);
    zynamo = nodePg.drive("proxy", env(proxy.port(), USER, PASSWORD, true), TIMEOUT_SECONDS);
  }

  /** The PG* variables node-postgres reads, plus the script's own ZYNAMO switch. */
  private static Map<String, String> env(int port, String user, String password, boolean zynamo) {
    return Map.ofEntries(
        Map.entry("PGHOST", "127.0.0.1"),
        Map.entry("PGPORT", String.valueOf(port)),
        Map.entry("PGUSER", user),
        Map.entry("PGPASSWORD", password),
        Map.entry("PGDATABASE", "postgres"),
        Map.entry("TZ", "UTC"), // dates parse at local midnight: the same on every machine
        Map.entry("ZYNAMO", zynamo ? "1" : "0"));
  }

  @AfterAll
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** JSON written with single quotes, which Java strings need not escape. */
  private static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  /** What a step saw on one side; fails if the script never reached it. */
  private static String step(String side, NodePostgres.Run run, String step) {
    String seen = run.steps().get(step);
    if (seen == null) {
      throw new AssertionError(
          side + ": no step " + step + " in " + run.steps() + "\n" + run.log());
    }
    return seen;
  }

  /** What a step saw through the proxy, asserted equal to what it saw on plain PostgreSQL. */
  private String same(String name) {
    String expected = step("plain", plain, name);
    String actual = step("proxy", zynamo, name);
    assertEquals(expected, actual, () -> name + " (proxy's errors: " + zynamo.log() + ")");
    return actual;
  }

  /** A step saw {@code singleQuotedJson} on plain PostgreSQL and the same through the proxy. */
  private void both(String name, String singleQuotedJson) {
    assertEquals(json(singleQuotedJson), step("plain", plain, name), "plain PostgreSQL: " + name);
    same(name);
  }

  private static void assertContains(String part, String whole) {
    assertTrue(whole.contains(part), () -> part + " in " + whole);
  }

  @Test
  void everyStepRanOnBothSides() {
    assertEquals("true", step("plain", plain, "done"));
    assertEquals("true", step("proxy", zynamo, "done"));
    assertEquals(plain.steps().keySet(), zynamo.steps().keySet());
  }

  /** The login is SCRAM-SHA-256 at the proxy; the plain node trusts. */
  @Test
  void scramLoginAndServerParameters() {
    assertContains(json("'serverVersionMajor':'17'"), same("connect"));
    assertEquals(
        json("{'code':'28P01','severity':'FATAL'}"), step("proxy", zynamo, "wrongPassword"));
  }

  @Test
  void simpleMultiStatementAndParameterizedQueries() {
    both(
        "simple",
        "{'command':'SELECT','rowCount':1,'fields':['one:23','name:25','nothing:23'],"
            + "'rows':[{'one':1,'name':'zynamo','nothing':null}]}");
    both(
        "multiStatement",
        "[{'command':'SELECT','rows':[{'a':1}]},{'command':'SELECT','rows':[{'b':2,'c':'two'}]},"
            + "{'command':'SELECT','rows':[{'d':3}]}]");
    both(
        "parameters",
        "{'fields':['n:23','t:25','missing:16','twice:1700'],"
            + "'rows':[{'n':42,'t':'gr\u00fc\u00dfe \u2603','missing':true,'twice':'2.50'}]}");
    both("namedStatement", "[2,4,6,8,10]");
  }

  /**
   * int4, int8 (a string in JavaScript), numeric, unicode text, bool, timestamptz, date, bytea
   * (Buffer), json, jsonb, int[] and text[] with NULL elements, and NULLs: bound as parameters,
   * read back by key (simple and extended protocol) and by a scan over every bucket.
   */
  @Test
  void typesRoundTripAsOnPostgres() {
    both("typesInsert", "[1,1,1]");
    String row = same("typesByKeySimple");
    for (String value :
        List.of(
            "'i8':'9007199254740993'",
            "'num':'12345678901234.123456'",
            "'ts':{'date':'2026-03-04T05:06:07.089Z'}",
            "'d':{'date':'2026-03-04T00:00:00.000Z'}",
            "'raw':{'hex':'000102feff'}",
            "'jb':{'k':'v','n':1.5}",
            "'ia':[1,2,null,-3]",
            "'ta':['a','b c','quote\\'','back\\\\slash',null,'']")) {
      assertContains(json(value), row);
    }
    same("typesByKeyExtended");
    same("typesScan");
    same("typesExpressions");
  }

  @Test
  void distributedTableWritesCountsAndReturning() {
    assertEquals(json("['CREATE','CREATE','CREATE']"), step("plain", plain, "createTables"));
    assertEquals(
        json("['CREATE','CREATE','CREATE','SELECT 1']"), step("proxy", zynamo, "createTables"));
    both(
        "writes",
        "{'inserted':300,'before':{'n':'300','total':'14969','min':1,'max':300},"
            + "'counts':{'updateRange':'UPDATE 50','updateKey':'UPDATE 1',"
            + "'updateMissing':'UPDATE 0','deleteRange':'DELETE 10','deleteMissing':'DELETE 0',"
            + "'insertMany':'INSERT 3'},"
            + "'returning':['INSERT',2,[{'id':1001,'twice':14},{'id':1002,'twice':16}]],"
            + "'returningParams':[1,[{'id':1003,'v':9,'note':'p'}]],"
            + "'byName':['50/changed','57/n8','64/n9',null,'9/p'],"
            + "'after':{'n':'296','total':'14564','min':1,'max':1003}}");
  }

  /** What the script logged: another client's view and ReadyForQuery's status after each step. */
  @Test
  void transactionsCommitRollBackAndRecoverFromAnError() {
    both(
        "transactions",
        "['begin T','inside sees tx','other before commit sees 0','commit I, other sees 2',"
            + "'rollback I, other sees 2','2001 is 1','duplicate 23505 E','then 25P02 E',"
            + "'rollback I, other sees 2','usable 1 I']");
  }

  /** PostgreSQL: 42601 syntax error at or near "SELEC". */
  @Test
  void aSyntaxErrorIs42601AndTheConnectionGoesOn() {
    both(
        "syntaxErrors",
        "{'simple':{'code':'42601','severity':'ERROR'},"
            + "'extended':{'code':'42601','severity':'ERROR'},'after':1,'status':'I'}");
  }

  @Test
  void aUniqueViolationIs23505WithItsDetailAndTheConnectionGoesOn() {
    assertContains(
        json(
            "{'simple':{'code':'23505','severity':'ERROR','detail':'Key (id)=(1) already exists.',"
                + "'constraint':'kv_pkey','table':'kv'},"),
        same("uniqueViolations"));
  }

  @Test
  void otherErrorsKeepTheirSqlState() {
    both(
        "otherErrors",
        "{'noTable':{'code':'42P01','severity':'ERROR'},"
            + "'divisionByZero':{'code':'22012','severity':'ERROR'},'status':'I'}");
  }

  /** node-postgres gives the detail to the application: it shows the table's own columns only. */
  @Test
  void aNotNullViolationsDetailShowsTheRowAsPostgresDoes() {
    both(
        "notNullViolation",
        "{'error':{'code':'23502','severity':'ERROR','detail':'Failing row contains (5000, null,"
            + " null).','table':'kv','column':'v'},'after':'0'}");
  }

  /** PostgreSQL: 22P02 invalid input syntax for type integer: "four". */
  @Test
  void aKeyParameterThatIsNoIntegerIs22P02() {
    both("badKeyInput", "{'text':{'code':'22P02','severity':'ERROR'},'after':29}");
  }

  @Test
  void aPoolOfConcurrentClientsWritesAndReadsEveryRow() {
    both(
        "pool",
        "{'found':112,'reads':32,'totals':[{'note':'auto','n':'80','total':'80'},"
            + "{'note':'pool','n':'80','total':'280'}],'poolSize':true}");
  }

  /** 10,000 rows from generate_series, COPY in and out, a scan and a pg-cursor over all buckets. */
  @Test
  void largeResultsCursorsAndCopy() {
    assertContains(json("{'rowCount':10000,'rows':10000,'sum':50005000,"), same("largeResult"));
    both("copyIn", "{'text':10000,'csv':2,'table':{'n':'10002','g':'479616','labels':'10001'}}");
    assertContains(json("{'rows':10002,'ordered':true,"), same("scanBig"));
    both(
        "cursor",
        "{'chunks':[1000,1000,1000,1000,1000,1000,1000,1000,1000,1000],'ordered':true,'usable':1}");
    String copyOut = same("copyOut");
    assertContains(json("{'lines':10003,"), copyOut);
    assertContains(
        json(
            "'csv':'id,label\\n9999,label 9999\\n10000,label 10000\\n"
                + "10001,\\'with, comma\\'\\n10002,\\n'}"),
        copyOut);
  }
}
