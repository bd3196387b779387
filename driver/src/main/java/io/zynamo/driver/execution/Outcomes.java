package io.zynamo.driver.execution;

import io.zynamo.driver.result.ConcatenatedResults;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Outcomes of a statement's pieces, taken together. */
final class Outcomes {

  private Outcomes() {}

  /** The pieces' outcomes as one: counts add up, RETURNING rows follow each other. */
  static Outcome combine(List<Outcome> outcomes) {
    if (outcomes.size() == 1) {
      return outcomes.get(0);
    }
    List<ResultSet> rows = new ArrayList<>();
    long count = 0;
    boolean counted = false;
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Rows r) {
        rows.add(r.rows());
      } else if (o instanceof Outcome.Count c) {
        counted = true;
        count += c.count();
        if (c.returned() != null) {
          rows.add(c.returned());
        }
      }
    }
    if (!counted) {
      return new Outcome.Rows(ConcatenatedResults.of(rows));
    }
    return new Outcome.Count(count, rows.isEmpty() ? null : ConcatenatedResults.of(rows));
  }

  /** Closes the rows an outcome holds (after a failure, they are never handed out). */
  static void close(Outcome outcome) throws SQLException {
    if (outcome instanceof Outcome.Rows r) {
      r.rows().close();
    } else if (outcome instanceof Outcome.Count c && c.returned() != null) {
      c.returned().close();
    }
  }
}
