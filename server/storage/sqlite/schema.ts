/**
 * SQLite schema. The journal is append-only: triggers refuse UPDATE and DELETE, so even a bug
 * in the server cannot rewrite history through this connection.
 */
export const SQLITE_SCHEMA = `
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
`;
