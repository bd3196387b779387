package io.zynamo.driver.sql;

/** A routing-relevant clause or property present in a statement. */
public enum Trait {
  /** The text holds several statements; see {@link SqlFrontend#split(String)}. */
  MULTI_STATEMENT,
  /** {@code INSERT ... ON CONFLICT ... DO NOTHING}. */
  ON_CONFLICT_DO_NOTHING,
  /** {@code INSERT ... ON CONFLICT ... DO UPDATE SET}: its columns join the set columns. */
  ON_CONFLICT_DO_UPDATE,
  /** {@code RETURNING}. */
  RETURNING,
  /** {@code INSERT ... SELECT} (or any query source other than a plain {@code VALUES} list). */
  INSERT_SELECT,
  /** {@code INSERT ... DEFAULT VALUES}. */
  DEFAULT_VALUES,
  /** {@code FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE}. */
  ROW_LOCKING,
  /** A CTE holding {@code INSERT}, {@code UPDATE}, {@code DELETE} or {@code MERGE}. */
  DATA_MODIFYING_CTE,
  /** {@code WHERE CURRENT OF cursor}. */
  CURRENT_OF,
  /** {@code CREATE TABLE ... AS} or {@code SELECT ... INTO}: columns come from a query. */
  CREATE_AS,
  /**
   * The column list is not all in the text: {@code LIKE}, {@code OF type}, {@code PARTITION OF},
   * {@code INHERITS}.
   */
  INCOMPLETE_DEFINITION,
  /** {@code TEMP}/{@code TEMPORARY}: a session-local object. */
  TEMPORARY,
  /** {@code IF EXISTS}. */
  IF_EXISTS,
  /** {@code IF NOT EXISTS}. */
  IF_NOT_EXISTS,
  /** {@code CREATE UNIQUE INDEX}. */
  UNIQUE,
  /** {@code EXPLAIN ANALYZE}: the explained statement really runs. */
  EXPLAIN_ANALYZE,
  /** {@code COPY ... FROM}: rows flow into the table. */
  COPY_FROM,
  /** {@code COPY ... TO}: rows flow out. */
  COPY_TO
}
