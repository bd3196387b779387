-- Zynamo node schema, version 5: a JSON null stays JSON null on the other replicas.
--
-- A row image is to_jsonb(row). It writes SQL NULL and a json or jsonb value that is JSON null
-- alike, as null, and zynamo.apply rebuilt the row with jsonb_populate_record, which reads null
-- as SQL NULL: a JSON null written on a coordinator became SQL NULL on every other replica, in a
-- column as well as inside an array or a composite value, and a column that refuses NULL (NOT
-- NULL, or a domain) made the apply fail instead.
--
-- Images stay to_jsonb(row) and, only when null does not say it, carry what it cannot:
--
--   "zynamo_json_null": ["doc", ...]
--       json/jsonb columns (or domains over them) holding JSON null; every other null is SQL
--       NULL, as before
--   "zynamo_text": {"tags": "{NULL,\"null\"}", ...}
--       array or composite values with a null somewhere inside, as their text form, which
--       jsonb_to_record (like jsonb_populate_record) hands to the type's input function
--
-- Why extra keys and not, say, the text of every json value: an image without them means what it
-- meant before, so images captured by version 4 apply unchanged here, and a replica still on
-- version 4 ignores the keys and applies new images as it always did. And tables without json or
-- composite columns, most of them, capture exactly as in version 4: which columns need a look is
-- decided when the table is distributed (a catalog query per row nearly doubled the capture
-- cost), and handed to the capture trigger as its arguments; a trigger without arguments does
-- nothing more than to_jsonb(NEW).
--
-- The arguments go stale when the table's columns change: zynamo.distribute refreshes them each
-- time it runs, and the driver runs it after an ALTER TABLE. The other way a column can gain a
-- json value, ALTER TYPE ... ADD ATTRIBUTE on a composite type it uses, does not touch the table,
-- so composite columns are looked at even when they hold no json yet.

-- What a column of type typ needs at capture time, if anything: 'j' json or jsonb, 'd' a domain
-- over one, 'n' an array, composite or domain over one of those that holds json, jsonb or any
-- composite (see above); NULL for every other type.
CREATE OR REPLACE FUNCTION zynamo.json_kind(typ oid) RETURNS "char"
LANGUAGE plpgsql STABLE STRICT SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (WITH RECURSIVE parts(oid, nested, via_domain) AS (
      SELECT typ, false, false
      UNION
      SELECT x.oid, p.nested OR x.nested, p.via_domain OR NOT x.nested
      FROM parts p JOIN pg_type t ON t.oid = p.oid
      CROSS JOIN LATERAL (
        SELECT t.typbasetype, false WHERE t.typtype = 'd'
        UNION ALL
        SELECT t.typelem, true WHERE t.typtype = 'b' AND t.typelem <> 0 AND t.typlen = -1
        UNION ALL
        SELECT a.atttypid, true FROM pg_attribute a
        WHERE t.typtype = 'c' AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
      ) x(oid, nested))
    SELECT CASE WHEN bool_or(p.nested OR t.typtype = 'c') THEN 'n'
                WHEN bool_or(p.via_domain) THEN 'd' ELSE 'j' END
    FROM parts p JOIN pg_type t ON t.oid = p.oid
    WHERE p.oid IN ('json'::regtype, 'jsonb'::regtype) OR t.typtype = 'c'
    HAVING count(*) > 0);
END
$$;

-- The columns of t whose values a row image may not say exactly, each prefixed with its
-- zynamo.json_kind, in column order: the capture trigger's arguments. Generated columns are left
-- out (replicas compute them), and so are Zynamo's own. Plain scalar columns cost no recursion.
CREATE OR REPLACE FUNCTION zynamo.json_columns(t regclass) RETURNS text[]
LANGUAGE plpgsql STABLE STRICT SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(k.kind::text || a.attname::text ORDER BY a.attnum), '{}')
    FROM pg_attribute a JOIN pg_type ty ON ty.oid = a.atttypid
    LEFT JOIN pg_type el ON el.oid = ty.typelem AND ty.typlen = -1
    CROSS JOIN LATERAL (
      SELECT CASE
        WHEN a.atttypid IN ('json'::regtype, 'jsonb'::regtype) THEN 'j'::"char"
        WHEN ty.typtype IN ('c', 'd') OR el.typtype IN ('c', 'd')
             OR el.oid IN ('json'::regtype, 'jsonb'::regtype) THEN zynamo.json_kind(a.atttypid)
      END) k(kind)
    WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      AND a.attname NOT LIKE 'zynamo\_%' AND k.kind IS NOT NULL);
END
$$;

