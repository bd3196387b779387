package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns assigned by {@code SET a = 1, b.f = 2, c[1] = 3, (d, e) = (4, 5)}: a field or element
 * assignment changes the column it belongs to.
 */
final class SetClause {

  private SetClause() {}

  /** The assigned columns of the assignments in tokens {@code [from, to)}, in order. */
  static List<String> columns(Lexed lexed, int from, int to) {
    List<String> columns = new ArrayList<>();
    Cursor cursor = new Cursor(lexed, from, to);
    List<Integer> commas = cursor.commas(to);
    commas.add(to);
    int start = from;
    for (int comma : commas) {
      Cursor assignment = new Cursor(lexed, start, comma);
      if (assignment.at("(")) {
        columns.addAll(assignment.nameList());
      } else {
        columns.add(assignment.name());
      }
      start = comma + 1;
    }
    return columns;
  }
}
