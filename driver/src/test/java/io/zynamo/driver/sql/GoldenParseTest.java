package io.zynamo.driver.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code sql/parse-golden.txt}: each case is a SQL text and the expected compact form of its
 * facts plus how Calcite's reading compared. Run with {@code -Dgolden.update=true} to rewrite the
 * file from the current output (then review the diff).
 */
class GoldenParseTest {

  private static final Path FILE = Path.of("src/test/resources/sql/parse-golden.txt");

  private final SqlFrontend frontend = new SqlFrontend();

  @Test
  void everyGoldenCaseMatches() throws IOException {
    List<GoldenCase> cases = GoldenCase.read(Files.readAllLines(FILE, StandardCharsets.UTF_8));
    assertTrue(cases.size() >= 80, "golden cases: " + cases.size() + " (expected: >= 80)");
    List<String> actual = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (GoldenCase golden : cases) {
      String output = render(golden.sql());
      actual.add(golden.withExpected(output));
      if (!output.equals(golden.expected())) {
        failures.add(
            "=== " + golden.name() + "\nexpected: " + golden.expected() + "\nactual:   " + output);
      }
    }
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(
          FILE, GoldenCase.header() + String.join("\n", actual), StandardCharsets.UTF_8);
      return;
    }
    assertEquals(List.of(), failures, () -> String.join("\n\n", failures));
  }

  private String render(String sql) {
    ParsedStatement statement = frontend.parse(sql);
    CrossCheck check = frontend.crossCheck(sql);
    if (check.verdict() == CrossCheck.Verdict.DISAGREES) {
      return "DISAGREES " + check.detail();
    }
    return statement + "\ncalcite: " + check.verdict().name().toLowerCase(java.util.Locale.ROOT);
  }
}
