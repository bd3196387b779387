package io.zynamo.driver.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a CREATE TABLE in order, its PRIMARY KEY columns (column or table constraint;
 * empty when none) and the columns of each UNIQUE constraint.
 */
public record TableDefinition(
    List<ColumnDefinition> columns, List<String> primaryKey, List<List<String>> uniqueKeys) {

  public TableDefinition {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    List<List<String>> copies = new ArrayList<>(uniqueKeys.size());
    for (List<String> unique : uniqueKeys) {
      copies.add(List.copyOf(unique));
    }
    uniqueKeys = List.copyOf(copies);
  }
}
