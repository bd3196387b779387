package io.zynamo.it.bench;

import java.util.List;

/** A pgbench built-in script, run with {@code -M prepared}. */
enum PgbenchScript implements Operation {
  SELECT_ONLY("pgbench select-only", "-S"),
  TPCB_LIKE("pgbench TPC-B-like", "");

  private final String title;
  private final String option;

  PgbenchScript(String title, String option) {
    this.title = title;
    this.option = option;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String sql() {
    return String.join(" ", Pgbench.scriptOptions(this));
  }

  @Override
  public String worker() {
    return "client";
  }

  /** The options that choose the script (none for the default TPC-B-like one). */
  List<String> options() {
    return option.isEmpty() ? List.of() : List.of(option);
  }
}
