package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A column whose default comes from a sequence: {@code serial}, {@code GENERATED ... AS IDENTITY}
 * or {@code DEFAULT nextval('s')}. Zynamo fills such a column itself when an INSERT leaves it to
 * its default, with a cluster-unique value.
 *
 * @param column the column's name as stored
 * @param sequence the sequence, schema-qualified and quoted as {@code format('%I.%I')} prints it;
 *     null when the default uses a sequence in an expression Zynamo cannot evaluate ({@code 'x' ||
 *     nextval('s')})
 * @param always {@code GENERATED ALWAYS AS IDENTITY}: a value needs {@code OVERRIDING SYSTEM VALUE}
 */
public record SequenceColumn(String column, @Nullable String sequence, boolean always) {

  public SequenceColumn {
    requireNonNull(column, "column");
  }
}
