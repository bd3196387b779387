package io.zynamo.driver.sql;

/** The outcome of reading one statement with Calcite as well, with a human-readable detail. */
record CrossCheck(Verdict verdict, String detail) {

  /** How Calcite's reading compares. */
  enum Verdict {
    /** Calcite parsed it and derived the same facts. */
    AGREES,
    /** Calcite parsed it but derived other facts: a bug in one of the two readings. */
    DISAGREES,
    /** Calcite parsed it; its tree holds constructs the comparison does not derive facts from. */
    PARSED,
    /** Calcite's parser rejected it. */
    REJECTED,
    /** Not tried: the text uses PostgreSQL syntax Calcite misreads, or is not one statement. */
    NOT_TRIED
  }
}
