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
-- - zynamo.apply switches session_replication_role (to keep the user's triggers and foreign-key
--   checks from running again) only for tables that have any: switching it flushes every cached
--   plan of the session, so each apply planned all its queries anew.
-- - zynamo.apply_upserts runs a small batch's upsert as a statement prepared once per session and
--   table shape (zynamo_upsert_<md5 of its text>), not planned on every call.
-- - zynamo.capture_row captures no insert or update when the write's stamp sets
--   zynamo.capture = 'off' (a bucket with no other replica: the images would go nowhere).
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

-- Whether writing t would fire anything but Zynamo's own triggers: a user's trigger, a foreign
-- key's (internal) trigger, on t or referring to it, or a rule. Only then does zynamo.apply switch
-- session_replication_role to keep them from running again: switching it discards every cached
-- plan of the session (PostgreSQL flushes its plan cache when the role changes), so every query of
-- the apply functions was planned anew on every call.
CREATE OR REPLACE FUNCTION zynamo.fires_on_apply(t regclass) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN EXISTS (SELECT FROM pg_trigger
                 WHERE tgrelid = t AND tgname NOT IN ('zynamo_capture', 'zynamo_stamp'))
      OR EXISTS (SELECT FROM pg_rewrite WHERE ev_class = t);
END
$$;

-- As in version 2, except that session_replication_role is switched only for a table on which
-- writing fires something (zynamo.fires_on_apply).
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
  IF role_before <> 'replica' AND zynamo.fires_on_apply(t)
     AND has_parameter_privilege('session_replication_role', 'SET') THEN
    PERFORM set_config('session_replication_role', 'replica', true);
  END IF;
  applied := zynamo.apply_deletes(t, tbl, images) + zynamo.apply_upserts(t, tbl, images);
  skipped := total - applied;
  PERFORM set_config('session_replication_role', role_before, true);
END
$$;

