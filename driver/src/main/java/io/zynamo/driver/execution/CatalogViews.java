package io.zynamo.driver.execution;

import io.zynamo.driver.sql.SqlFrontend;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Catalog queries as for one database holding only the user's tables: each reference to a catalog
 * relation that would show Zynamo's own objects (the zynamo schema, the internal zynamo_* columns,
 * indexes and triggers) points at its view in the zynamo schema instead (node schema file
 * 006-catalog-views.sql), which leaves them out and keeps everything else, OIDs included.
 */
final class CatalogViews {

  private static final List<String> PG_CATALOG =
      List.of(
          "pg_namespace",
          "pg_class",
          "pg_attribute",
          "pg_attrdef",
          "pg_index",
          "pg_trigger",
          "pg_proc",
          "pg_type",
          "pg_constraint",
          "pg_sequence",
          "pg_tables",
          "pg_indexes",
          "pg_sequences",
          "pg_views");

  private static final List<String> INFORMATION_SCHEMA =
      List.of(
          "schemata",
          "tables",
          "views",
          "columns",
          "routines",
          "parameters",
          "triggers",
          "sequences",
          "table_constraints",
          "check_constraints",
          "key_column_usage",
          "constraint_column_usage");

  private static final Map<String, String> VIEWS = views();

  private CatalogViews() {}

  private static Map<String, String> views() {
    Map<String, String> views = new HashMap<>();
    PG_CATALOG.forEach(name -> views.put("pg_catalog." + name, "zynamo." + name));
    INFORMATION_SCHEMA.forEach(
        name -> views.put("information_schema." + name, "zynamo.information_schema_" + name));
    return Map.copyOf(views);
  }

  /** {@code sql} reading the views instead of the catalog relations they stand for. */
  static String hideInternals(SqlFrontend frontend, String sql) {
    String lower = sql.toLowerCase(Locale.ROOT);
    if (!lower.contains("pg_") && !lower.contains("information_schema")) {
      return sql; // the common case, without lexing
    }
    return frontend.catalogViews(sql, VIEWS);
  }
}
