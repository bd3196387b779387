package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random SQL-like text: the front end must never throw and splitting must terminate. */
class FrontendRobustnessTest {

  private static final String[] FRAGMENTS = {
    "SELECT ",
    "INSERT INTO t ",
    "UPDATE t SET a = ",
    "DELETE FROM t ",
    "WITH c AS ",
    "VALUES ",
    "(",
    ")",
    "[",
    "]",
    ",",
    ";",
    " WHERE ",
    " AND ",
    " OR ",
    " IN ",
    " BETWEEN ",
    " CASE ",
    " END ",
    "id",
    "x.id",
    "\"Q\"",
    "=",
    "-",
    "::",
    "uuid ",
    "'a''b'",
    "E'\\x41\\u00e9'",
    "E'\\uD83D\\uDE00'",
    "E'\\uD83D'",
    "U&'\\0061'",
    " UESCAPE '!'",
    "$$d;$$",
    "$t$x$t$",
    "$1",
    "?",
    "??",
    "1.5e3",
    "0x1F",
    "1_0",
    "--c\n",
    "/* /* */ */",
    "B'01'",
    "X'1F'",
    " ON CONFLICT ",
    " DO UPDATE SET ",
    " RETURNING *",
    " FROM ",
    " JOIN ",
    " USING ",
    "CREATE TABLE t ",
    " PRIMARY KEY ",
    "EXPLAIN ",
    "COPY ",
    " FOR UPDATE",
    "'",
    "\"",
    "$",
    "/*",
    "e'",
    "\\"
  };

  @Test
  void randomTextNeverThrows() {
    Random random = new Random(20260101L);
    SqlFrontend jdbc = new SqlFrontend();
    SqlFrontend proxy = new SqlFrontend(SqlFrontend.Config.DEFAULT.withJdbcPlaceholders(false));
    for (int round = 0; round < 20_000; round++) {
      StringBuilder sql = new StringBuilder();
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        sql.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
      }
      String text = sql.toString();
      assertNotNull(jdbc.parse(text), text);
      assertNotNull(proxy.parse(text), text);
      assertNotNull(jdbc.split(text), text);
      assertNotNull(jdbc.parseAll(text), text);
    }
  }

  @Test
  void nestingBelowTheLimitIsAnalysed() {
    int depth = Lexed.MAX_DEPTH - 1;
    String sql = "SELECT * FROM t WHERE " + "(".repeat(depth) + "id = 1" + ")".repeat(depth);
    assertEquals(
        "SELECT SINGLE_TABLE tables=[t] keys=[id = 1]", new SqlFrontend().parse(sql).toString());
  }
}
