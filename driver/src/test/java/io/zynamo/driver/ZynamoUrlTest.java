package io.zynamo.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.NodeId;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZynamoUrlTest {

  private static final String SHAPE =
      "jdbc:zynamo://host[:port][,host[:port]...]/database[?property=value&...]";

  private static Properties props(String... nameValues) {
    Properties p = new Properties();
    for (int i = 0; i < nameValues.length; i += 2) {
      p.setProperty(nameValues[i], nameValues[i + 1]);
    }
    return p;
  }

  @Test
  void parsesSeedsDatabaseAndProperties() throws SQLException {
    ZynamoUrl url =
        ZynamoUrl.parse(
            "jdbc:zynamo://h1:5433,H2,[::1]:5434,10.0.0.7/app"
                + "?user=alice&password=s%26cret&replicas=5&readQuorum=3&writeQuorum=4&ssl=true");

    assertEquals(
        List.of(new Seed("h1", 5433), Seed.of("h2"), new Seed("::1", 5434), Seed.of("10.0.0.7")),
        url.seeds());
    assertEquals("app", url.database());
    assertEquals(Optional.of("alice"), url.user());
    assertEquals(Optional.of("s&cret"), url.password());
    assertEquals(5, url.replicas());
    assertEquals(3, url.readQuorum());
    assertEquals(4, url.writeQuorum());
    assertEquals(props("ssl", "true"), url.passThrough());
    assertEquals(
        List.of(
            new NodeId("h1:5433/app"),
            new NodeId("h2:5432/app"),
            new NodeId("[::1]:5434/app"),
            new NodeId("10.0.0.7:5432/app")),
        url.seedNodes());
  }

  @Test
  void absentPropertiesTakeTheirDefaults() throws SQLException {
    ZynamoUrl url = ZynamoUrl.parse("jdbc:zynamo://h1/app");

    assertEquals(Optional.empty(), url.user());
    assertEquals(Optional.empty(), url.password());
    assertEquals(3, url.replicas());
    assertEquals(2, url.readQuorum());
    assertEquals(2, url.writeQuorum());
    assertEquals(8, url.bucketBits());
    assertEquals(10, url.poolSize());
    assertEquals(Duration.ofSeconds(5), url.connectTimeout());
    assertEquals(Duration.ofSeconds(30), url.socketTimeout());
    assertEquals(Optional.empty(), url.loginTimeout());
    assertEquals(1, url.downAfterFailures());
    assertEquals(Duration.ofSeconds(1), url.probeInterval());
    assertEquals(Duration.ofSeconds(10), url.downRetryInterval());
    assertEquals(Duration.ofHours(1), url.tombstoneGrace());
    assertEquals(new Properties(), url.passThrough());
  }

  @Test
  void defaultQuorumsAreCappedAtTheReplicas() throws SQLException {
    ZynamoUrl url = ZynamoUrl.parse("jdbc:zynamo://h1/app?replicas=1");

    assertEquals(1, url.readQuorum());
    assertEquals(1, url.writeQuorum());
  }

  @Test
  void sloppyQuorumIsOnUnlessTurnedOff() throws SQLException {
    assertTrue(ZynamoUrl.parse("jdbc:zynamo://h1/app").sloppyQuorum());
    ZynamoUrl off = ZynamoUrl.parse("jdbc:zynamo://h1/app?sloppyQuorum=FALSE");
    assertFalse(off.sloppyQuorum());
    assertTrue(off.toString().contains("sloppyQuorum=false"), off.toString());
    SQLException e =
        assertThrows(
            SQLException.class, () -> ZynamoUrl.parse("jdbc:zynamo://h1/app?sloppyQuorum=yes"));
    assertTrue(
        e.getMessage().contains("sloppyQuorum: 'yes' (expected: true or false)"), e.getMessage());
  }

  @Test
  void numbersAndTimeoutsAreRead() throws SQLException {
    ZynamoUrl url =
        ZynamoUrl.parse(
            "jdbc:zynamo://h1/app?bucketBits=0&poolSize=+7&connectTimeout=0"
                + "&socketTimeout=30&loginTimeout=12");

    assertEquals(0, url.bucketBits());
    assertEquals(7, url.poolSize(), "'+' decodes to a space, which is ignored around numbers");
    assertEquals(Duration.ZERO, url.connectTimeout());
    assertEquals(Duration.ofSeconds(30), url.socketTimeout());
    assertEquals(Optional.of(Duration.ofSeconds(12)), url.loginTimeout());
  }

  @Test
  void tombstoneGraceIsReadInSecondsUpToThirtyDays() throws SQLException {
    assertEquals(
        Duration.ZERO, ZynamoUrl.parse("jdbc:zynamo://h1/app?tombstoneGrace=0").tombstoneGrace());
    assertEquals(
        Duration.ofDays(30),
        ZynamoUrl.parse("jdbc:zynamo://h1/app?tombstoneGrace=2592000").tombstoneGrace());
  }

  @Test
  void failureDetectionSettingsAreRead() throws SQLException {
    ZynamoUrl url =
        ZynamoUrl.parse(
            "jdbc:zynamo://h1/app?downAfterFailures=0&probeInterval=5&downRetryInterval=60");

    assertEquals(0, url.downAfterFailures());
    assertEquals(Duration.ofSeconds(5), url.probeInterval());
    assertEquals(Duration.ofSeconds(60), url.downRetryInterval());
    assertTrue(url.passThrough().isEmpty(), "Zynamo's own properties never pass through");
  }

  @Test
  void queryValuesArePercentDecodedAsPgjdbcDoes() throws SQLException {
    ZynamoUrl url =
        ZynamoUrl.parse(
            "jdbc:zynamo://h1/my%20db?password=a%2Bb+c%C3%A9&ApplicationName=x%3Dy&flag");

    assertEquals("my db", url.database());
    assertEquals(Optional.of("a+b cé"), url.password());
    assertEquals(props("ApplicationName", "x=y", "flag", ""), url.passThrough());
  }

  @Test
  void urlPropertiesOverrideConnectProperties() throws SQLException {
    Properties info =
        props("user", "bob", "password", "pw", "readQuorum", "1", "ssl", "false", "sslmode", "off");

    ZynamoUrl url = ZynamoUrl.parse("jdbc:zynamo://h1/app?user=alice&readQuorum=3&ssl=true", info);

    assertEquals(Optional.of("alice"), url.user());
    assertEquals(Optional.of("pw"), url.password());
    assertEquals(3, url.readQuorum());
    assertEquals(props("ssl", "true", "sslmode", "off"), url.passThrough());
  }

  @Test
  void connectPropertiesIncludeTheirDefaults() throws SQLException {
    Properties info = new Properties(props("replicas", "5"));

    assertEquals(5, ZynamoUrl.parse("jdbc:zynamo://h1/app", info).replicas());
  }

  @Test
  void passThroughIsACopyWithoutOurProperties() throws SQLException {
    ZynamoUrl url = ZynamoUrl.parse("jdbc:zynamo://h1/app?ssl=true", props("password", "x"));
    Properties first = url.passThrough();
    first.setProperty("injected", "1");

    assertEquals(props("ssl", "true"), url.passThrough());
    for (ZynamoProperty p : ZynamoProperty.values()) {
      assertFalse(url.passThrough().containsKey(p.propertyName()), p.propertyName());
    }
  }

  @Test
  void acceptsOnlyTheZynamoPrefix() {
    assertTrue(ZynamoUrl.accepts("jdbc:zynamo://h1/app"));
    assertTrue(ZynamoUrl.accepts("jdbc:zynamo:"));
    assertFalse(ZynamoUrl.accepts("jdbc:postgresql://h1/app"));
    assertFalse(ZynamoUrl.accepts("JDBC:ZYNAMO://h1/app"));
    assertFalse(ZynamoUrl.accepts(null));
  }

  static Stream<Arguments> badUrls() {
    return Stream.of(
        Arguments.of("jdbc:postgresql://h1/app", "URL: not a Zynamo URL (expected: " + SHAPE + ")"),
        Arguments.of(
            "jdbc:zynamo:h1/app", "URL: no '//' after jdbc:zynamo: (expected: " + SHAPE + ")"),
        Arguments.of(
            "jdbc:zynamo:///app", "URL: no host (expected: at least one seed, " + SHAPE + ")"),
        Arguments.of(
            "jdbc:zynamo://h1",
            "URL: no database (expected: /database after the hosts, " + SHAPE + ")"),
        Arguments.of(
            "jdbc:zynamo://h1/?user=a",
            "URL: no database (expected: /database after the hosts, " + SHAPE + ")"),
        Arguments.of(
            "jdbc:zynamo://h1,,h2/app",
            "URL hosts: empty entry in 'h1,,h2' (expected: host[:port] entries separated by commas)"),
        Arguments.of(
            "jdbc:zynamo://h1,h2:5432,H1/app", "seeds: h1:5432 twice (expected: each seed once)"),
        Arguments.of(
            "jdbc:zynamo://[::1],[::1]:5432/app",
            "seeds: [::1]:5432 twice (expected: each seed once)"),
        Arguments.of(
            "jdbc:zynamo://h1:54x2/app", "URL host 'h1:54x2': port '54x2' (expected: 1..65535)"),
        Arguments.of("jdbc:zynamo://h1:/app", "URL host 'h1:': port '' (expected: 1..65535)"),
        Arguments.of("jdbc:zynamo://h1:0/app", "URL port: 0 (expected: 1..65535)"),
        Arguments.of("jdbc:zynamo://h1:65536/app", "URL port: 65536 (expected: 1..65535)"),
        Arguments.of(
            "jdbc:zynamo://::1:5432/app",
            "URL host '::1:5432': IPv6 address without brackets (expected: [address]:port)"),
        Arguments.of(
            "jdbc:zynamo://[::1/app", "URL host '[::1': no ']' (expected: [IPv6 address][:port])"),
        Arguments.of(
            "jdbc:zynamo://[::1]5432/app",
            "URL host '[::1]5432': text after ']' (expected: [IPv6 address][:port])"),
        Arguments.of(
            "jdbc:zynamo://[h1]/app",
            "URL host '[h1]': not an IPv6 address (expected: [IPv6 address][:port])"),
        Arguments.of(
            "jdbc:zynamo://[::g]/app",
            "URL host: '::g' (expected: a host name, an IPv4 address or an IPv6 address in"
                + " brackets)"),
        Arguments.of(
            "jdbc:zynamo://h%201/app",
            "URL host: 'h%201' (expected: a host name, an IPv4 address or an IPv6 address in"
                + " brackets)"),
        Arguments.of(
            "jdbc:zynamo://h1/a%zzb",
            "URL database 'a%zzb': malformed percent-encoding (expected: %XX)"),
        Arguments.of(
            "jdbc:zynamo://h1/" + "d".repeat(64),
            "database: '" + "d".repeat(64) + "' (expected: 1..63 bytes)"),
        Arguments.of(
            "jdbc:zynamo://h1/app?=x", "URL query: a value without a name (expected: name=value)"),
        Arguments.of(
            "jdbc:zynamo://h1/app?replicas=3&replicas=4",
            "URL query: 'replicas' given twice (expected: each property once)"),
        Arguments.of(
            "jdbc:zynamo://h1/app?ssl=%2",
            "URL query: malformed percent-encoding in the value of ssl (expected: %XX)"),
        Arguments.of(
            "jdbc:zynamo://h1/app?ss%g=1",
            "URL query: malformed percent-encoding in a property name (expected: %XX)"),
        Arguments.of(
            "jdbc:zynamo://h1/app?readquorum=2",
            "property 'readquorum': unknown (expected: 'readQuorum'; names are case-sensitive)"));
  }

  @ParameterizedTest
  @MethodSource("badUrls")
  void rejectsBadUrlsSayingWhatAndWhere(String url, String message) {
    SQLException e = assertThrows(SQLException.class, () -> ZynamoUrl.parse(url));

    assertEquals(message, e.getMessage());
    assertEquals("22023", e.getSQLState());
    assertTrue(e instanceof SQLDataException, e.getClass().getName());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("replicas=0", "replicas: 0 (expected: 1..16)"),
        Arguments.of("replicas=17", "replicas: 17 (expected: 1..16)"),
        Arguments.of("replicas=three", "replicas: 'three' (expected: an integer in 1..16)"),
        Arguments.of("replicas=", "replicas: '' (expected: an integer in 1..16)"),
        Arguments.of("readQuorum=5", "readQuorum: 5 (expected: 1..3, at most replicas)"),
        Arguments.of("readQuorum=0", "readQuorum: 0 (expected: 1..3, at most replicas)"),
        Arguments.of(
            "replicas=2&writeQuorum=3", "writeQuorum: 3 (expected: 1..2, at most replicas)"),
        Arguments.of("bucketBits=17", "bucketBits: 17 (expected: 0..16)"),
        Arguments.of("bucketBits=-1", "bucketBits: -1 (expected: 0..16)"),
        Arguments.of("poolSize=0", "poolSize: 0 (expected: 1..1000)"),
        Arguments.of("tombstoneGrace=-1", "tombstoneGrace: -1 (expected: 0..2592000)"),
        Arguments.of(
            "connectTimeout=-1", "connectTimeout: -1 (expected: 0..86400 seconds, 0 = no limit)"),
        Arguments.of(
            "socketTimeout=1.5",
            "socketTimeout: '1.5' (expected: an integer in 0..86400 seconds, 0 = no limit)"),
        Arguments.of(
            "loginTimeout=86401",
            "loginTimeout: 86401 (expected: 0..86400 seconds, 0 = no limit)"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void rejectsBadPropertyValues(String query, String message) {
    SQLException e =
        assertThrows(SQLException.class, () -> ZynamoUrl.parse("jdbc:zynamo://h1/app?" + query));

    assertEquals(message, e.getMessage());
    assertEquals("22023", e.getSQLState());
  }

  @Test
  void rejectsBadValuesFromConnectPropertiesToo() {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> ZynamoUrl.parse("jdbc:zynamo://h1/app", props("writeQuorum", "4")));

    assertEquals("writeQuorum: 4 (expected: 1..3, at most replicas)", e.getMessage());
  }

  @Test
  void rejectsNonStringConnectProperties() {
    Properties info = new Properties();
    info.put("password", "hunter2");
    info.put("replicas", 3);

    SQLException e =
        assertThrows(SQLException.class, () -> ZynamoUrl.parse("jdbc:zynamo://h1/app", info));

    assertEquals(
        "connection property 'replicas': a value of type java.lang.Integer (expected: a String)",
        e.getMessage());
  }

  @Test
  void toStringShowsTheUrlWithSecretsHidden() throws SQLException {
    ZynamoUrl url =
        ZynamoUrl.parse(
            "jdbc:zynamo://h1,[::1]:5433/app?sslpassword=k3y&ssl=true&readQuorum=1",
            props("password", "hunter2", "user", "alice"));

    assertEquals(
        "jdbc:zynamo://h1:5432,[::1]:5433/app"
            + "?user=alice&password=***&readQuorum=1&ssl=true&sslpassword=***",
        url.toString());
  }

  @Test
  void toStringParsesBackWhenThereIsNoSecret() throws SQLException {
    ZynamoUrl url =
        ZynamoUrl.parse(
            "jdbc:zynamo://h1,[::1]:5433/my%20db?user=a%26b&ApplicationName=x+y&replicas=5");

    assertEquals(url, ZynamoUrl.parse(url.toString()));
  }

  static Stream<Arguments> failuresWithAPassword() {
    Properties withPassword = props("password", "hunter2");
    return Stream.of(
        Arguments.of("jdbc:postgresql://h1/app?password=hunter2", null),
        Arguments.of("jdbc:zynamo:h1/app?password=hunter2", null),
        Arguments.of("jdbc:zynamo://alice:hunter2@h1/app", null),
        Arguments.of("jdbc:zynamo://h1,,h2/app?password=hunter2", null),
        Arguments.of("jdbc:zynamo://h1/app?password=hunter2&password=hunter2", null),
        Arguments.of("jdbc:zynamo://h1/app?password=hunter2%zz", null),
        Arguments.of("jdbc:zynamo://h1/app?password=hunter2&replicas=99", null),
        Arguments.of("jdbc:zynamo://h1/app?Password=hunter2", null),
        Arguments.of("jdbc:zynamo://h1/app?readQuorum=9", withPassword),
        Arguments.of("jdbc:zynamo://h1/app?sslpassword=hunter2&sslpassword=x", withPassword));
  }

  @ParameterizedTest
  @MethodSource("failuresWithAPassword")
  void messagesNeverShowThePassword(String url, Properties info) {
    SQLException e = assertThrows(SQLException.class, () -> ZynamoUrl.parse(url, info));

    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t).contains("hunter2"), String.valueOf(t));
    }
  }

  @Test
  void recordConstructorValidatesToo() {
    Map<ZynamoProperty, String> ours = Map.of(ZynamoProperty.REPLICAS, "2");
    List<Seed> seeds = List.of(Seed.of("h1"));

    IllegalArgumentException ownPassedThrough =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ZynamoUrl(seeds, "app", ours, Map.of("replicas", "3")));
    IllegalArgumentException noSeeds =
        assertThrows(
            IllegalArgumentException.class, () -> new ZynamoUrl(List.of(), "app", ours, Map.of()));

    assertEquals(
        "pass-through property 'replicas': Zynamo's own (expected: others only)",
        ownPassedThrough.getMessage());
    assertEquals("seeds: none (expected: at least one)", noSeeds.getMessage());
  }
}
