-- Zynamo node schema, version 1: the node side of ADR 0001 (row storage and row-image
-- replication). See docs/node-schema.md for the SQL API, the settings and the SQLStates.
--
-- Idempotent: every statement may run again on a node that already has it. NodeSchema.install
-- runs this file in one transaction under a fixed advisory lock, and skips it once
-- zynamo.schema_version records version 1. Released files never change; later changes come as
-- 002-..., 003-...
--
-- Every function is SECURITY INVOKER with search_path pinned to pg_catalog, pg_temp, so it
-- names every object of its own schema in full and a caller's search_path cannot shadow them.

CREATE SCHEMA IF NOT EXISTS zynamo;

CREATE TABLE IF NOT EXISTS zynamo.schema_version (
  version integer PRIMARY KEY,
  script text NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now()
);

-- The RingStateCodec bytes; one row, replaced by compare-and-set on epoch.
CREATE TABLE IF NOT EXISTS zynamo.ring (
  id integer PRIMARY KEY CHECK (id = 1),
  epoch bigint NOT NULL,
  state bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Distribution of each user table; name is the schema-qualified, quoted name
-- (format('%I.%I', schema, table)), the spelling used by zynamo.changes and zynamo.tombstones.
CREATE TABLE IF NOT EXISTS zynamo.tables (
  name text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('sharded', 'reference')),
  shard_column text,
  CHECK ((kind = 'sharded') = (shard_column IS NOT NULL))
);

-- Row images captured by the triggers of distributed tables, drained by the same transaction
-- (zynamo.drain_changes). Unlogged: a row outlives its transaction only when a writer forgot to
-- drain, and such a leftover is garbage, so it need not survive a crash or cost WAL.
CREATE UNLOGGED TABLE IF NOT EXISTS zynamo.changes (
  txid bigint NOT NULL DEFAULT txid_current(),
  seq bigserial NOT NULL,
  table_name text NOT NULL,
  op char(1) NOT NULL CHECK (op IN ('I', 'U', 'D')),
  image jsonb NOT NULL,
  PRIMARY KEY (txid, seq)
);

-- Deleted rows, so that an older image arriving late cannot bring a row back.
CREATE TABLE IF NOT EXISTS zynamo.tombstones (
  table_name text NOT NULL,
  rowid uuid NOT NULL,
  bucket smallint NOT NULL,
  version bigint NOT NULL,
  clock jsonb NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_name, rowid)
);

