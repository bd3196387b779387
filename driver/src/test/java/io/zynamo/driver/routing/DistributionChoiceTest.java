package io.zynamo.driver.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.driver.sql.SqlFrontend;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistributionChoiceTest {

  private final SqlFrontend frontend = new SqlFrontend();

  private TableDistribution choose(String sql) throws SQLException {
    return DistributionChoice.forCreate(frontend.parse(sql));
  }

  @Test
  void shardsByThePrimaryKeysFirstColumn() throws SQLException {
    TableDistribution d =
        choose("CREATE TABLE orders (note text, tenant int, id bigint, PRIMARY KEY (tenant, id))");
    assertEquals("tenant", d.shardColumn());
    assertEquals("int", d.shardType());
    assertEquals("public", d.table().schema());
    assertEquals(List.of("note", "tenant", "id"), d.columns());
  }

  @Test
  void shardsByTheFirstColumnWithoutAPrimaryKey() throws SQLException {
    TableDistribution d = choose("CREATE TABLE app.log (at timestamptz, line text)");
    assertEquals("at", d.shardColumn());
    assertEquals("app", d.table().schema());
  }

  @Test
  void uniqueConstraintsMustIncludeTheShardKey() throws SQLException {
    choose("CREATE TABLE u (id int PRIMARY KEY, email text, UNIQUE (id, email))");
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> choose("CREATE TABLE u (id int PRIMARY KEY, email text UNIQUE)"));
    assertEquals("ZY005", e.getSQLState());
    assertTrue(e.getMessage().contains("\"id\""), e.getMessage());
  }

  @Test
  void tablesWithoutAColumnListAreNotYetSupported() {
    SQLException e =
        assertThrows(SQLException.class, () -> choose("CREATE TABLE c AS SELECT 1 AS x"));
    assertEquals("0A000", e.getSQLState());
  }
}
