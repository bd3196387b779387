-- Zynamo node schema, version 11: zynamo.count_conflicts finds the stored rows by their rowid index.
--
-- Version 2 joined the images (jsonb_array_elements, which the planner guesses at 100 rows) with
-- the table on zynamo_rowid, so on a table of some ten thousand rows it chose a hash join over a
-- scan of the whole table: every apply of a one-row write read the table (about 3 ms at 10,000
-- rows, growing with the table until an index probe per guessed image is cheaper). The rowids now
-- also go in as an array, which the planner matches with the rowid index for what it is.
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