-- The spelling of a table in zynamo.tables, zynamo.changes and zynamo.tombstones.
CREATE OR REPLACE FUNCTION zynamo.table_name(t regclass) RETURNS text
LANGUAGE sql STABLE STRICT SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT format('%I.%I', n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = t
$$;

-- A routing setting of the current write (zynamo.bucket, zynamo.hlc, zynamo.node). A write that
-- lacks one did not come through Zynamo: ZY006.
CREATE OR REPLACE FUNCTION zynamo.routing_setting(setting text, tbl text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  value text := current_setting(setting, true);
BEGIN
  IF value IS NULL OR value = '' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'ZY006',
      MESSAGE = format('table %s: setting %s is not set: writes must go through Zynamo',
                       tbl, setting),
      HINT = 'Write through the Zynamo driver or proxy; nodes refuse direct writes to '
             'distributed tables.';
  END IF;
  RETURN value;
END
$$;

-- The bucket the current write was routed to (zynamo.bucket, 0 .. 32767).
CREATE OR REPLACE FUNCTION zynamo.routed_bucket(tbl text) RETURNS smallint
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  value text := zynamo.routing_setting('zynamo.bucket', tbl);
BEGIN
  IF value !~ '^[0-9]{1,5}$' OR value::integer > 32767 THEN
    RAISE EXCEPTION USING
      ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('table %s: zynamo.bucket: ''%s'' (expected: 0 .. 32767)', tbl, value);
  END IF;
  RETURN value::smallint;
END
$$;

-- The version of a row written now: the driver's hybrid logical clock (zynamo.hlc), or one more
-- than the row's previous version when the clock is not ahead of it, so versions of one row
-- always grow on its coordinator (e.g. two updates of a row in one transaction).
CREATE OR REPLACE FUNCTION zynamo.write_version(tbl text, previous bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  value text := zynamo.routing_setting('zynamo.hlc', tbl);
BEGIN
  IF value !~ '^[0-9]{1,19}$' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('table %s: zynamo.hlc: ''%s'' (expected: a bigint >= 0)', tbl, value);
  END IF;
  RETURN greatest(value::bigint, previous + 1);
END
$$;

-- The vector clock of a row written now: the previous clock with the entry of the coordinating
-- node (zynamo.node) incremented.
CREATE OR REPLACE FUNCTION zynamo.write_clock(tbl text, previous jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  node text := zynamo.routing_setting('zynamo.node', tbl);
BEGIN
  RETURN jsonb_set(previous, ARRAY[node],
                   to_jsonb(coalesce((previous ->> node)::bigint, 0) + 1));
END
$$;

-- BEFORE INSERT OR UPDATE OR DELETE row trigger of a distributed table.
-- TG_ARGV[0]: 'sharded' or 'reference'; TG_ARGV[1]: the shard column of a sharded table.
-- Checks the routing settings, stamps zynamo_bucket (the routed bucket; 0 for a reference
-- table), zynamo_version and zynamo_clock, keeps zynamo_rowid, and refuses a change of the shard
-- column (ZY004) or a row of another bucket than the routed one (ZY006). Does nothing while
-- zynamo.applying = 'on' (zynamo.apply on a replica: the image already carries all values).
CREATE OR REPLACE FUNCTION zynamo.stamp_row() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tbl text;
  bucket smallint := 0;
BEGIN
  IF current_setting('zynamo.applying', true) = 'on' THEN
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  tbl := format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
  IF TG_ARGV[0] = 'sharded' THEN
    bucket := zynamo.routed_bucket(tbl);
  END IF;
  IF TG_OP = 'INSERT' THEN
    NEW.zynamo_bucket := bucket;
    NEW.zynamo_version := zynamo.write_version(tbl, -1);
    NEW.zynamo_clock := zynamo.write_clock(tbl, '{}');
    RETURN NEW;
  END IF;
  IF OLD.zynamo_bucket <> bucket THEN
    RAISE EXCEPTION USING
      ERRCODE = 'ZY006',
      MESSAGE = format('table %s: a row of bucket %s is written by a statement routed to '
                       'bucket %s: writes must go through Zynamo and touch only the routed '
                       'bucket', tbl, OLD.zynamo_bucket, bucket);
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- Check now what the AFTER trigger needs, before the row is gone.
    PERFORM zynamo.write_version(tbl, OLD.zynamo_version), zynamo.write_clock(tbl, '{}');
    RETURN OLD;
  END IF;
  IF TG_ARGV[0] = 'sharded'
     AND to_jsonb(NEW) -> TG_ARGV[1] IS DISTINCT FROM to_jsonb(OLD) -> TG_ARGV[1] THEN
    RAISE EXCEPTION USING
      ERRCODE = 'ZY004',
      MESSAGE = format('table %s: UPDATE changes shard column %I, which would move the row '
                       'to another bucket', tbl, TG_ARGV[1]),
      HINT = 'Delete the row and insert it with the new value.';
  END IF;
  NEW.zynamo_rowid := OLD.zynamo_rowid;
  NEW.zynamo_bucket := OLD.zynamo_bucket;
  NEW.zynamo_version := zynamo.write_version(tbl, OLD.zynamo_version);
  NEW.zynamo_clock := zynamo.write_clock(tbl, OLD.zynamo_clock);
  RETURN NEW;
END
$$;

-- Keeps the newer of two tombstones of one row.
CREATE OR REPLACE FUNCTION zynamo.record_tombstone(
  tbl text, row_id uuid, row_bucket smallint, row_version bigint, row_clock jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  changed integer;
BEGIN
  INSERT INTO zynamo.tombstones AS tb (table_name, rowid, bucket, version, clock)
  VALUES (tbl, row_id, row_bucket, row_version, row_clock)
  ON CONFLICT (table_name, rowid) DO UPDATE
    SET bucket = EXCLUDED.bucket, version = EXCLUDED.version, clock = EXCLUDED.clock,
        deleted_at = now()
    WHERE (tb.version, tb.clock::text COLLATE "C")
        < (EXCLUDED.version, EXCLUDED.clock::text COLLATE "C");
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

-- AFTER INSERT OR UPDATE OR DELETE row trigger of a distributed table: appends the row's image
-- to zynamo.changes ('I'/'U': the whole new row, internal columns included; 'D': the deleted
-- row's zynamo_rowid and zynamo_bucket with the deletion's new zynamo_version and zynamo_clock),
-- and records the tombstone of a deleted row on this node too. Does nothing while
-- zynamo.applying = 'on'.
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
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO zynamo.changes (table_name, op, image) VALUES (tbl, left(TG_OP, 1), to_jsonb(NEW));
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

-- Whether t has an index on exactly (col), unique or not.
CREATE OR REPLACE FUNCTION zynamo.has_index_on(t regclass, col text, is_unique boolean)
RETURNS boolean
LANGUAGE sql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (
    SELECT FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
    WHERE i.indrelid = t AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum AND a.attname = col
      AND i.indisunique = is_unique AND i.indpred IS NULL AND i.indexprs IS NULL)
$$;

-- Makes t a distributed table of the given kind: internal columns, indexes, triggers and the
-- zynamo.tables row. Idempotent; re-distributes an empty table; refuses to change a table that
-- holds rows (55000), since its rows would carry no bucket or version.
CREATE OR REPLACE FUNCTION zynamo.distribute(t regclass, new_kind text, new_shard_column text)
RETURNS void
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tbl text := zynamo.table_name(t);
  registered zynamo.tables;
  has_rows boolean;
BEGIN
  IF (SELECT relkind FROM pg_class WHERE oid = t) <> 'r' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'feature_not_supported',
      MESSAGE = format('%s is not a plain table (partitioned tables, views and foreign tables '
                       'cannot be distributed)', tbl);
  END IF;
  SELECT * INTO registered FROM zynamo.tables WHERE name = tbl FOR UPDATE;
  IF FOUND AND registered.kind = new_kind
     AND registered.shard_column IS NOT DISTINCT FROM new_shard_column
     AND (SELECT count(*) FROM pg_trigger
          WHERE tgrelid = t AND tgname IN ('zynamo_stamp', 'zynamo_capture')) = 2 THEN
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
  EXECUTE format('CREATE OR REPLACE TRIGGER zynamo_capture AFTER INSERT OR UPDATE OR DELETE ON %s'
                 ' FOR EACH ROW EXECUTE FUNCTION zynamo.capture_row()', t);
  INSERT INTO zynamo.tables AS d (name, kind, shard_column) VALUES (tbl, new_kind, new_shard_column)
  ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, shard_column = EXCLUDED.shard_column;
END
$$;

-- Shards t by shard_column. The column must exist (42703), must not be generated (0A000), and
-- every unique index of t must include it (ZY005: no single node could enforce the index
-- otherwise).
CREATE OR REPLACE FUNCTION zynamo.shard_table(t regclass, shard_column text) RETURNS void
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tbl text := zynamo.table_name(t);
  column_number smallint;
  generated_kind "char";
  index_name text;
BEGIN
  SELECT attnum, attgenerated INTO column_number, generated_kind FROM pg_attribute
  WHERE attrelid = t AND attname = shard_column AND attnum > 0 AND NOT attisdropped;
  IF column_number IS NULL OR shard_column LIKE 'zynamo\_%' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'undefined_column',
      MESSAGE = format('table %s: shard column %I does not exist', tbl, shard_column);
  END IF;
  -- A BEFORE trigger sees no computed value of a generated column, so it could not tell
  -- whether an UPDATE changes the key.
  IF generated_kind <> '' THEN
    RAISE EXCEPTION USING
      ERRCODE = 'feature_not_supported',
      MESSAGE = format('table %s: shard column %I is a generated column', tbl, shard_column);
  END IF;
  -- Key columns only: a column in INCLUDE (...) takes no part in uniqueness.
  SELECT i.indexrelid::regclass::text INTO index_name FROM pg_index i
  WHERE i.indrelid = t AND i.indisunique
    AND NOT column_number = ANY ((i.indkey::smallint[])[0:i.indnkeyatts - 1])
    AND NOT (i.indnkeyatts = 1 AND i.indkey[0] IS NOT DISTINCT FROM
             (SELECT attnum FROM pg_attribute WHERE attrelid = t AND attname = 'zynamo_rowid'))
  ORDER BY i.indexrelid
  LIMIT 1;
  IF index_name IS NOT NULL THEN
    RAISE EXCEPTION USING
      ERRCODE = 'ZY005',
      MESSAGE = format('table %s: unique index %s does not include shard column %I',
                       tbl, index_name, shard_column),
      HINT = 'Unique constraints of a sharded table must include the shard column.';
  END IF;
  PERFORM zynamo.distribute(t, 'sharded', shard_column);
END
$$;

-- Makes t a reference table: a full copy on every node, replicated like a sharded table's rows
-- (zynamo_bucket is always 0).
CREATE OR REPLACE FUNCTION zynamo.reference_table(t regclass) RETURNS void
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  PERFORM zynamo.distribute(t, 'reference', NULL);
END
$$;

-- The current transaction's captured images, in capture order, removed from zynamo.changes.
CREATE OR REPLACE FUNCTION zynamo.drain_changes() RETURNS SETOF zynamo.changes
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  WITH drained AS (
    DELETE FROM zynamo.changes WHERE txid = txid_current_if_assigned() RETURNING *)
  SELECT * FROM drained ORDER BY seq
$$;

-- The first element of images (1-based) that is not a change record of table tbl:
-- {"op": "I" | "U" | "D", "image": {...}, "table": tbl (optional)}, where the image has
-- zynamo_rowid (string), zynamo_bucket and zynamo_version (numbers) and zynamo_clock (object).
CREATE OR REPLACE FUNCTION zynamo.first_malformed(images jsonb, tbl text) RETURNS bigint
LANGUAGE sql IMMUTABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT min(e.ordinality) FROM jsonb_array_elements(images) WITH ORDINALITY e
  WHERE NOT coalesce(
    jsonb_typeof(e.value) = 'object'
    AND e.value ->> 'op' IN ('I', 'U', 'D')
    AND (NOT e.value ? 'table' OR e.value ->> 'table' = tbl)
    AND jsonb_typeof(e.value -> 'image') = 'object'
    AND jsonb_typeof(e.value -> 'image' -> 'zynamo_rowid') = 'string'
    AND jsonb_typeof(e.value -> 'image' -> 'zynamo_bucket') = 'number'
    AND jsonb_typeof(e.value -> 'image' -> 'zynamo_version') = 'number'
    AND jsonb_typeof(e.value -> 'image' -> 'zynamo_clock') = 'object', false)
$$;

-- Serializes zynamo.apply calls that touch the same rows: a deletion of a row this node does
-- not hold yet and an older insert of it, applied concurrently, could otherwise each miss the
-- other and leave the row resurrected. Rows map to 64 stripes (few lock table slots per
-- transaction); images that delete take their stripes exclusively, the others share them, so
-- concurrent batches of inserts and updates never wait for each other. Stripes are taken in
-- ascending order, so two batches cannot deadlock on them.
CREATE OR REPLACE FUNCTION zynamo.lock_stripes(images jsonb) RETURNS void
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  stripe integer;
  exclusive boolean;
BEGIN
  FOR stripe, exclusive IN
    SELECT hashtext(e.value -> 'image' ->> 'zynamo_rowid') & 63, bool_or(e.value ->> 'op' = 'D')
    FROM jsonb_array_elements(images) e GROUP BY 1 ORDER BY 1
  LOOP
    IF exclusive THEN
      PERFORM pg_advisory_xact_lock(1515782146, stripe);  -- 0x5A590002: 'ZY', 2
    ELSE
      PERFORM pg_advisory_xact_lock_shared(1515782146, stripe);
    END IF;
  END LOOP;
END
$$;

-- Applies the 'D' images: records the newest tombstone of each row and deletes a row that is
-- not newer than its tombstone. Returns how many tombstones advanced.
CREATE OR REPLACE FUNCTION zynamo.apply_deletes(t regclass, tbl text, images jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  rowids uuid[];
  advanced integer;
BEGIN
  rowids := ARRAY(SELECT DISTINCT (e.value -> 'image' ->> 'zynamo_rowid')::uuid
                  FROM jsonb_array_elements(images) e WHERE e.value ->> 'op' = 'D');
  IF cardinality(rowids) = 0 THEN
    RETURN 0;
  END IF;
  INSERT INTO zynamo.tombstones AS tb (table_name, rowid, bucket, version, clock)
  SELECT DISTINCT ON (d.rowid) tbl, d.rowid, d.bucket, d.version, d.clock
  FROM (SELECT (e.value -> 'image' ->> 'zynamo_rowid')::uuid AS rowid,
               (e.value -> 'image' ->> 'zynamo_bucket')::smallint AS bucket,
               (e.value -> 'image' ->> 'zynamo_version')::bigint AS version,
               e.value -> 'image' -> 'zynamo_clock' AS clock
        FROM jsonb_array_elements(images) e WHERE e.value ->> 'op' = 'D') d
  ORDER BY d.rowid, d.version DESC, d.clock::text COLLATE "C" DESC
  ON CONFLICT (table_name, rowid) DO UPDATE
    SET bucket = EXCLUDED.bucket, version = EXCLUDED.version, clock = EXCLUDED.clock,
        deleted_at = now()
    WHERE (tb.version, tb.clock::text COLLATE "C")
        < (EXCLUDED.version, EXCLUDED.clock::text COLLATE "C");
  GET DIAGNOSTICS advanced = ROW_COUNT;
  EXECUTE format(
    'DELETE FROM %s AS cur USING zynamo.tombstones tb'
    ' WHERE tb.table_name = $1 AND tb.rowid = cur.zynamo_rowid AND cur.zynamo_rowid = ANY ($2)'
    ' AND (cur.zynamo_version, cur.zynamo_clock::text COLLATE "C")'
    ' <= (tb.version, tb.clock::text COLLATE "C")', t)
  USING tbl, rowids;
  RETURN advanced;
END
$$;

-- Applies the 'I' and 'U' images: for each row the newest image of the batch, unless a
-- tombstone is as new or newer, is inserted or replaces the stored row when newer than it.
-- Generated columns are left out (the replica computes them); identity columns take the image's
-- value (OVERRIDING SYSTEM VALUE), except that an existing row keeps a GENERATED ALWAYS identity
-- value, which PostgreSQL lets UPDATE set only to DEFAULT. Returns how many rows changed.
CREATE OR REPLACE FUNCTION zynamo.apply_upserts(t regclass, tbl text, images jsonb)
RETURNS integer
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  columns text;
  image_columns text;
  updated_columns text;
  excluded_columns text;
  changed integer;
BEGIN
  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
         string_agg('r.' || quote_ident(attname), ', ' ORDER BY attnum),
         string_agg(quote_ident(attname), ', ' ORDER BY attnum)
           FILTER (WHERE attidentity <> 'a' AND attname <> 'zynamo_rowid'),
         string_agg('EXCLUDED.' || quote_ident(attname), ', ' ORDER BY attnum)
           FILTER (WHERE attidentity <> 'a' AND attname <> 'zynamo_rowid')
  INTO columns, image_columns, updated_columns, excluded_columns
  FROM pg_attribute
  WHERE attrelid = t AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
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
    SELECT %3$s FROM live, jsonb_populate_record(NULL::%1$s, live.image) r
    ON CONFLICT (zynamo_rowid) DO UPDATE SET (%4$s) = ROW(%5$s)
    WHERE (cur.zynamo_version, cur.zynamo_clock::text COLLATE "C")
        < (EXCLUDED.zynamo_version, EXCLUDED.zynamo_clock::text COLLATE "C")
    $sql$, t, columns, image_columns, updated_columns, excluded_columns)
  USING images, tbl;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END
$$;

-- Applies row images captured on a coordinator (zynamo.drain_changes) to this replica of t.
-- images: a JSON array of {"op": "I" | "U" | "D", "image": {...}} in capture order. An image
-- wins only if it is newer than what this node holds: last writer wins on zynamo_version, ties
-- broken by the byte order of zynamo_clock's canonical text, a deletion winning an exact tie;
-- so applying the same images again, or in another order, leaves the same rows. A deletion
-- leaves a tombstone that keeps older images out. applied counts the images that changed this
-- node; skipped the others (stale, repeated, or superseded within the batch).
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
  IF role_before <> 'replica' AND has_parameter_privilege('session_replication_role', 'SET') THEN
    PERFORM set_config('session_replication_role', 'replica', true);
  END IF;
  applied := zynamo.apply_deletes(t, tbl, images) + zynamo.apply_upserts(t, tbl, images);
  skipped := total - applied;
  PERFORM set_config('session_replication_role', role_before, true);
END
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (1, '001-zynamo-schema.sql')
ON CONFLICT (version) DO NOTHING;
