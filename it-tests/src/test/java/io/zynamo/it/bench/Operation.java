package io.zynamo.it.bench;

/** What a table of results measures: a title and the statement (or command) timed. */
interface Operation {

  String title();

  /** The SQL or command line, shown in the table's caption. */
  String sql();

  /** What runs the operation concurrently: one "thread" of a JDBC benchmark, a pgbench "client". */
  default String worker() {
    return "thread";
  }
}
