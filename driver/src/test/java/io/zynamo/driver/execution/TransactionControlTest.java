package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zynamo.driver.execution.TransactionControl.Begin;
import io.zynamo.driver.execution.TransactionControl.Commit;
import io.zynamo.driver.execution.TransactionControl.Release;
import io.zynamo.driver.execution.TransactionControl.Rollback;
import io.zynamo.driver.execution.TransactionControl.RollbackTo;
import io.zynamo.driver.execution.TransactionControl.Savepoint;
import io.zynamo.driver.execution.TransactionControl.SetLocal;
import io.zynamo.driver.execution.TransactionControl.SetTransaction;
import io.zynamo.driver.execution.TransactionControl.TwoPhase;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransactionControlTest {

  private static Optional<TransactionControl.Command> parse(String sql) {
    return TransactionControl.parse(sql);
  }

  @Test
  void beginInEverySpellingWithItsModes() {
    assertEquals(Optional.of(new Begin("")), parse("BEGIN"));
    assertEquals(Optional.of(new Begin("")), parse("  begin work ;"));
    assertEquals(Optional.of(new Begin("")), parse("START TRANSACTION"));
    assertEquals(
        Optional.of(new Begin("ISOLATION LEVEL REPEATABLE READ READ ONLY")),
        parse("begin isolation level repeatable   read read only"));
    assertEquals(
        Optional.of(new Begin("READ WRITE, ISOLATION LEVEL SERIALIZABLE")),
        parse("START TRANSACTION READ WRITE, ISOLATION LEVEL SERIALIZABLE;"));
    assertEquals(Optional.empty(), parse("BEGIN ISOLATION LEVEL SOMETIMES"));
  }

  @Test
  void commitRollbackAndChains() {
    assertEquals(Optional.of(new Commit(false)), parse("COMMIT"));
    assertEquals(Optional.of(new Commit(false)), parse("end transaction;"));
    assertEquals(Optional.of(new Commit(true)), parse("COMMIT AND CHAIN"));
    assertEquals(Optional.of(new Commit(false)), parse("COMMIT AND NO CHAIN"));
    assertEquals(Optional.of(new Rollback(false)), parse("abort"));
    assertEquals(Optional.of(new Rollback(true)), parse("ROLLBACK WORK AND CHAIN"));
  }

  @Test
  void savepointNamesFoldAsPostgresqlFoldsIdentifiers() {
    assertEquals(Optional.of(new Savepoint("sp1")), parse("SAVEPOINT Sp1"));
    assertEquals(Optional.of(new Savepoint("sp1")), parse("SAVEPOINT \"sp1\""));
    assertEquals(Optional.of(new Savepoint("\"Sp 1\"")), parse("SAVEPOINT \"Sp 1\""));
    assertEquals(Optional.of(new RollbackTo("sp1")), parse("ROLLBACK TO SP1"));
    assertEquals(
        Optional.of(new RollbackTo("sp1")), parse("rollback transaction to savepoint sp1"));
    assertEquals(Optional.of(new Release("sp1")), parse("RELEASE sp1"));
    assertEquals(Optional.of(new Release("sp1")), parse("RELEASE SAVEPOINT sp1;"));
  }

  @Test
  void settingsAndTwoPhaseCommands() {
    assertEquals(
        Optional.of(new SetTransaction("ISOLATION LEVEL READ COMMITTED")),
        parse("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"));
    assertEquals(
        Optional.of(new SetLocal("SET LOCAL lock_timeout = '2s'")),
        parse("SET LOCAL lock_timeout = '2s';"));
    assertEquals(Optional.empty(), parse("SET lock_timeout = '2s'"));
    assertEquals(Optional.empty(), parse("SET LOCAL a = '1'; DROP TABLE t"));
    assertEquals(
        Optional.of(new TwoPhase("PREPARE TRANSACTION")), parse("prepare transaction 'x'"));
    assertEquals(Optional.of(new TwoPhase("COMMIT PREPARED")), parse("COMMIT PREPARED 'x'"));
    assertEquals(Optional.empty(), parse("SELECT 1"));
    assertEquals(Optional.empty(), parse("COMMIT; DROP TABLE t"));
  }
}
