package io.zynamo.driver.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.sql.ObjectName;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.KeyHasher;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RouterTest {

  private static final KeyHasher HASHER = new KeyHasher(8);
  private static final TableCatalog CATALOG =
      new TableCatalog(
          List.of(
              TableDistribution.sharded(
                  new ObjectName("public", "users"), "id", "bigint", List.of("id", "name")),
              TableDistribution.sharded(
                  new ObjectName("app", "events"), "user_id", "uuid", List.of("user_id", "at")),
              TableDistribution.reference(
                  new ObjectName("public", "countries"), List.of("code", "name")),
              TableDistribution.sharded(
                  new ObjectName("public", "pg_things"), "id", "bigint", List.of("id"))));

  private final SqlFrontend frontend = new SqlFrontend();
  private final Router router = new Router(CATALOG, HASHER);

  private RoutePlan route(String sql, @Nullable Object... parameters) throws SQLException {
    return router.route(frontend.parse(sql), Arrays.asList(parameters));
  }

  private static BucketId bucketOf(Object key) {
    return HASHER.bucketOf(key);
  }

  private BucketId singleBucket(String sql, @Nullable Object... parameters) throws SQLException {
    return assertInstanceOf(RoutePlan.SingleBucket.class, route(sql, parameters)).bucket();
  }

  @Test
  void keyStatementsRouteToTheKeysBucket() throws SQLException {
    assertEquals(bucketOf(42L), singleBucket("SELECT * FROM users WHERE id = 42"));
    assertEquals(bucketOf(42L), singleBucket("SELECT name FROM users u WHERE u.id = ?", 42));
    assertEquals(bucketOf(42L), singleBucket("UPDATE users SET name = 'x' WHERE id = $1", "42"));
    assertEquals(bucketOf(42L), singleBucket("DELETE FROM users WHERE name = 'a' AND id = 42"));
    assertEquals(bucketOf(7L), singleBucket("INSERT INTO users (name, id) VALUES ('a', 7)"));
    assertEquals(bucketOf(7L), singleBucket("INSERT INTO users VALUES (7, 'a') RETURNING *"));
    assertEquals(
        bucketOf(7L),
        singleBucket(
            "INSERT INTO users (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name ="
                + " excluded.name",
            7L,
            "a"));
  }

  @Test
  void keysAreConvertedToTheColumnTypeBeforeHashing() throws SQLException {
    UUID user = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    assertEquals(
        bucketOf(user), singleBucket("SELECT * FROM app.events WHERE user_id = '" + user + "'"));
    assertEquals(bucketOf(user), singleBucket("SELECT * FROM app.events WHERE user_id = ?", user));
    assertEquals(bucketOf(5L), singleBucket("SELECT * FROM users WHERE id = 5.0"));
  }

  @Test
  void ddlGoesEverywhereAndReferenceReadsAnywhere() throws SQLException {
    assertInstanceOf(RoutePlan.AllNodes.class, route("CREATE TABLE t (id int PRIMARY KEY)"));
    assertInstanceOf(RoutePlan.AllNodes.class, route("CREATE INDEX ON users (name)"));
    assertInstanceOf(RoutePlan.AnyNode.class, route("SELECT * FROM countries"));
    assertInstanceOf(RoutePlan.AnyNode.class, route("SELECT 1"));
    RoutePlan write = route("INSERT INTO countries VALUES ('FR', 'France')");
    assertEquals(
        "countries", assertInstanceOf(RoutePlan.AllNodes.class, write).write().table().name());
  }

  @Test
  void changingTheShardKeyIsRefused() {
    SQLException e =
        assertThrows(SQLException.class, () -> route("UPDATE users SET id = 8 WHERE id = 7"));
    assertEquals("ZY004", e.getSQLState());
    assertTrue(e.getMessage().contains("\"id\""), e.getMessage());
  }

  @Test
  void queriesWithoutAUsableKeyScanTheirShardedTables() throws SQLException {
    RoutePlan.Coverage scan =
        assertInstanceOf(RoutePlan.Coverage.class, route("SELECT count(*) FROM users"));
    assertEquals(List.of("users"), scan.sharded().stream().map(t -> t.table().name()).toList());
    assertInstanceOf(RoutePlan.Coverage.class, route("SELECT * FROM users WHERE id = 1 OR id = 2"));
    RoutePlan.Coverage join =
        assertInstanceOf(
            RoutePlan.Coverage.class,
            route("SELECT * FROM users u JOIN countries c ON true JOIN app.events e ON true"));
    assertEquals(
        List.of("users", "events"), join.sharded().stream().map(t -> t.table().name()).toList());
  }

  @Test
  void systemCatalogQueriesRunOnOneNodeButAUsersPgTableIsScanned() throws SQLException {
    assertInstanceOf(RoutePlan.AnyNode.class, route("SELECT relname FROM pg_class"));
    assertInstanceOf(
        RoutePlan.AnyNode.class,
        route("SELECT * FROM information_schema.tables t JOIN pg_catalog.pg_namespace n ON true"));
    assertInstanceOf(RoutePlan.Coverage.class, route("SELECT count(*) FROM pg_things"));
    assertInstanceOf(
        RoutePlan.Admin.class, route("SELECT * FROM zynamo.nodes JOIN countries ON true"));
  }

  @Test
  void keylessUpdatesAndDeletesOfOneTableRunPerBucket() throws SQLException {
    assertInstanceOf(RoutePlan.AllBuckets.class, route("UPDATE users SET name = 'x'"));
    assertInstanceOf(
        RoutePlan.AllBuckets.class, route("DELETE FROM users u WHERE u.name = ? RETURNING *", "a"));
    // A subquery would see only one node's rows in each bucket's piece.
    assertState("0A000", "UPDATE users SET name = (SELECT max(name) FROM users)");
    assertState("0A000", "DELETE FROM users WHERE name IN (SELECT name FROM app.events)");
  }

  @Test
  void whatCannotBeRoutedExactlyFailsByName() {
    assertState("0A000", "SELECT * FROM users FOR UPDATE");
    assertState("42P01", "SELECT * FROM unknown_table WHERE id = 1");
    assertState("ZY002", "INSERT INTO users (id, name) VALUES (DEFAULT, 'a')");
    assertState("ZY002", "INSERT INTO users (id, name) VALUES (1 + 1, 'a')");
  }

  @Test
  void keysInSeveralBucketsSplitIntoOnePartPerBucketInTextOrder() throws SQLException {
    long other = otherBucketThan(2L);
    RoutePlan.MultiBucket plan =
        assertInstanceOf(
            RoutePlan.MultiBucket.class,
            route("INSERT INTO users VALUES (2, 'a'), (" + other + ", 'b'), (2, 'c')"));
    assertEquals(2, plan.parts().size());
    assertEquals(
        new RoutePlan.Part(bucketOf(2L), List.of(2L, 2L), List.of(0, 2)), plan.parts().get(0));
    assertEquals(
        new RoutePlan.Part(bucketOf(other), List.of(other), List.of(1)), plan.parts().get(1));
    RoutePlan.MultiBucket in =
        assertInstanceOf(
            RoutePlan.MultiBucket.class,
            route("DELETE FROM users WHERE id IN (?, ?) AND name = 'x'", other, 2L));
    assertEquals(
        List.of(bucketOf(other), bucketOf(2L)), in.parts().stream().map(p -> p.bucket()).toList());
    assertEquals(
        bucketOf(2L), singleBucket("SELECT * FROM users WHERE id IN (2, 2) AND id = " + other));
  }

  private static long otherBucketThan(long key) {
    long other = key + 1;
    while (bucketOf(other).equals(bucketOf(key))) {
      other++;
    }
    return other;
  }

  @Test
  void aMissingParameterIsAnError() {
    SQLException e =
        assertThrows(SQLException.class, () -> route("SELECT * FROM users WHERE id = $2", 1));
    assertEquals("22023", e.getSQLState());
  }

  private void assertState(String state, String sql) {
    SQLException e = assertThrows(SQLException.class, () -> route(sql), sql);
    assertEquals(state, e.getSQLState(), sql + ": " + e.getMessage());
  }
}