-- The text form of column c of row r, written with the settings that change it pinned so that
-- any replica reads it back alike (timestamps in ISO, intervals in the postgres style, floats
-- exact). Dynamic SQL, the only way to reach a column by name: rows take this path only for the
-- values described above.
CREATE OR REPLACE FUNCTION zynamo.column_text(r anyelement, c text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY INVOKER
SET search_path = pg_catalog, pg_temp
SET DateStyle = 'ISO, MDY'
SET IntervalStyle = 'postgres'
SET extra_float_digits = 3
SET bytea_output = 'hex'
AS $$
DECLARE
  value text;
BEGIN
  EXECUTE format('SELECT ($1).%I::text', c) INTO value USING r;
  RETURN value;
END
$$;

-- The image of row r: to_jsonb(r), with "zynamo_json_null" and "zynamo_text" where it needs them
-- (see the top of this file). json_columns: zynamo.json_columns of r's table.
CREATE OR REPLACE FUNCTION zynamo.row_image(r anyelement, json_columns text[]) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  image jsonb := to_jsonb(r);
  json_nulls jsonb := '[]';
  texts jsonb := '{}';
  entry text;
  c text;
  v jsonb;
BEGIN
  FOREACH entry IN ARRAY json_columns LOOP
    c := substr(entry, 2);
    v := image -> c;
    CONTINUE WHEN v IS NULL;  -- no such column any more
    CASE left(entry, 1)
    WHEN 'j' THEN
      -- null is SQL NULL exactly when setting the column to SQL NULL leaves the row unchanged.
      IF v = 'null' AND NOT (r *= jsonb_populate_record(r, jsonb_build_object(c, NULL::jsonb)))
      THEN
        json_nulls := json_nulls || to_jsonb(c);
      END IF;
    WHEN 'd' THEN
      -- The same test could fail the domain's own checks: ask for the value instead.
      IF v = 'null' AND zynamo.column_text(r, c) IS NOT NULL THEN
        json_nulls := json_nulls || to_jsonb(c);
      END IF;
    ELSE
      -- An array or composite value is never null itself unless it is SQL NULL; a null inside
      -- may be either.
      IF v <> 'null' AND v @? 'strict $.** ? (@ == null)' THEN
        texts := texts || jsonb_build_object(c, zynamo.column_text(r, c));
      END IF;
    END CASE;
  END LOOP;
  IF json_nulls <> '[]' THEN
    image := image || jsonb_build_object('zynamo_json_null', json_nulls);
  END IF;
  IF texts <> '{}' THEN
    image := image || jsonb_build_object('zynamo_text', texts);
  END IF;
  RETURN image;
END
$$;

-- AFTER INSERT OR UPDATE OR DELETE row trigger of a distributed table, as in version 1, except
-- that a trigger with arguments (zynamo.json_columns of its table) captures zynamo.row_image.
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

-- Creates t's capture trigger, or replaces it when its arguments are no longer
-- zynamo.json_columns(t); a trigger that is current is left alone (no lock on t).
CREATE OR REPLACE FUNCTION zynamo.refresh_capture(t regclass) RETURNS void
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  columns text[] := zynamo.json_columns(t);
  wanted bytea;
BEGIN
  -- pg_trigger.tgargs: each argument in the database encoding, followed by a zero byte.
  SELECT coalesce(string_agg(convert_to(a.c, getdatabaseencoding()) || decode('00', 'hex'),
                             ''::bytea ORDER BY a.n), ''::bytea)
  INTO wanted FROM unnest(columns) WITH ORDINALITY a(c, n);
  IF EXISTS (SELECT FROM pg_trigger
             WHERE tgrelid = t AND tgname = 'zynamo_capture' AND tgargs = wanted) THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE OR REPLACE TRIGGER zynamo_capture AFTER INSERT OR UPDATE OR DELETE ON %s'
                 ' FOR EACH ROW EXECUTE FUNCTION zynamo.capture_row(%s)',
                 t, (SELECT string_agg(quote_literal(a.c), ', ' ORDER BY a.n)
                     FROM unnest(columns) WITH ORDINALITY a(c, n)));
END
$$;

-- As in version 1, and: refuses a column named like a key of the images (42701), and creates or
-- refreshes the capture trigger with zynamo.refresh_capture, also when the table is distributed
-- already (the driver calls this after ALTER TABLE).
CREATE OR REPLACE FUNCTION zynamo.distribute(t regclass, new_kind text, new_shard_column text)
RETURNS void
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tbl text := zynamo.table_name(t);
  registered zynamo.tables;
  has_rows boolean;
  reserved name;
