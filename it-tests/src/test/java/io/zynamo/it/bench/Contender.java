package io.zynamo.it.bench;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * One side of a comparison: a name for the results table, what it is, how to open one connection to
 * it (each benchmark thread gets its own), and the context class loader its work runs under.
 *
 * <p>The loader matters for a peer loaded in a class loader of its own (ShardingSphere): it finds
 * its plugins through {@code ServiceLoader.load(type)}, that is through the thread's context class
 * loader, also while executing statements.
 */
record Contender(
    String name, String description, Contender.Connector connector, ClassLoader contextLoader) {

  /** Opens a connection; the benchmark closes it. */
  @FunctionalInterface
  interface Connector {
    Connection open() throws SQLException;
  }

  Contender {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    requireNonNull(connector, "connector");
    requireNonNull(contextLoader, "contextLoader");
  }

  /** A contender on this class path. */
  Contender(String name, String description, Connector connector) {
    this(name, description, connector, Contender.class.getClassLoader());
  }

  /** Runs {@code work} on this thread with the contender's context class loader. */
  <T> T call(Callable<T> work) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(contextLoader);
    try {
      return work.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
