-- Zynamo node schema, version 3: commit decisions of two-phase commits.
--
-- A transaction that wrote on several nodes inserts its decision row here, on one of its
-- participants (the decision node), inside that participant's own transaction; it then prepares
-- every other participant (PREPARE TRANSACTION 'zynamo:<txid>:<decision node>') and commits the
-- decision node. That commit is the commit point: the row exists exactly when the transaction
-- committed.
--
-- Recovery finds a prepared transaction left behind (pg_prepared_xacts) and asks its decision
-- node by inserting an 'abort' row for its txid: the insert waits while the decision node's
-- transaction is still running, conflicts with its 'commit' row once it committed, and succeeds
-- once it rolled back (or died), which then also settles that it never commits.
CREATE TABLE IF NOT EXISTS zynamo.decisions (
  txid uuid PRIMARY KEY,
  outcome text NOT NULL CHECK (outcome IN ('commit', 'abort')),
  decided timestamptz NOT NULL DEFAULT now()
);

INSERT INTO zynamo.schema_version (version, script) VALUES (3, '003-decisions.sql')
ON CONFLICT (version) DO NOTHING;
