package io.zynamo.it;

import static io.zynamo.it.NodeSql.execute;
import static io.zynamo.it.NodeSql.executeOnEach;
import static io.zynamo.it.NodeSql.snapshot;
import static io.zynamo.it.NodeSql.string;
import static io.zynamo.it.NodeSql.strings;
import static io.zynamo.it.SchemaFixture.apply;
import static io.zynamo.it.SchemaFixture.coordinator;
import static io.zynamo.it.SchemaFixture.installOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.catalog.ApplyResult;
import io.zynamo.driver.catalog.ChangeOp;
import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes run once on a coordinator and their row images, applied to the other replicas, leave
 * identical rows: {@code now()}, {@code random()}, defaults and identities included, whatever the
 * order or number of times the images arrive.
 */
@ZynamoCluster(nodes = 3)
class RowImageReplicationIT {

  private final List<PostgresNode> nodes;
  private final PostgresNode first;
  private final PostgresNode second;
  private final PostgresNode third;

  RowImageReplicationIT(PostgresCluster cluster) {
    this.nodes = cluster.nodes();
    this.first = cluster.node(0);
    this.second = cluster.node(1);
    this.third = cluster.node(2);
  }

  @BeforeEach
  void installedEverywhere() throws SQLException {
    installOn(nodes);
  }

