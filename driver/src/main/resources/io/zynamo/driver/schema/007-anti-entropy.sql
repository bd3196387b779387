-- Zynamo node schema, version 7: hash trees for active anti-entropy (zynamo.repair()).
--
-- Replicas of a bucket are compared by hashes computed here, on each node, so that a repair
-- pass never pulls a whole table: first one hash per bucket, then, inside a bucket whose hashes
-- differ, one hash per sixteenth of a row-id range, down to ranges small enough to list (Dynamo
-- section 4.7, with row-id prefixes as the key ranges). The engine's AntiEntropy drives the
-- descent; see docs/operations.md, "Anti-entropy repair".
--
-- What is hashed is each row's state as read repair sees it: a row's version, or minus the
-- version of its deletion when a tombstone at least as new as the row exists (then the row, if
-- still there, does not count). Two replicas with equal hashes hold the same rows at the same
-- versions and the same deletions; equal versions with different clocks count as equal, as
-- they do for read repair.

-- The state of every row and deletion of table t (named tbl in zynamo.tombstones) in some
-- buckets and a row-id range [lo, hi) (a NULL bound: unbounded): state = version of a row,
-- -version of a deletion.
CREATE OR REPLACE FUNCTION zynamo.row_states(t regclass, buckets smallint[], lo uuid, hi uuid)
RETURNS TABLE (bucket smallint, rowid uuid, state bigint)
LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE format($sql$
    SELECT r.zynamo_bucket, r.zynamo_rowid, r.zynamo_version FROM %1$s r
    WHERE r.zynamo_bucket = ANY ($1)
      AND ($2::uuid IS NULL OR r.zynamo_rowid >= $2) AND ($3::uuid IS NULL OR r.zynamo_rowid < $3)
      AND NOT EXISTS (SELECT FROM zynamo.tombstones tb
                      WHERE tb.table_name = $4 AND tb.rowid = r.zynamo_rowid
                        AND tb.version >= r.zynamo_version)
    UNION ALL
    SELECT tb.bucket, tb.rowid, -tb.version FROM zynamo.tombstones tb
    WHERE tb.table_name = $4 AND tb.bucket = ANY ($1)
      AND ($2::uuid IS NULL OR tb.rowid >= $2) AND ($3::uuid IS NULL OR tb.rowid < $3)
      AND NOT EXISTS (SELECT FROM %1$s r
                      WHERE r.zynamo_rowid = tb.rowid AND r.zynamo_version > tb.version)
    $sql$, t)
  USING buckets, lo, hi, zynamo.table_name(t);
END
$$;

-- One hash per bucket (nibble < 0), or per part of the range [lo, hi) of one bucket: part =
-- the row id's 4-bit digit number nibble (0 = the highest), so the parts are the sixteen
-- sub-ranges of a range whose row ids share their first nibble digits. hash = bit_xor of
-- uuid_hash_extended(row id, state): independent of row order, and a differing row changes it
-- with probability 1 - 2^-64. Buckets and parts without rows or deletions are not returned.
CREATE OR REPLACE FUNCTION zynamo.range_hashes(
  t regclass, buckets smallint[], lo uuid, hi uuid, nibble integer)
RETURNS TABLE (bucket smallint, part integer, rows bigint, hash bigint)
LANGUAGE sql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT s.bucket,
         CASE WHEN nibble < 0 THEN 0
              ELSE (get_byte(uuid_send(s.rowid), nibble / 2) >> (4 * (1 - nibble % 2))) & 15 END,
         count(*), bit_xor(uuid_hash_extended(s.rowid, s.state))
  FROM zynamo.row_states(t, buckets, lo, hi) s
  GROUP BY 1, 2
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (7, '007-anti-entropy.sql')
ON CONFLICT (version) DO NOTHING;
