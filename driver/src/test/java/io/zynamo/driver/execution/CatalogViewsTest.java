package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.zynamo.driver.sql.SqlFrontend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogViewsTest {

  private final SqlFrontend frontend = new SqlFrontend();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM pg_catalog.pg_class c | SELECT * FROM zynamo.pg_class c",
        "SELECT relname FROM pg_class | SELECT relname FROM zynamo.pg_class",
        "select * from PG_CATALOG.PG_NAMESPACE n | select * from zynamo.pg_namespace n",
        "SELECT * FROM information_schema.columns | SELECT * FROM zynamo.information_schema_columns",
        "SELECT pg_class.oid FROM pg_class | SELECT pg_class.oid FROM zynamo.pg_class",
        "SELECT pg_catalog.pg_class.oid FROM pg_catalog.pg_class"
            + " | SELECT pg_catalog.pg_class.oid FROM zynamo.pg_class",
        "SELECT 1 AS pg_class | SELECT 1 AS pg_class",
        "SELECT 'pg_catalog.pg_class'::regclass | SELECT 'pg_catalog.pg_class'::regclass",
        "SELECT * FROM pg_catalog.pg_am | SELECT * FROM pg_catalog.pg_am",
        "SELECT * FROM public.pg_class | SELECT * FROM public.pg_class",
        "SELECT pg_catalog.pg_table_is_visible(c.oid) FROM pg_catalog.pg_class c"
            + " | SELECT pg_catalog.pg_table_is_visible(c.oid) FROM zynamo.pg_class c",
        "SELECT * FROM \"pg_catalog\".\"pg_attribute\" | SELECT * FROM zynamo.pg_attribute",
      })
  void catalogRelationsReadTheirViews(String sql, String expected) {
    assertEquals(expected, CatalogViews.hideInternals(frontend, sql));
  }

  @ParameterizedTest
  @CsvSource({"SELECT 1", "SELECT * FROM orders WHERE id = ?"})
  void otherStatementsAreLeftAsTheyAre(String sql) {
    assertSame(sql, CatalogViews.hideInternals(frontend, sql));
  }
}
