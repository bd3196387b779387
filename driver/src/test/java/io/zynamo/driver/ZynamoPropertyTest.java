package io.zynamo.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.ZynamoProperty.Kind;
import java.sql.DriverPropertyInfo;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ZynamoPropertyTest {

  @Test
  void everyPropertyHasADistinctNameAndADescription() {
    Set<String> names =
        Arrays.stream(ZynamoProperty.values())
            .map(ZynamoProperty::propertyName)
            .collect(Collectors.toSet());

    assertEquals(ZynamoProperty.values().length, names.size());
    for (ZynamoProperty p : ZynamoProperty.values()) {
      assertFalse(p.description().isBlank(), p.propertyName());
      assertEquals(Optional.of(p), ZynamoProperty.forName(p.propertyName()));
    }
  }

  @Test
  void theBriefsPropertiesAndDefaultsAreListed() {
    assertEquals(Optional.of("3"), ZynamoProperty.REPLICAS.defaultValue());
    assertEquals(Optional.of("2"), ZynamoProperty.READ_QUORUM.defaultValue());
    assertEquals(Optional.of("2"), ZynamoProperty.WRITE_QUORUM.defaultValue());
    assertEquals(Optional.of("8"), ZynamoProperty.BUCKET_BITS.defaultValue());
    assertEquals(Optional.of("5"), ZynamoProperty.CONNECT_TIMEOUT.defaultValue());
    assertEquals(Optional.of("30"), ZynamoProperty.SOCKET_TIMEOUT.defaultValue());
    assertEquals(Optional.empty(), ZynamoProperty.LOGIN_TIMEOUT.defaultValue());
    assertEquals(Optional.of("10"), ZynamoProperty.POOL_SIZE.defaultValue());
    assertEquals(Optional.empty(), ZynamoProperty.USER.defaultValue());
    assertEquals(Optional.empty(), ZynamoProperty.PASSWORD.defaultValue());
  }

  @Test
  void failureDetectionSkipsANodeAfterOneTimeoutProbesEverySecondAndRetriesEveryTen() {
    assertEquals(Optional.of("1"), ZynamoProperty.DOWN_AFTER_FAILURES.defaultValue());
    assertEquals(Optional.of("1"), ZynamoProperty.PROBE_INTERVAL.defaultValue());
    assertEquals(Optional.of("10"), ZynamoProperty.DOWN_RETRY_INTERVAL.defaultValue());
    assertEquals(
        "probeInterval: 0 (expected: 1..86400 seconds)",
        assertThrows(
                IllegalArgumentException.class, () -> ZynamoProperty.PROBE_INTERVAL.parseInt("0"))
            .getMessage());
    assertEquals(0, ZynamoProperty.DOWN_AFTER_FAILURES.parseInt("0"));
  }

  @Test
  void everyNumericDefaultIsValid() {
    for (ZynamoProperty p : ZynamoProperty.values()) {
      if (p.kind() == Kind.INTEGER || p.kind() == Kind.SECONDS) {
        p.defaultValue().ifPresent(d -> assertEquals(Integer.parseInt(d), p.parseInt(d)));
      }
    }
  }

  @Test
  void namesAreCaseSensitive() {
    assertEquals(Optional.empty(), ZynamoProperty.forName("readquorum"));
    assertEquals(Optional.empty(), ZynamoProperty.forName("ssl"));
    assertEquals(
        Optional.of(ZynamoProperty.READ_QUORUM), ZynamoProperty.forNameIgnoringCase("READQUORUM"));
  }

  @Test
  void onlyThePasswordIsSecret() {
    for (ZynamoProperty p : ZynamoProperty.values()) {
      assertEquals(p == ZynamoProperty.PASSWORD, p.isSecret(), p.propertyName());
    }
  }

  @Test
  void parseIntChecksTheRange() {
    assertEquals(16, ZynamoProperty.REPLICAS.parseInt("16"));
    assertEquals(
        "replicas: 20 (expected: 1..16)",
        assertThrows(IllegalArgumentException.class, () -> ZynamoProperty.REPLICAS.parseInt("20"))
            .getMessage());
    assertEquals(
        "readQuorum: 4 (expected: 1..3, at most replicas)",
        assertThrows(
                IllegalArgumentException.class,
                () -> ZynamoProperty.READ_QUORUM.parseInt("4", 3, ", at most replicas"))
            .getMessage());
    assertThrows(IllegalStateException.class, () -> ZynamoProperty.USER.parseInt("1"));
  }

  @Test
  void driverPropertyInfoNeverCarriesThePassword() {
    DriverPropertyInfo password = ZynamoProperty.PASSWORD.toDriverPropertyInfo("hunter2");
    DriverPropertyInfo quorum = ZynamoProperty.READ_QUORUM.toDriverPropertyInfo(null);
    DriverPropertyInfo user = ZynamoProperty.USER.toDriverPropertyInfo("alice");

    assertEquals("password", password.name);
    assertNull(password.value);
    assertEquals("2", quorum.value);
    assertEquals("alice", user.value);
    assertTrue(quorum.description.startsWith("R: "));
  }
}
