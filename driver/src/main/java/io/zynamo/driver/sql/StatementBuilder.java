package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The mutable accumulator the analyzers fill; {@link #build()} freezes it. */
final class StatementBuilder {

  StatementKind kind = StatementKind.OTHER;
  Shape shape = Shape.NO_TABLE;
  final Set<ObjectName> tables = new LinkedHashSet<>();
  @Nullable ObjectName target;
  final Set<Trait> traits = EnumSet.noneOf(Trait.class);
  final List<KeyPredicate> keyPredicates = new ArrayList<>();
  @Nullable InsertRows insert;
  final List<String> setColumns = new ArrayList<>();
  @Nullable TableDefinition definition;
  @Nullable ParsedStatement explained;
  @Nullable ScanText scan;

  StatementBuilder kind(StatementKind value) {
    kind = value;
    return this;
  }

  /** Forgets every fact but the kind: the text was not understood. */
  StatementBuilder unknown() {
    shape = Shape.UNKNOWN;
    return this;
  }

  /** Adds the scan's tables and traits and sets the shape it implies. */
  void absorb(QueryScan scan) {
    tables.addAll(scan.tables());
    traits.addAll(scan.traits());
    shape = scan.shape();
  }

  /** The shape of a statement that names {@link #tables} and nothing more complex. */
  void shapeFromTables() {
    shape =
        switch (tables.size()) {
          case 0 -> Shape.NO_TABLE;
          case 1 -> Shape.SINGLE_TABLE;
          default -> Shape.COMPLEX;
        };
  }

  ParsedStatement build() {
    return new ParsedStatement(
        kind,
        shape,
        new ArrayList<>(tables),
        target,
        traits,
        shape == Shape.SINGLE_TABLE ? keyPredicates : List.of(),
        insert,
        setColumns,
        definition,
        explained,
        shape == Shape.SINGLE_TABLE ? scan : null);
  }
}
