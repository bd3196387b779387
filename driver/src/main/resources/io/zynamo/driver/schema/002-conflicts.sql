-- Zynamo node schema, version 2: conflicts are counted.
--
-- A conflict is an image whose vector clock is concurrent with the clock of the row this node
-- holds (neither happened before the other: two coordinators wrote the row without seeing each
-- other's write). Last-writer-wins resolves it as before (zynamo.apply); this version counts
-- each one, per table, on the node that resolved it.

CREATE TABLE IF NOT EXISTS zynamo.conflicts (
  table_name text PRIMARY KEY,
  resolved bigint NOT NULL,
  last_resolved timestamptz NOT NULL
);

-- Whether vector clocks a and b are concurrent: each has an entry greater than the other's
-- (a missing entry counts as 0). Equal clocks are not concurrent.
CREATE OR REPLACE FUNCTION zynamo.concurrent(a jsonb, b jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT coalesce(bool_or(coalesce((a ->> k)::bigint, 0) > coalesce((b ->> k)::bigint, 0)), false)
     AND coalesce(bool_or(coalesce((b ->> k)::bigint, 0) > coalesce((a ->> k)::bigint, 0)), false)
  FROM (SELECT jsonb_object_keys(a) UNION SELECT jsonb_object_keys(b)) AS keys(k)
$$;

-- Counts the images of a batch for t whose clock is concurrent with the stored row's, into
-- zynamo.conflicts; returns how many.
CREATE OR REPLACE FUNCTION zynamo.count_conflicts(t regclass, tbl text, images jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  found integer;
BEGIN
  EXECUTE format($sql$
    SELECT count(*)::integer FROM jsonb_array_elements($1) e
    JOIN %s cur ON cur.zynamo_rowid = (e.value -> 'image' ->> 'zynamo_rowid')::uuid
    WHERE zynamo.concurrent(cur.zynamo_clock, e.value -> 'image' -> 'zynamo_clock')
    $sql$, t)
  INTO found USING images;
  IF found > 0 THEN
    INSERT INTO zynamo.conflicts AS c (table_name, resolved, last_resolved)
    VALUES (tbl, found, now())
    ON CONFLICT (table_name) DO UPDATE
      SET resolved = c.resolved + EXCLUDED.resolved, last_resolved = EXCLUDED.last_resolved;
  END IF;
  RETURN found;
END
$$;

-- Applies row images captured on a coordinator (zynamo.drain_changes) to this replica of t.
-- images: a JSON array of {"op": "I" | "U" | "D", "image": {...}} in capture order. An image
-- wins only if it is newer than what this node holds: last writer wins on zynamo_version, ties
-- broken by the byte order of zynamo_clock's canonical text, a deletion winning an exact tie;
-- so applying the same images again, or in another order, leaves the same rows. A deletion
-- leaves a tombstone that keeps older images out. applied counts the images that changed this
-- node; skipped the others (stale, repeated, or superseded within the batch). Since version 2,
-- images concurrent with the stored row are counted in zynamo.conflicts first.
--
-- Runs with zynamo.applying = 'on', so the replica's Zynamo triggers neither stamp nor capture,
-- and, when the caller may set it, with session_replication_role = replica, so the user's own
-- triggers and foreign-key checks do not run again (their effects are in the images). Expects
-- READ COMMITTED, PostgreSQL's default.
CREATE OR REPLACE FUNCTION zynamo.apply(t regclass, images jsonb,
                                        OUT applied integer, OUT skipped integer)
LANGUAGE plpgsql SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
SET zynamo.applying = 'on'
AS $$
DECLARE
  tbl text := zynamo.table_name(t);
  total integer;
  malformed bigint;
  role_before text := current_setting('session_replication_role');
BEGIN
  IF jsonb_typeof(images) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('table %s: images: %s (expected: a JSON array)',
                       tbl, coalesce(jsonb_typeof(images), 'null'));
  END IF;
  IF NOT EXISTS (SELECT FROM zynamo.tables WHERE name = tbl) THEN
    RAISE EXCEPTION USING
      ERRCODE = 'object_not_in_prerequisite_state',
      MESSAGE = format('table %s is not distributed by Zynamo', tbl);
  END IF;
  malformed := zynamo.first_malformed(images, tbl);
  IF malformed IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('table %s: images[%s] is not a change record of this table', tbl, malformed),
      HINT = 'Expected {"op": "I"|"U"|"D", "image": {...}} as returned by zynamo.drain_changes.';
  END IF;
  total := jsonb_array_length(images);
  PERFORM zynamo.lock_stripes(images);
  PERFORM zynamo.count_conflicts(t, tbl, images);
  IF role_before <> 'replica' AND has_parameter_privilege('session_replication_role', 'SET') THEN
    PERFORM set_config('session_replication_role', 'replica', true);
  END IF;
  applied := zynamo.apply_deletes(t, tbl, images) + zynamo.apply_upserts(t, tbl, images);
  skipped := total - applied;
  PERFORM set_config('session_replication_role', role_before, true);
END
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (2, '002-conflicts.sql')
ON CONFLICT (version) DO NOTHING;
