package io.zynamo.driver.sql;

/** What a statement does, as far as routing cares; named after the leading PostgreSQL command. */
public enum StatementKind {
  /** {@code SELECT}, {@code VALUES}, {@code TABLE t}, and {@code WITH ... SELECT}. */
  SELECT,
  INSERT,
  UPDATE,
  DELETE,
  /** {@code MERGE INTO}: a write over a join, never routed by key. */
  MERGE,
  /** {@code CREATE TABLE}, also {@code CREATE TABLE AS} and {@code SELECT ... INTO}. */
  CREATE_TABLE,
  ALTER_TABLE,
  DROP_TABLE,
  CREATE_INDEX,
  DROP_INDEX,
  TRUNCATE,
  /** Other catalog changes: {@code CREATE/ALTER/DROP SCHEMA, VIEW, SEQUENCE, FUNCTION...}. */
  OTHER_DDL,
  SET,
  SHOW,
  RESET,
  /** {@code BEGIN} and {@code START TRANSACTION}. */
  BEGIN,
  /** {@code COMMIT} and {@code END}. */
  COMMIT,
  /** {@code ROLLBACK} and {@code ABORT}: the transaction ends. */
  ROLLBACK,
  /** {@code ROLLBACK TO [SAVEPOINT] s}: the transaction goes on. */
  ROLLBACK_TO_SAVEPOINT,
  SAVEPOINT,
  /** {@code RELEASE [SAVEPOINT] s}. */
  RELEASE,
  EXPLAIN,
  COPY,
  /** {@code VACUUM}, {@code ANALYZE} and {@code CHECKPOINT}: upkeep of each node's own storage. */
  MAINTENANCE,
  /** {@code CALL p()} and the JDBC escape {@code {call p()}}. */
  CALL,
  /** {@code DO $$ ... $$}. */
  DO,
  /** Nothing but blanks, comments and semicolons: PostgreSQL answers EmptyQueryResponse. */
  EMPTY,
  /** Anything else, including text that is not valid SQL (the node reports the error). */
  OTHER
}
