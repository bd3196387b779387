-- Zynamo node schema, version 6: the catalog as clients see it, with Zynamo's own objects hidden.
--
-- A client's catalog query (psql's \d, \dt, \dn, \df; pgjdbc's and DBeaver's metadata queries;
-- information_schema) runs on one node, where the zynamo schema, the internal zynamo_* columns
-- of every distributed table, their indexes, defaults and NOT NULL checks, and the zynamo_*
-- triggers are real. The engine points each reference to one of the relations below at its view
-- here (pg_catalog.pg_class -> zynamo.pg_class, information_schema.columns ->
-- zynamo.information_schema_columns), so the answer is the one a single PostgreSQL holding only
-- the user's tables would give. The views keep every column and every OID of the catalog, so
-- joins, regclass casts and pg_get_*def functions work unchanged; they live in the zynamo schema,
-- which they hide themselves.
--
-- A view's column list is the catalog's when the view was made: after a major upgrade of a node,
-- drop the views (DROP VIEW zynamo.pg_class, ...) and delete version 6 from
-- zynamo.schema_version; the next connection makes them again.

CREATE OR REPLACE FUNCTION zynamo.hidden_column(rel oid, num smallint) RETURNS boolean
LANGUAGE sql STABLE STRICT SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = rel AND a.attnum = num AND a.attname LIKE 'zynamo\_%')
$$;

-- An index on an internal column (zynamo_bucket, zynamo_rowid).
CREATE OR REPLACE FUNCTION zynamo.hidden_index(idx oid) RETURNS boolean
LANGUAGE sql STABLE STRICT SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT EXISTS (SELECT FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a
                   ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                 WHERE i.indexrelid = idx AND a.attname LIKE 'zynamo\_%')
$$;

-- information_schema names a NOT NULL check '<namespace oid>_<table oid>_<attnum>_not_null'.
CREATE OR REPLACE FUNCTION zynamo.hidden_not_null(name text) RETURNS boolean
LANGUAGE sql STABLE STRICT SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
  SELECT name ~ '^[0-9]+_[0-9]+_[0-9]+_not_null$'
     AND zynamo.hidden_column(split_part(name, '_', 2)::oid, split_part(name, '_', 3)::smallint)
$$;

CREATE OR REPLACE VIEW zynamo.pg_namespace AS
  SELECT * FROM pg_catalog.pg_namespace WHERE nspname <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.pg_class AS
  SELECT * FROM pg_catalog.pg_class c
  WHERE c.relnamespace <> 'zynamo'::regnamespace
    AND NOT (c.relkind IN ('i', 'I') AND zynamo.hidden_index(c.oid));

-- A view cannot have a column of pseudo-type anyarray (attmissingval): it shows as text.
DO $$
BEGIN
  EXECUTE format(
    'CREATE OR REPLACE VIEW zynamo.pg_attribute AS SELECT %s FROM pg_catalog.pg_attribute'
    ' WHERE attname NOT LIKE %L',
    (SELECT string_agg(CASE WHEN a.atttypid = 'pg_catalog.anyarray'::pg_catalog.regtype
                            THEN format('%1$I::text AS %1$I', a.attname)
                            ELSE format('%I', a.attname) END, ', ' ORDER BY a.attnum)
     FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = 'pg_catalog.pg_attribute'::pg_catalog.regclass AND a.attnum > 0
       AND NOT a.attisdropped),
    'zynamo\_%');
END
$$;

CREATE OR REPLACE VIEW zynamo.pg_attrdef AS
  SELECT * FROM pg_catalog.pg_attrdef d WHERE NOT zynamo.hidden_column(d.adrelid, d.adnum);

CREATE OR REPLACE VIEW zynamo.pg_index AS
  SELECT * FROM pg_catalog.pg_index i WHERE NOT zynamo.hidden_index(i.indexrelid);

CREATE OR REPLACE VIEW zynamo.pg_trigger AS
  SELECT * FROM pg_catalog.pg_trigger WHERE tgname NOT LIKE 'zynamo\_%';

CREATE OR REPLACE VIEW zynamo.pg_proc AS
  SELECT * FROM pg_catalog.pg_proc WHERE pronamespace <> 'zynamo'::regnamespace;

CREATE OR REPLACE VIEW zynamo.pg_type AS
  SELECT * FROM pg_catalog.pg_type WHERE typnamespace <> 'zynamo'::regnamespace;

CREATE OR REPLACE VIEW zynamo.pg_constraint AS
  SELECT * FROM pg_catalog.pg_constraint WHERE connamespace <> 'zynamo'::regnamespace;

CREATE OR REPLACE VIEW zynamo.pg_sequence AS
  SELECT s.* FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
  WHERE c.relnamespace <> 'zynamo'::regnamespace;

CREATE OR REPLACE VIEW zynamo.pg_tables AS
  SELECT * FROM pg_catalog.pg_tables WHERE schemaname <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.pg_indexes AS
  SELECT x.* FROM pg_catalog.pg_indexes x
  WHERE x.schemaname <> 'zynamo'
    AND NOT zynamo.hidden_index(format('%I.%I', x.schemaname, x.indexname)::regclass);

CREATE OR REPLACE VIEW zynamo.pg_sequences AS
  SELECT * FROM pg_catalog.pg_sequences WHERE schemaname <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.pg_views AS
  SELECT * FROM pg_catalog.pg_views WHERE schemaname <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.information_schema_schemata AS
  SELECT * FROM information_schema.schemata WHERE schema_name <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.information_schema_tables AS
  SELECT * FROM information_schema.tables WHERE table_schema <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.information_schema_views AS
  SELECT * FROM information_schema.views WHERE table_schema <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.information_schema_columns AS
  SELECT * FROM information_schema.columns
  WHERE table_schema <> 'zynamo' AND column_name::text NOT LIKE 'zynamo\_%';

CREATE OR REPLACE VIEW zynamo.information_schema_routines AS
  SELECT * FROM information_schema.routines WHERE routine_schema <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.information_schema_parameters AS
  SELECT * FROM information_schema.parameters WHERE specific_schema <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.information_schema_triggers AS
  SELECT * FROM information_schema.triggers
  WHERE trigger_schema <> 'zynamo' AND trigger_name::text NOT LIKE 'zynamo\_%';

CREATE OR REPLACE VIEW zynamo.information_schema_sequences AS
  SELECT * FROM information_schema.sequences WHERE sequence_schema <> 'zynamo';

CREATE OR REPLACE VIEW zynamo.information_schema_table_constraints AS
  SELECT * FROM information_schema.table_constraints
  WHERE constraint_schema <> 'zynamo' AND NOT zynamo.hidden_not_null(constraint_name);

CREATE OR REPLACE VIEW zynamo.information_schema_check_constraints AS
  SELECT * FROM information_schema.check_constraints
  WHERE constraint_schema <> 'zynamo' AND NOT zynamo.hidden_not_null(constraint_name);

CREATE OR REPLACE VIEW zynamo.information_schema_key_column_usage AS
  SELECT * FROM information_schema.key_column_usage
  WHERE constraint_schema <> 'zynamo' AND column_name::text NOT LIKE 'zynamo\_%';

CREATE OR REPLACE VIEW zynamo.information_schema_constraint_column_usage AS
  SELECT * FROM information_schema.constraint_column_usage
  WHERE constraint_schema <> 'zynamo' AND column_name::text NOT LIKE 'zynamo\_%';

INSERT INTO zynamo.schema_version (version, script) VALUES (6, '006-catalog-views.sql')
ON CONFLICT (version) DO NOTHING;
