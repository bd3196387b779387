package io.zynamo.driver.sql;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link QueryScanner} found in a statement: the tables, the table references with aliases,
 * the traits, whether anything made it complex, and a {@code SELECT INTO} target.
 */
record QueryScan(
    List<ObjectName> tables,
    List<TableRef> refs,
    Set<Trait> traits,
    boolean complex,
    @Nullable ObjectName into) {

  QueryScan {
    tables = List.copyOf(tables);
    refs = List.copyOf(refs);
    traits = Set.copyOf(traits);
  }

  Shape shape() {
    if (complex || refs.size() > 1) {
      return Shape.COMPLEX;
    }
    return refs.isEmpty() ? Shape.NO_TABLE : Shape.SINGLE_TABLE;
  }
}