  @Test
  void everyKindOfWriteLeavesIdenticalReplicas() throws SQLException {
    executeOnEach(
        nodes,
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TABLE typed_rows ("
            + " id int PRIMARY KEY, label text, price numeric(12,4),"
            + " created timestamptz NOT NULL DEFAULT now(), token uuid DEFAULT gen_random_uuid(),"
            + " payload bytea, doc jsonb, tags int[], noise float8 DEFAULT random(),"
            + " feeling mood, span interval, day date, flag boolean,"
            + " serial_no bigint GENERATED ALWAYS AS IDENTITY,"
            + " label_length int GENERATED ALWAYS AS (length(label)) STORED)",
        "SELECT zynamo.shard_table('typed_rows', 'id')");
    Coordinator coordinator = coordinator(first, "n1");

    List<ChangeRecord> images;
    try (Coordinator.Transaction write = coordinator.begin(7, 1_000)) {
      List<String> inserted =
          write.query(
              "INSERT INTO typed_rows (id, label, price, payload, doc, tags, feeling, span, day,"
                  + " flag) VALUES"
                  + " (1, 'one', 1.5, '\\x00ff10', '{\"k\": [1, {\"n\": null}]}', '{1,2,3}',"
                  + "  'happy', '1 day 02:03:04.5', '2024-02-29', true),"
                  + " (2, 'two ü \"quoted\"', 12345678.1234, '', '[]', '{}', 'sad', '-3 months',"
                  + "  'infinity', false),"
                  + " (3, NULL, NULL, NULL, 'null', '{NULL,4}', NULL, NULL, NULL, NULL)"
                  + " RETURNING id");
      assertEquals(List.of("1", "2", "3"), inserted);
      write.execute(
          "INSERT INTO typed_rows (id, label) VALUES (1, 'one again'), (4, 'four')"
              + " ON CONFLICT (id) DO UPDATE SET label = excluded.label, noise = random()");
      write.execute("UPDATE typed_rows SET price = price * 2, tags = tags || 9 WHERE id = 2");
      assertEquals(
          List.of("three gone"),
          write.query(
              "DELETE FROM typed_rows WHERE id = 3 RETURNING coalesce(label, 'three gone')"));
      images = write.commit();
    }

    assertEquals(
        List.of(
            ChangeOp.INSERT,
            ChangeOp.INSERT,
            ChangeOp.INSERT, // multi-row INSERT
            ChangeOp.UPDATE,
            ChangeOp.INSERT, // ON CONFLICT: row 1 updated, row 4 new
            ChangeOp.UPDATE,
            ChangeOp.DELETE),
        images.stream().map(ChangeRecord::op).toList());
    assertEquals(new ApplyResult(4, 3), apply(second, "typed_rows", images));
    assertEquals(new ApplyResult(4, 3), apply(third, "typed_rows", images));

    List<String> expected = snapshot(first, "typed_rows");
    assertEquals(3, expected.size());
    assertEquals(expected, snapshot(second, "typed_rows"));
    assertEquals(expected, snapshot(third, "typed_rows"));
    assertEquals(1, tombstones(first, "typed_rows").size());
    assertEquals(tombstones(first, "typed_rows"), tombstones(second, "typed_rows"));
    assertEquals(tombstones(first, "typed_rows"), tombstones(third, "typed_rows"));
    assertEquals("9", string(second, "SELECT label_length FROM typed_rows WHERE id = 1"));

    assertEquals(new ApplyResult(0, 7), apply(second, "typed_rows", images));
    assertEquals(expected, snapshot(second, "typed_rows"));
    assertEquals("0", string(second, "SELECT count(*) FROM zynamo.changes"));
  }

  @Test
  void olderImageArrivingAfterANewerOneIsIgnored() throws SQLException {
    createSharded("late_rows (id int PRIMARY KEY, v text)", "id");
    Coordinator coordinator = coordinator(first, "n1");
    List<ChangeRecord> insert = coordinator.write(1, 100, "INSERT INTO late_rows VALUES (1, 'a')");
    List<ChangeRecord> update = coordinator.write(1, 200, "UPDATE late_rows SET v = 'b'");

    assertEquals(new ApplyResult(1, 0), apply(second, "late_rows", update));
    assertEquals(new ApplyResult(0, 1), apply(second, "late_rows", insert));
    assertEquals(new ApplyResult(1, 0), apply(third, "late_rows", insert));
    assertEquals(new ApplyResult(1, 0), apply(third, "late_rows", update));

    assertEquals("b 200", string(second, "SELECT v || ' ' || zynamo_version FROM late_rows"));
    assertEquals(snapshot(first, "late_rows"), snapshot(second, "late_rows"));
    assertEquals(snapshot(first, "late_rows"), snapshot(third, "late_rows"));
  }

  @Test
  void deletedRowIsNotResurrectedByALateOlderImage() throws SQLException {
    createSharded("deleted_rows (id int PRIMARY KEY, v text)", "id");
    Coordinator coordinator = coordinator(first, "n1");
    List<ChangeRecord> insert =
        coordinator.write(1, 100, "INSERT INTO deleted_rows VALUES (1, 'a')");
    List<ChangeRecord> update = coordinator.write(1, 200, "UPDATE deleted_rows SET v = 'b'");
    List<ChangeRecord> delete = coordinator.write(1, 300, "DELETE FROM deleted_rows");

    assertEquals(new ApplyResult(1, 0), apply(second, "deleted_rows", delete));
    assertEquals(new ApplyResult(0, 1), apply(second, "deleted_rows", insert));
    assertEquals(new ApplyResult(0, 1), apply(second, "deleted_rows", update));
    apply(third, "deleted_rows", insert);
    apply(third, "deleted_rows", delete);
    apply(third, "deleted_rows", update);

    for (PostgresNode node : nodes) {
      assertEquals(List.of(), snapshot(node, "deleted_rows"), node.name());
      assertEquals(
          tombstones(first, "deleted_rows"), tombstones(node, "deleted_rows"), node.name());
    }
    assertEquals(
        "300",
        string(
            third,
            "SELECT version FROM zynamo.tombstones" + " WHERE table_name = 'public.deleted_rows'"));
  }

  @Test
  void concurrentWritesOnTwoCoordinatorsConvergeOnTheLastWriter() throws SQLException {
    createSharded("contested (id int PRIMARY KEY, v text)", "id");
    Coordinator one = coordinator(first, "n1");
    Coordinator two = coordinator(second, "n2");
    List<ChangeRecord> insert = one.write(4, 100, "INSERT INTO contested VALUES (1, 'start')");
    apply(second, "contested", insert);
    apply(third, "contested", insert);

    // Neither coordinator has seen the other's write: concurrent vector clocks.
    List<ChangeRecord> later = one.write(4, 300, "UPDATE contested SET v = 'later'");
    List<ChangeRecord> earlier = two.write(4, 200, "UPDATE contested SET v = 'earlier'");
    apply(first, "contested", earlier);
    apply(second, "contested", later);
    apply(third, "contested", later);
    apply(third, "contested", earlier);
    assertConverged("contested", "later {\"n1\": 2}");

    // Equal versions: the tie goes to the clock with the greater canonical text, everywhere.
    List<ChangeRecord> tieOne = one.write(4, 500, "UPDATE contested SET v = 'tie n1'");
    List<ChangeRecord> tieTwo = two.write(4, 500, "UPDATE contested SET v = 'tie n2'");
    apply(first, "contested", tieTwo);
    apply(second, "contested", tieOne);
    apply(third, "contested", tieTwo);
    apply(third, "contested", tieOne);
    // '{"n1": 3}' (n1's write) sorts after '{"n1": 2, "n2": 1}' (n2's write).
    assertConverged("contested", "tie n1 {\"n1\": 3}");
    // Each node resolved two concurrent images (one per round); dominating ones are no conflict.
    for (PostgresNode node : List.of(first, second, third)) {
      assertEquals(
          "2",
          string(node, "SELECT resolved FROM zynamo.conflicts WHERE table_name LIKE '%contested'"));
    }
  }

  @Test
  void clockCountsWritesPerCoordinatingNode() throws SQLException {
    createSharded("counted (id int PRIMARY KEY, v int)", "id");
    Coordinator one = coordinator(first, "n1");
    Coordinator two = coordinator(second, "n2");

    apply(second, "counted", one.write(2, 10, "INSERT INTO counted VALUES (1, 1)"));
    apply(first, "counted", two.write(2, 20, "UPDATE counted SET v = 2"));
    apply(second, "counted", one.write(2, 30, "UPDATE counted SET v = 3"));
    apply(second, "counted", one.write(2, 40, "UPDATE counted SET v = 4"));

    assertEquals(
        "4 40 {\"n1\": 3, \"n2\": 1}",
        string(second, "SELECT concat_ws(' ', v, zynamo_version, zynamo_clock) FROM counted"));
    assertEquals(snapshot(first, "counted"), snapshot(second, "counted"));
    assertEquals(
        "0",
        string(first, "SELECT count(*) FROM zynamo.conflicts WHERE table_name LIKE '%counted'"));
  }

  @Test
  void referenceTableReplicatesToEveryNode() throws SQLException {
    executeOnEach(
        nodes,
        "CREATE TABLE countries (code text PRIMARY KEY, name text, added timestamptz DEFAULT now())",
        "SELECT zynamo.reference_table('countries')");
    Coordinator coordinator = coordinator(third, "n3");

    List<ChangeRecord> images =
        coordinator.write(
            -1,
            10,
            "INSERT INTO countries (code, name) VALUES ('NL', 'Netherlands'), ('BE', 'Belgium')",
            "UPDATE countries SET name = 'Nederland' WHERE code = 'NL'",
            "DELETE FROM countries WHERE code = 'BE'");
    apply(first, "countries", images);
    apply(second, "countries", images);

    List<String> expected = snapshot(third, "countries");
    assertEquals(1, expected.size());
    assertTrue(expected.get(0).contains("Nederland"), expected.get(0));
    assertEquals(expected, snapshot(first, "countries"));
    assertEquals(expected, snapshot(second, "countries"));
    assertEquals("0", string(first, "SELECT DISTINCT zynamo_bucket FROM countries"));
    SQLException direct =
        assertThrows(
            SQLException.class, () -> execute(first, "INSERT INTO countries (code) VALUES ('DE')"));
    assertEquals("ZY006", direct.getSQLState(), direct.getMessage());
  }

  @Test
  void tableWithoutPrimaryKeyReplicatesRowsByRowId() throws SQLException {
    createSharded(
        "log_lines (source text, line text, at timestamptz DEFAULT clock_timestamp())", "source");
    Coordinator coordinator = coordinator(first, "n1");

    List<ChangeRecord> images =
        coordinator.write(
            6,
            10,
            "INSERT INTO log_lines (source, line) VALUES ('app', 'same'), ('app', 'same'),"
                + " ('app', 'same'), ('app', 'other')",
            "UPDATE log_lines SET line = 'changed' WHERE ctid = (SELECT min(ctid) FROM log_lines"
                + " WHERE line = 'same')",
            "DELETE FROM log_lines WHERE ctid = (SELECT max(ctid) FROM log_lines WHERE line = 'same')");
    apply(second, "log_lines", images);
    apply(third, "log_lines", images);

    List<String> expected = snapshot(first, "log_lines");
    assertEquals(3, expected.size());
    assertEquals(expected, snapshot(second, "log_lines"));
    assertEquals(expected, snapshot(third, "log_lines"));
    assertEquals(
        List.of("changed", "other", "same"),
        strings(second, "SELECT line FROM log_lines ORDER BY line"));
  }

  @Test
  void applyingImagesBypassesTheReplicasOwnTriggers() throws SQLException {
    executeOnEach(
        nodes,
        "CREATE TABLE audited (id int PRIMARY KEY, v text, touched int NOT NULL DEFAULT 0)",
        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN NEW.touched := NEW.touched + 1; RETURN NEW; END $$",
        "CREATE TRIGGER a_touch BEFORE INSERT OR UPDATE ON audited FOR EACH ROW"
            + " EXECUTE FUNCTION touch()",
        "SELECT zynamo.shard_table('audited', 'id')");
    Coordinator coordinator = coordinator(first, "n1");

    apply(
        second,
        "audited",
        coordinator.write(
            1, 10, "INSERT INTO audited (id, v) VALUES (1, 'x')", "UPDATE audited SET v = 'y'"));

    assertEquals("2", string(second, "SELECT touched FROM audited"));
    assertEquals(snapshot(first, "audited"), snapshot(second, "audited"));
  }

  /**
   * A foreign key's check is a trigger too: the replica lacks the parent row (a plain table, on the
   * first node only), and the apply must not check it again, as for the user's own triggers.
   */
  @Test
  void applyingImagesBypassesTheReplicasForeignKeyChecks() throws SQLException {
    executeOnEach(
        nodes,
        "CREATE TABLE parents (id int PRIMARY KEY)",
        "CREATE TABLE children (id int PRIMARY KEY, parent int REFERENCES parents (id))",
        "SELECT zynamo.shard_table('children', 'id')");
    execute(first, "INSERT INTO parents VALUES (7)");
    Coordinator coordinator = coordinator(first, "n1");

    apply(second, "children", coordinator.write(1, 10, "INSERT INTO children VALUES (1, 7)"));

    assertEquals(snapshot(first, "children"), snapshot(second, "children"));
    assertEquals(List.of(), strings(second, "SELECT id FROM parents"));
  }

  private void assertConverged(String table, String expectedRow) throws SQLException {
    List<String> expected = snapshot(first, table);
    for (PostgresNode node : nodes) {
      assertEquals(expected, snapshot(node, table), node.name());
      assertEquals(
          expectedRow, string(node, "SELECT v || ' ' || zynamo_clock FROM " + table), node.name());
    }
    assertFalse(expected.isEmpty());
  }

  private void createSharded(String definition, String shardColumn) throws SQLException {
    SchemaFixture.createSharded(nodes, definition, shardColumn);
  }

  private static List<String> tombstones(PostgresNode node, String table) throws SQLException {
    return strings(
        node,
        "SELECT concat_ws(' ', rowid, bucket, version, clock) FROM zynamo.tombstones"
            + " WHERE table_name = 'public."
            + table
            + "' ORDER BY rowid");
  }
}
