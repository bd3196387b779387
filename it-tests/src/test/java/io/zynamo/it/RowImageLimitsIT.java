package io.zynamo.it;

import static io.zynamo.it.NodeSql.snapshot;
import static io.zynamo.it.NodeSql.string;
import static io.zynamo.it.SchemaFixture.apply;
import static io.zynamo.it.SchemaFixture.coordinator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zynamo.driver.catalog.ChangeRecord;
import io.zynamo.proxy.embedded.PostgresCluster;
import io.zynamo.proxy.embedded.PostgresNode;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Known limits of row-image replication, pinned so that a change to them is noticed. */
@ZynamoCluster(nodes = 2)
class RowImageLimitsIT {

  private final List<PostgresNode> nodes;
  private final PostgresNode first;
  private final PostgresNode second;

  RowImageLimitsIT(PostgresCluster cluster) {
    this.nodes = cluster.nodes();
    this.first = cluster.node(0);
    this.second = cluster.node(1);
  }

  @BeforeEach
  void installedEverywhere() throws SQLException {
    SchemaFixture.installOn(nodes);
  }

  /**
   * Known limit: a key deleted and inserted again gets a new row id, so if the insert reaches a
   * replica before the deletion of its predecessor, the replica's own unique index refuses it. The
   * batch fails whole (nothing applied) and succeeds once the deletion has arrived.
   */
  @Test
  void reinsertedKeyArrivingBeforeItsPredecessorsDeletionFailsUntilTheDeletionArrives()
      throws SQLException {
    SchemaFixture.createSharded(nodes, "reused_keys (id int PRIMARY KEY, v text)", "id");
    Coordinator coordinator = coordinator(first, "n1");
    apply(
        second,
        "reused_keys",
        coordinator.write(1, 10, "INSERT INTO reused_keys VALUES (1, 'old')"));
    List<ChangeRecord> delete = coordinator.write(1, 20, "DELETE FROM reused_keys");
    List<ChangeRecord> reinsert =
        coordinator.write(1, 30, "INSERT INTO reused_keys VALUES (1, 'new')");

    SQLException refused =
        assertThrows(SQLException.class, () -> apply(second, "reused_keys", reinsert));
    assertEquals("23505", refused.getSQLState(), refused.getMessage());
    assertEquals("old", string(second, "SELECT v FROM reused_keys"));

    apply(second, "reused_keys", delete);
    apply(second, "reused_keys", reinsert);
    assertEquals(snapshot(first, "reused_keys"), snapshot(second, "reused_keys"));
  }

  /**
   * Known limit: images are jsonb, so what jsonb cannot say is normalized on replicas: json text
   * (whitespace, key order, duplicate keys), array lower bounds, and the sign of float zero.
   */
  @Test
  void valuesJsonbCannotExpressAreNormalizedOnReplicas() throws SQLException {
    SchemaFixture.createSharded(
        nodes, "lossy (id int PRIMARY KEY, raw json, shifted int[], zero float8)", "id");
    Coordinator coordinator = coordinator(first, "n1");

    apply(
        second,
        "lossy",
        coordinator.write(
            1, 10, "INSERT INTO lossy VALUES (1, '{\"b\": 1,  \"a\": 2}', '[0:1]={7,8}', '-0')"));

    assertEquals(
        "{\"b\": 1,  \"a\": 2} [0:1]={7,8} -0",
        string(first, "SELECT concat_ws(' ', raw, shifted, zero) FROM lossy"));
    assertEquals(
        "{\"a\": 2, \"b\": 1} {7,8} 0",
        string(second, "SELECT concat_ws(' ', raw, shifted, zero) FROM lossy"));
  }
}
