package io.zynamo.proxy.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** COPY statements, and rows read and written in text and CSV, as PostgreSQL reads and writes. */
class CopyFormatsTest {

  private static final List<String> AB = List.of("a", "b");

  private static List<List<@Nullable String>> read(String sql, String data, int chunk)
      throws SQLException {
    CopyCommand command = CopyCommand.parse(sql);
    CopyReader reader = new CopyReader(command.format(), "t", AB, 1 << 20);
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    List<List<@Nullable String>> rows = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += chunk) {
      reader.feed(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)));
      rows.addAll(reader.rows(false));
    }
    rows.addAll(reader.rows(true));
    return rows;
  }

  /** The same rows whole, byte by byte, and in chunks of 3. */
  private static List<List<@Nullable String>> readEveryWay(String sql, String data)
      throws SQLException {
    List<List<@Nullable String>> whole = read(sql, data, Integer.MAX_VALUE);
    assertEquals(whole, read(sql, data, 1), "byte by byte");
    assertEquals(whole, read(sql, data, 3), "in chunks of 3");
    return whole;
  }

  private static List<@Nullable String> row(@Nullable String a, @Nullable String b) {
    return Arrays.asList(a, b);
  }

  @Test
  void textEscapesNullsAndLineEnds() throws SQLException {
    assertEquals(
        List.of(row("x\ty", null), row("a\\b", "\\N literal? no: N"), row("AB", "é"), row("", "")),
        readEveryWay(
            "COPY t FROM STDIN",
            "x\\ty\t\\N\r\na\\\\b\t\\\\N literal? no: N\n\\101\\x42\t\\303\\251\n\t\n\\.\nignored\n"));
  }

  @Test
  void textWithoutFinalNewlineAndCustomDelimiterAndNull() throws SQLException {
    assertEquals(
        List.of(row("1", null), row("2", "x|y")),
        readEveryWay("COPY t FROM STDIN WITH DELIMITER '|' NULL 'nil'", "1|nil\n2|x\\|y"));
  }

  @Test
  void csvQuotesLineBreaksHeaderAndForcedNulls() throws SQLException {
    assertEquals(
        List.of(row("a, b", null), row("two\r\nlines", null), row("say \"hi\"", "x")),
        readEveryWay(
            "COPY t FROM STDIN (FORMAT csv, HEADER, FORCE_NULL (b))",
            "a,b\r\n\"a, b\",\n\"two\r\nlines\",\"\"\n\"say \"\"hi\"\"\",\"x\"\n"));
  }

  @Test
  void csvWithEscapeCharacterAndForceNotNull() throws SQLException {
    assertEquals(
        List.of(row("q\"x\\", "")),
        readEveryWay(
            "COPY t FROM STDIN WITH CSV ESCAPE '\\' FORCE NOT NULL b", "\"q\\\"x\\\\\",\n"));
  }

  @Test
  void badRowsFailWithPostgresCodes() {
    assertEquals(
        "22P04",
        assertThrows(SQLException.class, () -> read("COPY t FROM STDIN", "1\n", 9)).getSQLState());
    assertEquals(
        "22P04",
        assertThrows(SQLException.class, () -> read("COPY t FROM STDIN", "1\t2\t3\n", 9))
            .getSQLState());
    assertEquals(
        "22P04",
        assertThrows(SQLException.class, () -> read("COPY t FROM STDIN CSV", "\"open,1\n", 9))
            .getSQLState());
    assertEquals(
        "22P04",
        assertThrows(SQLException.class, () -> read("COPY t FROM STDIN", "a\rb\tc\n", 9))
            .getSQLState());
    assertEquals(
        "22021",
        assertThrows(SQLException.class, () -> read("COPY t FROM STDIN", "\\377\tx\n", 9))
            .getSQLState());
    assertEquals(
        "22P04",
        assertThrows(
                SQLException.class,
                () -> read("COPY t FROM STDIN (FORMAT csv, HEADER match)", "a,c\n1,2\n", 9))
            .getSQLState());
  }

  @Test
  void aRowLongerThanTheLimitIsRefusedBeforeItEnds() throws SQLException {
    CopyReader reader =
        new CopyReader(CopyCommand.parse("COPY t FROM STDIN").format(), "t", AB, 10);
    reader.feed("1\t123456789012".getBytes(StandardCharsets.UTF_8));
    assertEquals("54000", assertThrows(SQLException.class, () -> reader.rows(false)).getSQLState());
  }

  @Test
  void writesTextAndCsvAsPostgres() throws SQLException {
    CopyWriter text = new CopyWriter(CopyCommand.parse("COPY t TO STDOUT").format(), AB);
    assertEquals("a\\tb\\\\\t\\N\n", utf8(text.row(row("a\tb\\", null))));
    CopyWriter csv =
        new CopyWriter(
            CopyCommand.parse("COPY t TO STDOUT (FORMAT csv, FORCE_QUOTE (b))").format(), AB);
    assertEquals("\"x,\"\"y\"\"\",\"1\"\n", utf8(csv.row(row("x,\"y\"", "1"))));
    assertEquals("\"\",\n", utf8(csv.row(row("", null))));
    assertEquals("a,b\n", utf8(csv.header(AB)));
  }

  @Test
  void statementsParseAsPostgresReadsThem() throws SQLException {
    CopyCommand in =
        CopyCommand.parse("copy public.\"Items\" (id, \"Name\") from stdin with (format 'csv');");
    assertTrue(in.from());
    assertEquals("public.\"Items\"", in.table());
    assertEquals(List.of("id", "Name"), in.columnNames());
    assertTrue(in.format().csv());
    CopyCommand out = CopyCommand.parse("COPY (SELECT ')' AS x) TO STDOUT CSV HEADER");
    assertFalse(out.from());
    assertNull(out.table());
    assertEquals("SELECT ')' AS x", out.query());
    assertTrue(out.format().header());
    for (String refused :
        List.of(
            "COPY t FROM 'f'",
            "COPY t TO PROGRAM 'x'",
            "COPY t FROM STDIN BINARY",
            "COPY t FROM STDIN WHERE a > 1",
            "COPY t FROM STDIN (ENCODING 'LATIN1')")) {
      assertEquals(
          "0A000",
          assertThrows(SQLException.class, () -> CopyCommand.parse(refused)).getSQLState(),
          refused);
    }
    for (String bad :
        List.of(
            "COPY t (",
            "COPY (SELECT 1) FROM STDIN",
            "COPY t FROM STDIN (FORMAT csv, FORMAT csv)",
            "COPY t FROM STDIN (bogus 1)")) {
      assertEquals(
          "42601",
          assertThrows(SQLException.class, () -> CopyCommand.parse(bad)).getSQLState(),
          bad);
    }
    assertEquals(
        "0A000",
        assertThrows(SQLException.class, () -> CopyCommand.parse("COPY t FROM STDIN (QUOTE '\"')"))
            .getSQLState());
    assertEquals(
        "22023",
        assertThrows(
                SQLException.class,
                () -> CopyCommand.parse("COPY t FROM STDIN (FORMAT csv, DELIMITER '\"')"))
            .getSQLState());
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
