package io.zynamo.driver.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ZynamoSqlStateTest {

  @Test
  void codesAreDistinctAndFoundByCode() {
    Set<String> codes =
        Arrays.stream(ZynamoSqlState.values())
            .map(ZynamoSqlState::code)
            .collect(Collectors.toSet());

    assertEquals(ZynamoSqlState.values().length, codes.size());
    for (ZynamoSqlState s : ZynamoSqlState.values()) {
      assertEquals(Optional.of(s), ZynamoSqlState.forCode(s.code()));
    }
    assertEquals(Optional.empty(), ZynamoSqlState.forCode("40P01"));
  }

  @Test
  void standardCodesComeFirstThenOursInClassZy() {
    boolean ownSeen = false;
    for (ZynamoSqlState s : ZynamoSqlState.values()) {
      ownSeen |= s.isZynamoSpecific();
      assertEquals(ownSeen, s.isZynamoSpecific(), s + " after our own codes");
      assertEquals(ownSeen, s.sqlClass().equals("ZY"), s.toString());
    }
    assertTrue(ownSeen);
  }

  @Test
  void ourClassIsImplementationDefined() {
    char first = ZynamoSqlState.ZYNAMO_CLASS.charAt(0);

    assertTrue((first >= '5' && first <= '9') || (first >= 'I' && first <= 'Z'));
  }

  @Test
  void conditionNamesFollowPostgres() {
    assertEquals(
        "sqlclient_unable_to_establish_sqlconnection",
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION.conditionName());
    assertEquals("quorum_not_met", ZynamoSqlState.QUORUM_NOT_MET.conditionName());
    for (ZynamoSqlState s : ZynamoSqlState.values()) {
      assertFalse(s.meaning().isBlank(), s.toString());
    }
  }
}
