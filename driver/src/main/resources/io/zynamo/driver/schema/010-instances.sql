-- Zynamo node schema, version 10: heartbeats of the driver and proxy instances (zynamo.instances).
--
-- Every driver or proxy instance gossips the ring with the nodes (RingGossip): each round it
-- reads one node's ring, merges, writes back what the node lacks, and upserts its row here, with
-- the ring epoch it routes statements with after that merge. A change that must wait until no
-- instance routes with an older ring (moving buckets) reads this table on every node: an
-- instance whose newest row was seen within the ring lease and whose epoch is older is behind.
-- Rows of instances that stopped stay until they are older than any lease; they cost a few bytes.
CREATE TABLE IF NOT EXISTS zynamo.instances (
  id text PRIMARY KEY,
  epoch bigint NOT NULL,
  seen timestamptz NOT NULL DEFAULT now()
);

INSERT INTO zynamo.schema_version (version, script) VALUES (10, '010-instances.sql')
ON CONFLICT (version) DO NOTHING;
