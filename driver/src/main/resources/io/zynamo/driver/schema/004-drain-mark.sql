-- Zynamo node schema, version 4: draining a long transaction's changes in constant time.
--
-- Every write drains the images it captured right after it ran (zynamo.drain_changes). Version 1
-- deleted every row of the transaction from zynamo.changes; inside one transaction the rows an
-- earlier drain deleted stay in the (txid, seq) index until the transaction ends, so each drain
-- stepped over all of them and a transaction of many writes (a large COPY) took quadratic time.
-- The drain now remembers, in a transaction-local setting, the highest seq it could have seen
-- and starts after it. A ROLLBACK TO SAVEPOINT reverts the setting together with the drains it
-- covered, so the mark never passes a row that is back.
CREATE OR REPLACE FUNCTION zynamo.drain_changes() RETURNS SETOF zynamo.changes
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  after bigint := coalesce(nullif(current_setting('zynamo.drained', true), ''), '0')::bigint;
  upto bigint;
BEGIN
  -- The sequence's last value is at least every seq this transaction has taken so far.
  SELECT last_value INTO upto FROM zynamo.changes_seq_seq;
  PERFORM set_config('zynamo.drained', upto::text, true);
  RETURN QUERY
    WITH drained AS (
      DELETE FROM zynamo.changes
      WHERE txid = txid_current_if_assigned() AND seq > after AND seq <= upto
      RETURNING *)
    SELECT * FROM drained ORDER BY seq;
END
$$;

INSERT INTO zynamo.schema_version (version, script) VALUES (4, '004-drain-mark.sql')
ON CONFLICT (version) DO NOTHING;
