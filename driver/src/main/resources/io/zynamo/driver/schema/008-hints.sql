-- Zynamo node schema, version 8: hinted handoff.
--
-- A write whose images a replica could not take (it was down, or unreachable) leaves them here,
-- on the node that coordinated the write, as a hint naming the replica they are for: the batch
-- exactly as zynamo.apply takes it. Once the replica answers again, a handoff pass (every driver
-- and proxy instance runs one with its recovery, and SELECT zynamo.handoff() runs one at once)
-- applies the hints to it in id order and deletes them; zynamo.apply keeps the newest version, so
-- a hint applied twice, or after newer writes, changes nothing. The table lives in schema zynamo,
-- outside the user's tables: queries through Zynamo never see it.
CREATE TABLE IF NOT EXISTS zynamo.hints (
  id bigserial PRIMARY KEY,
  owner text NOT NULL,
  table_name text NOT NULL,
  images jsonb NOT NULL,
  created timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS hints_owner ON zynamo.hints (owner, id);

INSERT INTO zynamo.schema_version (version, script) VALUES (8, '008-hints.sql')
ON CONFLICT (version) DO NOTHING;
