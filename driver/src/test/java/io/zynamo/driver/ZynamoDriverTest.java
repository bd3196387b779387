package io.zynamo.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.jdbc.ZynamoConnection;
import java.sql.Connection;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ZynamoDriverTest {

  private final RecordingFactory factory = new RecordingFactory();
  private final ZynamoDriver driver = new ZynamoDriver(factory);

  @Test
  void acceptsOnlyZynamoUrls() {
    assertTrue(driver.acceptsURL("jdbc:zynamo://h1/app"));
    assertFalse(driver.acceptsURL("jdbc:postgresql://h1/app"));
    assertFalse(driver.acceptsURL(null));
  }

  @Test
  void connectReturnsNullForAnotherDriversUrlWithoutOpeningAnything() throws SQLException {
    assertNull(driver.connect("jdbc:postgresql://h1:5432/app", new Properties()));
    assertTrue(factory.opened.isEmpty());
  }

  @Test
  void connectOpensTheParsedUrlWithTheGivenProperties() throws SQLException {
    Properties info = new Properties();
    info.setProperty("user", "bob");
    info.setProperty("password", "pw");

    Connection connection = driver.connect("jdbc:zynamo://h1:5432,h2/app?readQuorum=1", info);

    assertInstanceOf(ZynamoConnection.class, connection);
    ZynamoUrl opened = factory.opened.get(0);
    assertEquals("app", opened.database());
    assertEquals(1, opened.readQuorum());
    assertEquals("bob", opened.user().orElseThrow());
    assertEquals("app", connection.getCatalog());
  }

  @Test
  void aMalformedUrlFailsWith22023AndAFactoryFailurePassesThrough() {
    SQLException malformed =
        assertThrows(
            SQLException.class, () -> driver.connect("jdbc:zynamo://h1/app?readQuorum=9", null));
    assertEquals("22023", malformed.getSQLState());

    factory.failure = new SQLException("seeds h1:5432: none reachable", "08001");
    SQLException unreachable =
        assertThrows(SQLException.class, () -> driver.connect("jdbc:zynamo://h1/app", null));
    assertSame(factory.failure, unreachable);
  }

  @Test
  void propertyInfoListsEveryPropertyWithGivenValuesButNeverThePassword() {
    Properties info = new Properties();
    info.setProperty("password", "from-info");

    DriverPropertyInfo[] infos =
        driver.getPropertyInfo("jdbc:zynamo://h1/app?user=alice&password=s3cret&replicas=2", info);

    Map<String, DriverPropertyInfo> byName =
        Arrays.stream(infos).collect(Collectors.toMap(p -> p.name, Function.identity()));
    assertEquals(ZynamoProperty.values().length, infos.length);
    assertEquals("alice", byName.get("user").value);
    assertEquals("2", byName.get("replicas").value);
    assertEquals("2", byName.get("readQuorum").value);
    assertNull(byName.get("password").value);
    for (DriverPropertyInfo p : infos) {
      assertFalse(String.valueOf(p.value).contains("s3cret"), p.name);
      assertFalse(String.valueOf(p.value).contains("from-info"), p.name);
    }
  }

  @Test
  void propertyInfoOfAnUnparsableUrlComesFromInfo() {
    Properties info = new Properties();
    info.setProperty("user", "carol");
    info.setProperty("password", "pw");

    DriverPropertyInfo[] infos = driver.getPropertyInfo("jdbc:zynamo://", info);

    Map<String, String> values =
        Arrays.stream(infos)
            .filter(p -> p.value != null)
            .collect(Collectors.toMap(p -> p.name, p -> p.value));
    assertEquals("carol", values.get("user"));
    assertEquals("3", values.get("replicas"));
    assertFalse(values.containsKey("password"));
  }

  @Test
  void versionAndCompliance() {
    assertEquals(0, driver.getMajorVersion());
    assertEquals(1, driver.getMinorVersion());
    assertFalse(driver.jdbcCompliant());
    SQLFeatureNotSupportedException e =
        assertThrows(SQLFeatureNotSupportedException.class, driver::getParentLogger);
    assertEquals("0A000", e.getSQLState());
  }
}
