package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cheap text tests made before the session's own statement patterns. */
class SqlTextTest {

  @Test
  void firstWordSkipsWhiteSpaceAndFoldsCase() {
    assertEquals("SET", SqlText.firstWord(" \n\tset statement_timeout = 5"));
    assertEquals("SELECT", SqlText.firstWord("Select 1"));
    assertEquals("", SqlText.firstWord("/* c */ SET x = 1"));
    assertEquals("", SqlText.firstWord(""));
    assertEquals("ABCDEFGHIJ", SqlText.firstWord("abcdefghijklmnop"), "ten letters at most");
  }

  @Test
  void containsIgnoringCaseFindsTheWordAnywhere() {
    assertTrue(SqlText.containsIgnoringCase("SELECT ZYNAMO.repair()", "zynamo"));
    assertTrue(SqlText.containsIgnoringCase("select * from zynamo.nodes", "zynamo"));
    assertTrue(SqlText.containsIgnoringCase("x ZyNaMo", "zynamo"), "at the very end");
    assertTrue(SqlText.containsIgnoringCase("SELECT nextVAL('s')", "val"));
    assertFalse(SqlText.containsIgnoringCase("SELECT v FROM kv WHERE id = ?", "zynamo"));
    assertFalse(SqlText.containsIgnoringCase("zynam", "zynamo"), "shorter than the word");
    assertFalse(SqlText.containsIgnoringCase("", "val"));
  }
}
