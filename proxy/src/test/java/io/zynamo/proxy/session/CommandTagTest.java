package io.zynamo.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zynamo.driver.sql.StatementKind;
import org.junit.jupiter.api.Test;

class CommandTagTest {

  @Test
  void countedCommands() {
    assertEquals("SELECT 3", CommandTag.of(StatementKind.SELECT, "SELECT 1", 3));
    assertEquals("INSERT 0 2", CommandTag.of(StatementKind.INSERT, "INSERT INTO t ...", 2));
    assertEquals("UPDATE 0", CommandTag.of(StatementKind.UPDATE, "UPDATE t SET x = 1", 0));
    assertEquals("DELETE 1", CommandTag.of(StatementKind.DELETE, "DELETE FROM t", 1));
    assertEquals(
        "SELECT 5", CommandTag.of(StatementKind.CREATE_TABLE, "CREATE TABLE t AS SELECT 1", 5));
  }

  @Test
  void namedCommands() {
    assertEquals(
        "CREATE TABLE", CommandTag.of(StatementKind.CREATE_TABLE, "create table t (id int)", -1));
    assertEquals(
        "CREATE TABLE",
        CommandTag.of(StatementKind.CREATE_TABLE, "CREATE TEMP TABLE t (id int)", -1));
    assertEquals(
        "CREATE INDEX",
        CommandTag.of(StatementKind.CREATE_INDEX, "/* c */ CREATE UNIQUE INDEX i ON t (a)", -1));
    assertEquals(
        "CREATE FUNCTION",
        CommandTag.of(StatementKind.OTHER_DDL, "CREATE OR REPLACE FUNCTION f() ...", -1));
    assertEquals(
        "CREATE MATERIALIZED VIEW",
        CommandTag.of(StatementKind.OTHER_DDL, "CREATE MATERIALIZED VIEW v AS SELECT 1", -1));
    assertEquals(
        "DROP FOREIGN DATA WRAPPER",
        CommandTag.of(StatementKind.OTHER_DDL, "DROP FOREIGN DATA WRAPPER w", -1));
    assertEquals(
        "CREATE TEXT SEARCH CONFIGURATION",
        CommandTag.of(StatementKind.OTHER_DDL, "CREATE TEXT SEARCH CONFIGURATION c (...)", -1));
    assertEquals(
        "ALTER TABLE", CommandTag.of(StatementKind.ALTER_TABLE, "ALTER TABLE t ADD c int", -1));
    assertEquals("DROP TABLE", CommandTag.of(StatementKind.DROP_TABLE, "DROP TABLE t", -1));
    assertEquals("TRUNCATE TABLE", CommandTag.of(StatementKind.TRUNCATE, "TRUNCATE t", -1));
    assertEquals("SET", CommandTag.of(StatementKind.SET, "SET zynamo.read_quorum = 1", -1));
    assertEquals("SHOW", CommandTag.of(StatementKind.SHOW, "SHOW TimeZone", -1));
    assertEquals("START TRANSACTION", CommandTag.of(StatementKind.BEGIN, "START TRANSACTION", -1));
    assertEquals("COMMIT", CommandTag.of(StatementKind.COMMIT, "END", -1));
    assertEquals("DISCARD ALL", CommandTag.of(StatementKind.OTHER, "DISCARD ALL", -1));
    assertEquals("GRANT", CommandTag.of(StatementKind.OTHER, "GRANT SELECT ON t TO u", -1));
  }
}
