-- Zynamo node schema, version 9: garbage collection of tombstones (zynamo.tombstones).
--
-- A deletion leaves a tombstone so that an older image of the row arriving late (an anti-entropy
-- or read repair copy, a hint, a delayed write) cannot bring the row back. Once every replica of
-- the row's bucket holds the tombstone and no such older image can still arrive, it has done its
-- work. The engine's AntiEntropy decides when that is (see docs/operations.md, "Tombstone
-- garbage collection"): only in bucket ranges whose hashes it found equal on all the bucket's
-- replicas, all answering (or in a bucket's only replica); only for tables no node keeps hints
-- for; only for tombstones whose version (the deletion's hybrid logical clock timestamp) is older
-- than tombstoneGrace. It then calls the function below on every replica of those ranges with
-- the same limit.
--
-- The limit is a version, not each node's deleted_at: every replica holds the same version for a
-- tombstone, so every replica removes the same ones. A tombstone copied back to a replica whose
-- removal failed midway is therefore due again at once, on every replica alike, and the next pass
-- that finds the range equal removes it everywhere; it never restarts a clock per node.

-- Removes the tombstones of table t that lie in the given ranges (bucket buckets[i], row ids in
-- [los[i], his[i]), a NULL bound: unbounded) and whose version is below older_than. A tombstone
-- that still hides a row of t at a version it does not exceed (a tie the row won on its clock)
-- is kept: removing it would bring that row back. Returns how many tombstones were removed.
CREATE OR REPLACE FUNCTION zynamo.collect_tombstones(
  t regclass, buckets smallint[], los uuid[], his uuid[], older_than bigint)
RETURNS bigint
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tbl text := zynamo.table_name(t);
  removed bigint;
BEGIN
  IF cardinality(buckets) IS DISTINCT FROM cardinality(los)
     OR cardinality(buckets) IS DISTINCT FROM cardinality(his) THEN
    RAISE EXCEPTION USING
      ERRCODE = 'invalid_parameter_value',
      MESSAGE = format('table %s: %s buckets, %s lower and %s upper bounds (expected: as many)',
                       tbl, cardinality(buckets), cardinality(los), cardinality(his));
  END IF;
  EXECUTE format($sql$
    DELETE FROM zynamo.tombstones tb
    USING unnest($1::smallint[], $2::uuid[], $3::uuid[]) AS g(bucket, lo, hi)
    WHERE tb.table_name = $4 AND tb.bucket = g.bucket
      AND (g.lo IS NULL OR tb.rowid >= g.lo) AND (g.hi IS NULL OR tb.rowid < g.hi)
      AND tb.version < $5
      AND NOT EXISTS (SELECT FROM %1$s r
                      WHERE r.zynamo_rowid = tb.rowid AND r.zynamo_version <= tb.version)
    $sql$, t)
  USING buckets, los, his, tbl, older_than;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (9, '009-tombstone-gc.sql')
ON CONFLICT (version) DO NOTHING;
