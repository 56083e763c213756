/**
 * Schema names end up inside DDL and the `search_path` connection option, where no bind
 * parameter can go, so only plain lowercase identifiers are accepted.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Serialises migrations across nodes (postgres/schemaVersion.ts): CREATE ... IF NOT EXISTS is not
 * safe against a concurrent twin (both see "missing", one fails on a catalog unique index), and
 * two nodes must not both apply a migration. Any constant works as long as every node uses the
 * same one, servers from before schema versions included; this is "crisiscl" in ASCII.
 */
export const SCHEMA_LOCK_KEY = '7165905901511205740';

/**
 * The journal is append-only, enforced by the database: triggers refuse UPDATE, DELETE and
 * TRUNCATE, so even a bug in the server cannot rewrite history. (An owner can still disable
 * triggers on purpose; this guards against accidents, not against the DBA.)
 *
 * doc_heads holds the last seq and hash of each document. Appends bump it with an upsert, whose
 * row lock serialises concurrent appenders of one document across nodes, so seqs stay gap-free
 * and ordered without a table lock, and each batch chains to the hash it read there. It changes
 * in the same transaction as the journal rows, so it also shows a truncated tail.
 *
 * Each journal record carries a hash chained to the previous record of its document
 * (server/storage/chain.ts); a deferred constraint trigger refuses, at commit, a record whose
 * prev_hash is not the hash of the record before it. Checkpoints are append-only too.
 *
 * Migration 1 ("journal", postgres/migrations.ts): must stay idempotent, see there.
 */
export const POSTGRES_TABLES = `
CREATE TABLE IF NOT EXISTS journal (
  doc          text        NOT NULL,
  seq          bigint      NOT NULL CHECK (seq > 0),
  at           timestamptz NOT NULL,
  author       text        NOT NULL,
  update_bytes bytea       NOT NULL,
  hash         bytea,
  prev_hash    bytea,
  PRIMARY KEY (doc, seq)
);

CREATE TABLE IF NOT EXISTS doc_heads (
  doc  text   PRIMARY KEY,
  seq  bigint NOT NULL,
  hash bytea
);

CREATE TABLE IF NOT EXISTS checkpoints (
  doc        text        NOT NULL,
  seq        bigint      NOT NULL,
  head       bytea       NOT NULL,
  signed_at  timestamptz NOT NULL,
  key_id     text        NOT NULL,
  public_key bytea       NOT NULL,
  signature  bytea       NOT NULL
);
CREATE INDEX IF NOT EXISTS checkpoints_by_doc ON checkpoints (doc, seq);

CREATE TABLE IF NOT EXISTS legacy_seals (
  doc         text        PRIMARY KEY,
  through_seq bigint      NOT NULL,
  sealed_at   timestamptz NOT NULL
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

/**
 * Migration 2 ("hash-chain"), after the legacy upgrade (postgres/migrate.ts) has sealed older
 * rows: the chain check and checkpoint guards.
 */
export const POSTGRES_EVIDENCE_TRIGGERS = `
CREATE OR REPLACE FUNCTION journal_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE expected bytea;
BEGIN
  IF NEW.hash IS NULL OR length(NEW.hash) <> 32 THEN
    RAISE EXCEPTION 'journal record %#% has no valid hash', NEW.doc, NEW.seq USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.seq = 1 THEN
    expected := decode(repeat('00', 32), 'hex');
  ELSE
    SELECT hash INTO expected FROM journal WHERE doc = NEW.doc AND seq = NEW.seq - 1;
  END IF;
  IF NEW.prev_hash IS DISTINCT FROM expected THEN
    RAISE EXCEPTION 'journal record %#% does not chain to the previous record of its document', NEW.doc, NEW.seq USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION checkpoints_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'checkpoints are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;

DO $$
BEGIN
  -- Deferred to commit: every row of the batch is visible then, whatever order they went in.
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'journal'::regclass AND tgname = 'journal_chained') THEN
    CREATE CONSTRAINT TRIGGER journal_chained AFTER INSERT ON journal
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_check_chain();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'checkpoints'::regclass AND tgname = 'checkpoints_no_change') THEN
    CREATE TRIGGER checkpoints_no_change BEFORE UPDATE OR DELETE ON checkpoints
      FOR EACH ROW EXECUTE FUNCTION checkpoints_refuse_change();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'checkpoints'::regclass AND tgname = 'checkpoints_no_truncate') THEN
    CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION checkpoints_refuse_change();
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

/** The journal as versions before hashing created it; kept to test the migration. */
export const POSTGRES_LEGACY_TABLES = `
CREATE TABLE journal (
  doc          text        NOT NULL,
  seq          bigint      NOT NULL CHECK (seq > 0),
  at           timestamptz NOT NULL,
  author       text        NOT NULL,
  update_bytes bytea       NOT NULL,
  PRIMARY KEY (doc, seq)
);
CREATE TABLE doc_heads (
  doc text   PRIMARY KEY,
  seq bigint NOT NULL
);
CREATE OR REPLACE FUNCTION journal_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER journal_no_change BEFORE UPDATE OR DELETE ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_refuse_change();
`;
