package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;

/** One case of a golden file: {@code === name}, SQL lines, {@code ---}, expected lines. */
record GoldenCase(String name, String sql, String expected) {

  static String header() {
    return """
        # Golden cases for SqlFrontend.parse: '=== name', the SQL, '---', the expected facts.
        # Facts: KIND SHAPE tables= target= traits= keys= columns= rows= set= pk= unique=.
        # Constants: 5 is a Long, dec: BigDecimal, big: BigInteger, 'x' String; a cast shows
        # ::type and a trailing ? when the value was left unconverted; $n is a parameter
        # (JDBC ? numbered left to right); {...} an expression routing cannot evaluate.
        # calcite: agrees | parsed (no facts compared) | rejected | not_tried (PostgreSQL-only
        # syntax that Calcite misreads, or not one statement).
        # Regenerate with: mvn -pl driver test -Dtest=GoldenParseTest -Dgolden.update=true

        """;
  }

  static List<GoldenCase> read(List<String> lines) {
    List<GoldenCase> cases = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      if (!lines.get(i).startsWith("=== ")) {
        i++;
        continue;
      }
      String name = lines.get(i).substring(4);
      i++;
      StringBuilder sql = new StringBuilder();
      while (!lines.get(i).equals("---")) {
        sql.append(sql.length() == 0 ? "" : "\n").append(lines.get(i));
        i++;
      }
      i++;
      StringBuilder expected = new StringBuilder();
      while (i < lines.size() && !lines.get(i).isEmpty() && !lines.get(i).startsWith("=== ")) {
        expected.append(expected.length() == 0 ? "" : "\n").append(lines.get(i));
        i++;
      }
      cases.add(new GoldenCase(name, sql.toString(), expected.toString()));
    }
    return cases;
  }

  String withExpected(String output) {
    return "=== " + name + "\n" + sql + "\n---\n" + output + "\n";
  }
}
