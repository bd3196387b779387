package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatementTimeoutTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SET statement_timeout = 5000              | 5000",
        "set statement_timeout to '5s'             | 5000",
        "SET SESSION statement_timeout = '1.5s';   | 1500",
        "SET statement_timeout = '2 min'           | 120000",
        "SET statement_timeout = '1h'              | 3600000",
        "SET statement_timeout = '1d'              | 86400000",
        "SET statement_timeout = '1500us'          | 2",
        "SET statement_timeout = 0                 | 0",
        "SET statement_timeout TO DEFAULT          | 0",
        "RESET statement_timeout                   | 0",
      })
  void setAndResetGiveTheTimeout(String sql, long millis) throws SQLException {
    assertEquals(Optional.of(Duration.ofMillis(millis)), StatementTimeout.setting(sql));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "SET statement_timeouts = 5",
        "SET LOCAL statement_timeout = 5",
        "SHOW statement_timeout",
        "SELECT 'SET statement_timeout = 5'",
        "SET lock_timeout = 5"
      })
  void otherStatementsAreNotSettings(String sql) throws SQLException {
    assertEquals(Optional.empty(), StatementTimeout.setting(sql));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SET statement_timeout = '5x'       | invalid value for parameter \"statement_timeout\": \"5x\"",
        "SET statement_timeout = -1         | -1 is outside the valid range",
        "SET statement_timeout = '30d'      | 30d is outside the valid range",
        "SET statement_timeout = 'S'        | invalid value",
      })
  void badValuesFailWith22023(String sql, String message) {
    SQLException e = assertThrows(SQLException.class, () -> StatementTimeout.setting(sql));
    assertEquals("22023", e.getSQLState());
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1500, 1500ms", "5000, 5s", "60000, 1min", "7200000, 2h", "86400000, 1d"})
  void showUsesTheLargestWholeUnitAsPostgresDoes(long millis, String shown) {
    assertEquals(shown, StatementTimeout.show(Duration.ofMillis(millis)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SHOW statement_timeout", " show STATEMENT_TIMEOUT ;"})
  void showIsRecognised(String sql) {
    assertTrue(StatementTimeout.isShow(sql));
    assertFalse(StatementTimeout.isShow("SHOW statement_timeouts"));
  }
}
