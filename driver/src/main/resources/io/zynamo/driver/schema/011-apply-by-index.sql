-- Zynamo node schema, version 11: a one-row zynamo.apply costs a fraction of what it did.
--
-- - zynamo.count_conflicts finds the stored rows by their rowid index. Version 2 joined the images
--   (jsonb_array_elements, which the planner guesses at 100 rows) with the table on zynamo_rowid,
--   so on a table of some ten thousand rows it chose a hash join over a scan of the whole table:
--   every apply of a one-row write read the table (about 3 ms at 10,000 rows, growing with the
--   table until an index probe per guessed image is cheaper). The rowids now also go in as an
--   array, which the planner matches with the rowid index for what it is.
-- - zynamo.table_name, zynamo.first_malformed and zynamo.concurrent, which every apply calls, are
--   PL/pgSQL instead of SQL: a SQL function with a SET clause is never inlined, and PostgreSQL
--   plans its query anew on every call (0.1-0.2 ms each), where PL/pgSQL keeps the plan for the
--   session. Same answers.
CREATE OR REPLACE FUNCTION zynamo.table_name(t regclass) RETURNS text
LANGUAGE plpgsql STABLE STRICT SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (SELECT format('%I.%I', n.nspname, c.relname)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.oid = t);
END
$$;

CREATE OR REPLACE FUNCTION zynamo.first_malformed(images jsonb, tbl text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (
    SELECT min(e.ordinality) FROM jsonb_array_elements(images) WITH ORDINALITY e
    WHERE NOT coalesce(
      jsonb_typeof(e.value) = 'object'
      AND e.value ->> 'op' IN ('I', 'U', 'D')
      AND (NOT e.value ? 'table' OR e.value ->> 'table' = tbl)
      AND jsonb_typeof(e.value -> 'image') = 'object'
      AND jsonb_typeof(e.value -> 'image' -> 'zynamo_rowid') = 'string'
      AND jsonb_typeof(e.value -> 'image' -> 'zynamo_bucket') = 'number'
      AND jsonb_typeof(e.value -> 'image' -> 'zynamo_version') = 'number'
      AND jsonb_typeof(e.value -> 'image' -> 'zynamo_clock') = 'object', false));
END
$$;

CREATE OR REPLACE FUNCTION zynamo.concurrent(a jsonb, b jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (
    SELECT coalesce(bool_or(coalesce((a ->> k)::bigint, 0) > coalesce((b ->> k)::bigint, 0)), false)
       AND coalesce(bool_or(coalesce((b ->> k)::bigint, 0) > coalesce((a ->> k)::bigint, 0)), false)
    FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) AS keys(k));
END
$$;

CREATE OR REPLACE FUNCTION zynamo.count_conflicts(t regclass, tbl text, images jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  found integer;
BEGIN
  EXECUTE format($sql$
    SELECT count(*)::integer FROM jsonb_array_elements($1) e
    JOIN %s cur ON cur.zynamo_rowid = (e.value -> 'image' ->> 'zynamo_rowid')::uuid
    WHERE cur.zynamo_rowid = ANY ($2)
      AND zynamo.concurrent(cur.zynamo_clock, e.value -> 'image' -> 'zynamo_clock')
    $sql$, t)
  INTO found
  USING images,
        ARRAY(SELECT (e.value -> 'image' ->> 'zynamo_rowid')::uuid
              FROM jsonb_array_elements(images) e);
  IF found > 0 THEN
    INSERT INTO zynamo.conflicts AS c (table_name, resolved, last_resolved)
    VALUES (tbl, found, now())
    ON CONFLICT (table_name) DO UPDATE
      SET resolved = c.resolved + EXCLUDED.resolved, last_resolved = EXCLUDED.last_resolved;
  END IF;
  RETURN found;
END
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (11, '011-apply-by-index.sql')
ON CONFLICT (version) DO NOTHING;
