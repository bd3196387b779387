package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholderTextTest {

  @Test
  void dollarParametersBecomePlaceholdersInTextOrder() {
    PlaceholderText text = PlaceholderText.of("SELECT * FROM t WHERE b = $2 AND a = $1 OR c = $2");
    assertEquals("SELECT * FROM t WHERE b = ? AND a = ? OR c = ?", text.sql());
    assertEquals(List.of(2, 1, 2), text.parameterNumbers());
  }

  @Test
  void questionMarkOperatorsAreEscapedForJdbc() {
    PlaceholderText text = PlaceholderText.of("SELECT j ? 'k', j ?| array['a'] FROM t WHERE id=$1");
    assertEquals("SELECT j ?? 'k', j ??| array['a'] FROM t WHERE id=?", text.sql());
    assertEquals(List.of(1), text.parameterNumbers());
  }

  @Test
  void stringsCommentsAndQuotedNamesAreCopiedUnchanged() {
    String sql = "SELECT '$1 ?', \"$2?\", $$ $3 ? $$ /* $4 ? */ -- $5 ?\n, E'\\' $6'";
    PlaceholderText text = PlaceholderText.of(sql);
    assertEquals(sql, text.sql());
    assertEquals(List.of(), text.parameterNumbers());
  }

  @Test
  void unreadableRestIsCopiedForTheNodeToReject() {
    PlaceholderText text = PlaceholderText.of("SELECT $1, 'unterminated $2");
    assertEquals("SELECT ?, 'unterminated $2", text.sql());
    assertEquals(List.of(1), text.parameterNumbers());
  }
}
