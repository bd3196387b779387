package io.zynamo.proxy.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {

  @Test
  void testSettingsTradeMachineCrashSafetyForSpeed() {
    Map<String, String> settings = PostgresConfig.forTests().serverSettings(5555);

    assertEquals("off", settings.get("fsync"));
    assertEquals("on", settings.get("synchronous_commit"), "commits must survive a server crash");
    assertEquals("off", settings.get("full_page_writes"));
    assertEquals("32MB", settings.get("shared_buffers"));
  }

  @Test
  void durableSettingsKeepFsyncOn() {
    Map<String, String> settings = PostgresConfig.durableDefaults().serverSettings(5555);

    assertEquals("on", settings.get("fsync"));
    assertEquals("on", settings.get("synchronous_commit"));
    assertEquals("on", settings.get("full_page_writes"));
  }

  @Test
  void everyNodeListensOnLoopbackOnlyWithoutUnixSocket() {
    Map<String, String> settings = PostgresConfig.forTests().serverSettings(6433);

    assertEquals("127.0.0.1", settings.get("listen_addresses"));
    assertEquals("6433", settings.get("port"));
    assertEquals("", settings.get("unix_socket_directories"));
    assertEquals("64", settings.get("max_prepared_transactions"));
  }

  @Test
  void extraSettingsComeLastAndWin() {
    Map<String, String> settings =
        PostgresConfig.forTests()
            .withExtraSettings(Map.of("max_connections", "20"))
            .serverSettings(1);

    assertEquals("20", settings.get("max_connections"));
  }

  @Test
  void invalidValuesAreRejected() {
    PostgresConfig config = PostgresConfig.forTests();

    assertThrows(IllegalArgumentException.class, () -> config.withFirstPreferredPort(70000));
    assertThrows(
        IllegalArgumentException.class, () -> config.withStartTimeout(Duration.ofMillis(10)));
  }
}
