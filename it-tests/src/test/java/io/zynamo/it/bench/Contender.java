package io.zynamo.it.bench;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One side of a comparison: a name for the results table, what it is, and how to open one
 * connection to it (each benchmark thread gets its own).
 */
record Contender(String name, String description, Contender.Connector connector) {

  /** Opens a connection; the benchmark closes it. */
  @FunctionalInterface
  interface Connector {
    Connection open() throws SQLException;
  }

  Contender {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(connector, "connector");
  }
}
