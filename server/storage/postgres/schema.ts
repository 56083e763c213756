/**
 * Schema names end up inside DDL and the `search_path` connection option, where no bind
 * parameter can go, so only plain lowercase identifiers are accepted.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Serialises schema creation across nodes: CREATE ... IF NOT EXISTS is not safe against a
 * concurrent twin (both see "missing", one fails on a catalog unique index). Any constant works
 * as long as every node uses the same one; this is "crisiscl" in ASCII.
 */
const SCHEMA_LOCK_KEY = '7165905901511205740';

/**
 * The journal is append-only, enforced by the database: triggers refuse UPDATE, DELETE and
 * TRUNCATE, so even a bug in the server cannot rewrite history. (An owner can still disable
 * triggers on purpose; this guards against accidents, not against the DBA.)
 *
 * doc_heads holds the last seq of each document. Appends bump it with an upsert, whose row lock
 * serialises concurrent appenders of one document across nodes, so seqs stay gap-free and
 * ordered without a table lock. It changes in the same transaction as the journal rows.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS journal (
  doc          text        NOT NULL,
  seq          bigint      NOT NULL CHECK (seq > 0),
  at           timestamptz NOT NULL,
  author       text        NOT NULL,
  update_bytes bytea       NOT NULL,
  PRIMARY KEY (doc, seq)
);

CREATE TABLE IF NOT EXISTS doc_heads (
  doc text   PRIMARY KEY,
  seq bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS snapshots (
  doc          text   PRIMARY KEY,
  seq          bigint NOT NULL,
  update_bytes bytea  NOT NULL,
  state_vector bytea  NOT NULL
);

CREATE TABLE IF NOT EXISTS incidents (
  id        text        PRIMARY KEY,
  meta      jsonb       NOT NULL,
  opened_at timestamptz NOT NULL
);

CREATE OR REPLACE FUNCTION journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;

DO $$
BEGIN
  -- No CREATE OR REPLACE TRIGGER before PostgreSQL 14, hence the catalog check.
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'journal'::regclass AND tgname = 'journal_no_change') THEN
    CREATE TRIGGER journal_no_change BEFORE UPDATE OR DELETE ON journal
      FOR EACH ROW EXECUTE FUNCTION journal_refuse_change();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'journal'::regclass AND tgname = 'journal_no_truncate') THEN
    CREATE TRIGGER journal_no_truncate BEFORE TRUNCATE ON journal
      FOR EACH STATEMENT EXECUTE FUNCTION journal_refuse_change();
  END IF;
END
$$;
`;

export function checkSchemaName(name: string): string {
  if (!SCHEMA_NAME.test(name)) {
    throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(name)}: expected lowercase letters, digits and _`);
  }
  return name;
}

/** The connection option that makes every pooled connection resolve our tables in `schema`. */
export function searchPathOption(schema: string): string {
  return `-c search_path=${checkSchemaName(schema)}`;
}

/**
 * The statements that create whatever is missing, to run in order inside one transaction: the
 * transaction-scoped advisory lock makes nodes starting together take turns. `schema` null
 * means the connection's default search_path.
 */
export function bootstrapStatements(schema: string | null): string[] {
  return [
    `SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`,
    ...(schema === null ? [] : [`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)}`]),
    TABLES,
  ];
}
