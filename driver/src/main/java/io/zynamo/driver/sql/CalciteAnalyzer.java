package io.zynamo.driver.sql;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.sql.SqlNode;

/**
 * The second opinion: derives routing facts from Calcite's tree where Calcite reads the text as
 * PostgreSQL does, and compares them with the primary analysis.
 */
final class CalciteAnalyzer {

  /** Constructs Calcite accepts but reads with another meaning (see {@link LexFeature}). */
  private static final Set<LexFeature> MISREAD = EnumSet.allOf(LexFeature.class);

  private CalciteAnalyzer() {}

  static CrossCheck crossCheck(
      Lexed lexed, ParsedStatement statement, Function<String, Optional<SqlNode>> parser) {
    Set<LexFeature> misread = EnumSet.noneOf(LexFeature.class);
    misread.addAll(lexed.features());
    misread.retainAll(MISREAD);
    if (!misread.isEmpty()) {
      return new CrossCheck(CrossCheck.Verdict.NOT_TRIED, "postgresql syntax " + misread);
    }
    if (statement.isMultiStatement() || statement.kind() == StatementKind.EMPTY) {
      return new CrossCheck(CrossCheck.Verdict.NOT_TRIED, "not one statement");
    }
    String text = lexed.text(0, trimSemicolon(lexed));
    Optional<SqlNode> tree = parser.apply(text);
    if (tree.isEmpty()) {
      return new CrossCheck(CrossCheck.Verdict.REJECTED, "");
    }
    Optional<ParsedStatement> facts = CalciteFacts.derive(tree.get());
    if (facts.isEmpty()) {
      return new CrossCheck(CrossCheck.Verdict.PARSED, tree.get().getKind().toString());
    }
    String mine = CalciteFacts.comparable(statement);
    String theirs = CalciteFacts.comparable(facts.get());
    return mine.equals(theirs)
        ? new CrossCheck(CrossCheck.Verdict.AGREES, mine)
        : new CrossCheck(
            CrossCheck.Verdict.DISAGREES, "postgresql: " + mine + "\ncalcite:    " + theirs);
  }

  private static int trimSemicolon(Lexed lexed) {
    int end = lexed.size();
    while (end > 0 && lexed.get(end - 1).is(";")) {
      end--;
    }
    return end;
  }
}
