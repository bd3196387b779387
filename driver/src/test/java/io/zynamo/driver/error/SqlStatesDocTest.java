package io.zynamo.driver.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/sqlstates.md} and {@link ZynamoSqlState} in step, in both directions. */
class SqlStatesDocTest {

  /** Surefire runs in the module directory; the docs sit beside it. */
  private static final Path DOC = Path.of("..", "docs", "sqlstates.md");

  /** {@code | `08001` | `name` | meaning | when | `SQLTransientConnectionException` |}. */
  private static final Pattern ROW =
      Pattern.compile("^\\| `([0-9A-Z]{5})` \\| `([a-z_]+)` \\|.*\\| `(\\w+)` \\|$");

  private static Map<String, String> documentedRows() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        String previous = rows.put(m.group(1), m.group(2) + " " + m.group(3));
        assertEquals(null, previous, "listed twice: " + m.group(1));
      } else {
        assertTrue(!line.startsWith("| `"), "a table row the test cannot read: " + line);
      }
    }
    return rows;
  }

  private static String expectedRow(ZynamoSqlState s) {
    return s.conditionName() + " " + ZynamoErrors.create(s, "m").getClass().getSimpleName();
  }

  @Test
  void docListsExactlyTheEnumsCodesInOrderWithNamesAndExceptions() throws IOException {
    Map<String, String> expected =
        Arrays.stream(ZynamoSqlState.values())
            .collect(
                Collectors.toMap(
                    ZynamoSqlState::code,
                    SqlStatesDocTest::expectedRow,
                    (a, b) -> a,
                    LinkedHashMap::new));
    Map<String, String> documented = documentedRows();

    assertEquals(expected.keySet().toString(), documented.keySet().toString(), "codes");
    assertEquals(expected, documented);
  }

  @Test
  void everyDocumentedCodeIsAnEnumConstant() throws IOException {
    Map<String, ZynamoSqlState> byCode =
        Arrays.stream(ZynamoSqlState.values())
            .collect(Collectors.toMap(ZynamoSqlState::code, Function.identity()));

    for (String code : documentedRows().keySet()) {
      assertTrue(byCode.containsKey(code), "documented but not in ZynamoSqlState: " + code);
    }
  }
}