-- As in version 5, except that a batch of up to 32 images runs the upsert as a statement prepared
-- once per session and table shape, not planned anew on every call.
CREATE OR REPLACE FUNCTION zynamo.apply_upserts(t regclass, tbl text, images jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  json_columns text[];
  columns text;
  image_columns text;
  updated_columns text;
  excluded_columns text;
  definitions text;
  source text;
  changed integer;
  upsert text;
  prepared text;
BEGIN
  IF EXISTS (SELECT FROM pg_trigger
             WHERE tgrelid = t AND tgname = 'zynamo_capture' AND tgnargs > 0) THEN
    json_columns := zynamo.json_columns(t);
  END IF;
  IF cardinality(json_columns) > 0 THEN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
           string_agg(CASE WHEN kind IN ('j', 'd')
                           THEN format('CASE WHEN (live.image -> ''zynamo_json_null'') ? %1$L'
                                       ' THEN ''null''::%2$s ELSE r.%1$I::%2$s END', attname, type)
                           ELSE 'r.' || quote_ident(attname) END, ', ' ORDER BY attnum),
           string_agg(quote_ident(attname), ', ' ORDER BY attnum)
             FILTER (WHERE attidentity <> 'a' AND attname <> 'zynamo_rowid'),
           string_agg('EXCLUDED.' || quote_ident(attname), ', ' ORDER BY attnum)
             FILTER (WHERE attidentity <> 'a' AND attname <> 'zynamo_rowid'),
           string_agg(quote_ident(attname) || ' ' || CASE kind WHEN 'd' THEN 'jsonb' ELSE type END,
                      ', ' ORDER BY attnum)
    INTO columns, image_columns, updated_columns, excluded_columns, definitions
    FROM (SELECT a.attnum, a.attname, a.attidentity, format_type(a.atttypid, a.atttypmod) AS type,
                 (SELECT left(j, 1) FROM unnest(json_columns) j WHERE substr(j, 2) = a.attname)
                   AS kind
          FROM pg_attribute a
          WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') c;
    source := format('jsonb_to_record(CASE jsonb_typeof(live.image -> ''zynamo_text'')'
                     ' WHEN ''object'' THEN live.image || (live.image -> ''zynamo_text'')'
                     ' ELSE live.image END) AS r(%s)', definitions);
  ELSE
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
           string_agg('r.' || quote_ident(attname), ', ' ORDER BY attnum),
           string_agg(quote_ident(attname), ', ' ORDER BY attnum)
             FILTER (WHERE attidentity <> 'a' AND attname <> 'zynamo_rowid'),
           string_agg('EXCLUDED.' || quote_ident(attname), ', ' ORDER BY attnum)
             FILTER (WHERE attidentity <> 'a' AND attname <> 'zynamo_rowid')
    INTO columns, image_columns, updated_columns, excluded_columns
    FROM pg_attribute
    WHERE attrelid = t AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
    source := format('jsonb_populate_record(NULL::%s, live.image) r', t);
  END IF;
  upsert := format($sql$
    WITH newest AS (
      SELECT DISTINCT ON (x.rowid) x.image, x.rowid, x.version, x.clock
      FROM (SELECT e.value -> 'image' AS image,
                   (e.value -> 'image' ->> 'zynamo_rowid')::uuid AS rowid,
                   (e.value -> 'image' ->> 'zynamo_version')::bigint AS version,
                   e.value -> 'image' -> 'zynamo_clock' AS clock,
                   e.ordinality
            FROM jsonb_array_elements($1) WITH ORDINALITY e
            WHERE e.value ->> 'op' IN ('I', 'U')) x
      ORDER BY x.rowid, x.version DESC, x.clock::text COLLATE "C" DESC, x.ordinality DESC),
    live AS (
      SELECT n.image FROM newest n
      WHERE NOT EXISTS (
        SELECT FROM zynamo.tombstones tb
        WHERE tb.table_name = $2 AND tb.rowid = n.rowid
          AND (tb.version, tb.clock::text COLLATE "C") >= (n.version, n.clock::text COLLATE "C")))
    INSERT INTO %1$s AS cur (%2$s) OVERRIDING SYSTEM VALUE
    SELECT %3$s FROM live, %6$s
    ON CONFLICT (zynamo_rowid) DO UPDATE SET (%4$s) = ROW(%5$s)
    WHERE (cur.zynamo_version, cur.zynamo_clock::text COLLATE "C")
        < (EXCLUDED.zynamo_version, EXCLUDED.zynamo_clock::text COLLATE "C")
    $sql$, t, columns, image_columns, updated_columns, excluded_columns, source);
  IF jsonb_array_length(images) > 32 THEN
    EXECUTE upsert USING images, tbl;
    GET DIAGNOSTICS changed = ROW_COUNT;
  ELSE
    -- A small batch runs the statement prepared once per session and shape (its name holds the
    -- text's hash, so a changed table gets a statement of its own): planning it took about half
    -- of a one-row apply. The images go in as a literal, which is cheap at this size.
    prepared := 'zynamo_upsert_' || md5(upsert);
    IF NOT EXISTS (SELECT FROM pg_prepared_statements WHERE name = prepared) THEN
      EXECUTE format('PREPARE %I (jsonb, text) AS WITH changed AS (%s RETURNING 1)'
                     ' SELECT count(*) FROM changed', prepared, upsert);
    END IF;
    EXECUTE format('EXECUTE %I (%L, %L)', prepared, images, tbl) INTO changed;
  END IF;
  RETURN changed;
END
$$;

-- As in version 5, except that an insert or update captures nothing when the write's stamp says
-- zynamo.capture = 'off': the driver says so for a bucket whose only replica is the coordinator
-- (N = 1, no move under way), where the images would go nowhere. A deletion still captures, for
-- its tombstone.
CREATE OR REPLACE FUNCTION zynamo.capture_row() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tbl text;
  version bigint;
  clock jsonb;
BEGIN
  IF current_setting('zynamo.applying', true) = 'on' THEN
    RETURN NULL;
  END IF;
  IF current_setting('zynamo.capture', true) = 'off' AND TG_OP <> 'DELETE' THEN
    RETURN NULL;
  END IF;
  tbl := format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
  IF TG_OP <> 'DELETE' AND TG_NARGS = 0 THEN
    INSERT INTO zynamo.changes (table_name, op, image) VALUES (tbl, left(TG_OP, 1), to_jsonb(NEW));
    RETURN NULL;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO zynamo.changes (table_name, op, image)
    VALUES (tbl, left(TG_OP, 1), zynamo.row_image(NEW, TG_ARGV));
    RETURN NULL;
  END IF;
  version := zynamo.write_version(tbl, OLD.zynamo_version);
  clock := zynamo.write_clock(tbl, OLD.zynamo_clock);
  PERFORM zynamo.record_tombstone(tbl, OLD.zynamo_rowid, OLD.zynamo_bucket, version, clock);
  INSERT INTO zynamo.changes (table_name, op, image)
  VALUES (tbl, 'D', jsonb_build_object('zynamo_rowid', OLD.zynamo_rowid,
                                       'zynamo_bucket', OLD.zynamo_bucket,
                                       'zynamo_version', version,
                                       'zynamo_clock', clock));
  RETURN NULL;
END
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (11, '011-apply-by-index.sql')
ON CONFLICT (version) DO NOTHING;
