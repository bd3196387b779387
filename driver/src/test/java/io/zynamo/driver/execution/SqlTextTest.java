package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cheap text tests made before the session's own statement patterns. */
class SqlTextTest {

  @Test
  void firstWordSkipsWhiteSpaceAndFoldsCase() {
    Set<String> words = Set.of("SET", "SELECT", "ABCDEFGHIJ");
    assertTrue(SqlText.firstWordIn(" \n\tset statement_timeout = 5", words));
    assertTrue(SqlText.firstWordIn("Select 1", words));
    assertTrue(SqlText.firstWordIn("SET", words));
    assertFalse(SqlText.firstWordIn("SETTINGS", words), "a longer word");
    assertFalse(SqlText.firstWordIn("SE", words), "a shorter word");
    assertFalse(SqlText.firstWordIn("/* c */ SET x = 1", words));
    assertFalse(SqlText.firstWordIn("", words));
    assertTrue(SqlText.firstWordIn("abcdefghijklmnop", words), "ten letters at most");
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
