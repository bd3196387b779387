package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.HostId;
import io.zynamo.ring.NodeId;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class MoveCallTest {

  @Test
  void readsTheNodeAndTheNamedOptions() throws SQLException {
    MoveCall add =
        MoveCall.parse(
                "select * from zynamo.add_node('10.0.0.7:5433', host => 'rack-2', weight => 200);")
            .orElseThrow();
    assertEquals("add_node", add.function());
    assertEquals(new NodeId("10.0.0.7:5433/app"), add.nodeIn("app"));
    assertEquals(new HostId("rack-2"), add.host(add.nodeIn("app")));
    assertEquals(200, add.weight());

    MoveCall remove =
        MoveCall.parse("SELECT zynamo.remove_node('db-3:5432/other', force => true)").orElseThrow();
    assertEquals(new NodeId("db-3:5432/other"), remove.nodeIn("app"));
    assertTrue(remove.force());
    assertFalse(MoveCall.parse("SELECT zynamo.remove_node('db-3:5432')").orElseThrow().force());
    assertEquals(
        "pause_move", MoveCall.parse("SELECT zynamo.pause_move()").orElseThrow().function());
    assertTrue(MoveCall.parse("SELECT zynamo.repair()").isEmpty());
  }

  @Test
  void refusesWhatItCannotRead() throws SQLException {
    assertEquals("42601", state("SELECT zynamo.add_node()"));
    assertEquals("42601", state("SELECT zynamo.add_node('a:1', 'b:2')"));
    assertEquals("42601", state("SELECT zynamo.add_node(weight => 2, 'a:1')"));
    assertEquals("42601", state("SELECT zynamo.add_node('a:1'; DROP TABLE t)"));
    assertEquals("42P02", state("SELECT zynamo.remove_node('a:1', weight => 2)"));
    assertEquals("42601", state("SELECT zynamo.pause_move('a:1')"));
    assertEquals(
        "22023",
        assertThrows(
                SQLException.class,
                () ->
                    MoveCall.parse("SELECT zynamo.add_node('a:1', weight => 0)")
                        .orElseThrow()
                        .weight())
            .getSQLState());
    assertEquals(
        "22023",
        assertThrows(
                SQLException.class,
                () -> MoveCall.parse("SELECT zynamo.add_node('nohost')").orElseThrow().nodeIn("db"))
            .getSQLState());
    assertEquals(
        "22023",
        assertThrows(
                SQLException.class,
                () ->
                    MoveCall.parse("SELECT zynamo.add_node('h:99999')").orElseThrow().nodeIn("db"))
            .getSQLState());
  }

  private static String state(String sql) {
    return assertThrows(SQLException.class, () -> MoveCall.parse(sql)).getSQLState();
  }
}
