package io.zynamo.driver.sql;

import static java.util.Objects.requireNonNull;

/**
 * One column of a CREATE TABLE: its normalized name and its declared type as written, with keywords
 * lower-cased and blanks collapsed ({@code varchar(20)}, {@code timestamp with time zone}).
 */
public record ColumnDefinition(String name, String type) {

  public ColumnDefinition {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
  }
}