BEGIN
  IF (SELECT relkind FROM pg_class WHERE oid = t) <> 'r' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'feature_not_supported',
      MESSAGE = format('%s is not a plain table (partitioned tables, views and foreign tables '
                       'cannot be distributed)', tbl);
  END IF;
  SELECT attname INTO reserved FROM pg_attribute
  WHERE attrelid = t AND attname IN ('zynamo_json_null', 'zynamo_text') AND NOT attisdropped;
  IF reserved IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'duplicate_column',
      MESSAGE = format('table %s: column %I is reserved: Zynamo''s row images use the name',
                       tbl, reserved);
  END IF;
  SELECT * INTO registered FROM zynamo.tables WHERE name = tbl FOR UPDATE;
  IF FOUND AND registered.kind = new_kind
     AND registered.shard_column IS NOT DISTINCT FROM new_shard_column
     AND (SELECT count(*) FROM pg_trigger
          WHERE tgrelid = t AND tgname IN ('zynamo_stamp', 'zynamo_capture')) = 2 THEN
    PERFORM zynamo.refresh_capture(t);
    RETURN;
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT FROM %s)', t) INTO has_rows;
  IF has_rows THEN
    RAISE EXCEPTION USING
      ERRCODE = 'object_not_in_prerequisite_state',
      MESSAGE = format('table %s holds rows; distribute it before loading data', tbl),
      DETAIL = CASE WHEN registered IS NULL THEN 'It is not distributed yet.'
               ELSE format('It is distributed as %s%s.', registered.kind,
                           coalesce(' by ' || quote_ident(registered.shard_column), '')) END;
  END IF;
  EXECUTE format('ALTER TABLE %s'
                 ' ADD COLUMN IF NOT EXISTS zynamo_bucket smallint NOT NULL,'
                 ' ADD COLUMN IF NOT EXISTS zynamo_rowid uuid NOT NULL DEFAULT gen_random_uuid(),'
                 ' ADD COLUMN IF NOT EXISTS zynamo_version bigint NOT NULL DEFAULT 0,'
                 ' ADD COLUMN IF NOT EXISTS zynamo_clock jsonb NOT NULL DEFAULT ''{}''', t);
  IF NOT zynamo.has_index_on(t, 'zynamo_rowid', true) THEN
    EXECUTE format('CREATE UNIQUE INDEX ON %s (zynamo_rowid)', t);
  END IF;
  IF new_kind = 'sharded' AND NOT zynamo.has_index_on(t, 'zynamo_bucket', false) THEN
    EXECUTE format('CREATE INDEX ON %s (zynamo_bucket)', t);
  END IF;
  EXECUTE format('CREATE OR REPLACE TRIGGER zynamo_stamp BEFORE INSERT OR UPDATE OR DELETE ON %s'
                 ' FOR EACH ROW EXECUTE FUNCTION zynamo.stamp_row(%L, %L)',
                 t, new_kind, coalesce(new_shard_column, ''));
  PERFORM zynamo.refresh_capture(t);
  INSERT INTO zynamo.tables AS d (name, kind, shard_column) VALUES (tbl, new_kind, new_shard_column)
  ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, shard_column = EXCLUDED.shard_column;
END
$$;

-- Applies the 'I' and 'U' images as in version 1. For a table whose capture trigger has arguments
-- (json or composite columns), the row is built by jsonb_to_record, not jsonb_populate_record,
-- from the image with its "zynamo_text" values in place of the JSON ones, and the columns
-- "zynamo_json_null" names are set to JSON null. A domain over json or jsonb is read as jsonb and
-- cast to the domain afterwards: jsonb_populate_record would check the domain against the SQL
-- NULL it makes of null, and fail on a domain that refuses NULL.
--
-- zynamo.apply switches session_replication_role, which discards every cached plan, so each
-- query here is planned again on every call: tables without json columns run only a one-row
-- lookup of their trigger more than version 1 did.
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
  EXECUTE format($sql$
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
    $sql$, t, columns, image_columns, updated_columns, excluded_columns, source)
  USING images, tbl;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

-- Tables distributed before this version get their capture trigger's arguments now (a table with
-- json or composite columns is locked briefly, as by CREATE TRIGGER). A table with a column of a
-- reserved name, or one the installing role does not own, keeps capturing as before until
-- zynamo.shard_table or zynamo.reference_table runs on it again: the install must not fail, since
-- every client connecting runs it.
DO $$
DECLARE
  t regclass;
BEGIN
  FOR t IN
    SELECT to_regclass(d.name) FROM zynamo.tables d
    WHERE to_regclass(d.name) IS NOT NULL
      AND NOT EXISTS (SELECT FROM pg_attribute
                      WHERE attrelid = to_regclass(d.name) AND NOT attisdropped
                        AND attname IN ('zynamo_json_null', 'zynamo_text'))
  LOOP
    BEGIN
      PERFORM zynamo.refresh_capture(t);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE WARNING 'table %: its capture trigger still writes JSON null as SQL NULL', t
        USING HINT = 'Run zynamo.shard_table or zynamo.reference_table on it as its owner.';
    END;
  END LOOP;
END
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (5, '005-json-null.sql')
ON CONFLICT (version) DO NOTHING;
