/**
 * SQLite schema. The journal is append-only: triggers refuse UPDATE and DELETE, so even a bug
 * in the server cannot rewrite history through this connection. Each record carries a hash
 * chained to the previous record of its document (server/storage/chain.ts); a trigger refuses
 * a record that does not chain, and doc_heads, written in the same transaction, remembers where
 * each chain ends so a truncated tail shows. Checkpoints (signed heads) are append-only too.
 *
 * Tables are migration 1 ("journal"); migration 2 ("hash-chain") seals the rows of older files
 * (server/storage/sqlite/migrate.ts) before the triggers, so UPDATE is refused again only after.
 * Both must stay idempotent: see server/storage/sqlite/migrations.ts.
 */
export const SQLITE_TABLES = `
CREATE TABLE IF NOT EXISTS journal (
  doc     TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  at      INTEGER NOT NULL,
  author  TEXT    NOT NULL,
  update_bytes BLOB NOT NULL,
  hash      BLOB,
  prev_hash BLOB,
  PRIMARY KEY (doc, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS doc_heads (
  doc  TEXT    PRIMARY KEY,
  seq  INTEGER NOT NULL,
  hash BLOB    NOT NULL
);

CREATE TABLE IF NOT EXISTS snapshots (
  doc          TEXT    PRIMARY KEY,
  seq          INTEGER NOT NULL,
  update_bytes BLOB    NOT NULL,
  state_vector BLOB    NOT NULL
);

CREATE TABLE IF NOT EXISTS incidents (
  id          TEXT PRIMARY KEY,
  meta        TEXT NOT NULL,
  opened_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS checkpoints (
  doc        TEXT    NOT NULL,
  seq        INTEGER NOT NULL,
  head       BLOB    NOT NULL,
  signed_at  INTEGER NOT NULL,
  key_id     TEXT    NOT NULL,
  public_key BLOB    NOT NULL,
  signature  BLOB    NOT NULL
);
CREATE INDEX IF NOT EXISTS checkpoints_by_doc ON checkpoints (doc, seq);

CREATE TABLE IF NOT EXISTS legacy_seals (
  doc         TEXT    PRIMARY KEY,
  through_seq INTEGER NOT NULL,
  sealed_at   INTEGER NOT NULL
);
`;

export const SQLITE_TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

CREATE TRIGGER IF NOT EXISTS journal_chained BEFORE INSERT ON journal
WHEN NEW.hash IS NULL OR length(NEW.hash) <> 32
  OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM journal WHERE doc = NEW.doc AND seq = NEW.seq - 1), CASE WHEN NEW.seq = 1 THEN zeroblob(32) END)
BEGIN SELECT RAISE(ABORT, 'journal record does not chain to the previous record of its document'); END;

CREATE TRIGGER IF NOT EXISTS checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER IF NOT EXISTS checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
`;

/** Before hashing existed; kept to test the migration of files written by earlier versions. */
export const SQLITE_LEGACY_JOURNAL = `
CREATE TABLE IF NOT EXISTS journal (
  doc     TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  at      INTEGER NOT NULL,
  author  TEXT    NOT NULL,
  update_bytes BLOB NOT NULL,
  PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
`;
