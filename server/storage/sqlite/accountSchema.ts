/**
 * Account tables in the journal's SQLite file. Times are milliseconds since the epoch. The
 * audit table is append-only like the journal: triggers refuse UPDATE and DELETE.
 *
 * Applied as migration 3 ("accounts") of the file's schema (server/storage/sqlite/migrations.ts):
 * it must stay idempotent, and later changes to these tables are new migrations, not edits here.
 */
export const SQLITE_ACCOUNT_SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id             TEXT    PRIMARY KEY,
  email          TEXT    NOT NULL UNIQUE,
  display_name   TEXT    NOT NULL,
  password_hash  TEXT    NOT NULL,
  is_admin       INTEGER NOT NULL,
  disabled       INTEGER NOT NULL,
  totp_secret    TEXT,
  totp_enabled   INTEGER NOT NULL,
  totp_last_step INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
  id_hash    TEXT    PRIMARY KEY,
  user_id    TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  ip         TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);

CREATE TABLE IF NOT EXISTS api_tokens (
  id           TEXT    PRIMARY KEY,
  user_id      TEXT    NOT NULL,
  name         TEXT    NOT NULL,
  hash         TEXT    NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  revoked_at   INTEGER,
  last_used_at INTEGER
);
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens (user_id);

CREATE TABLE IF NOT EXISTS invitations (
  hash         TEXT    PRIMARY KEY,
  kind         TEXT    NOT NULL,
  email        TEXT,
  display_name TEXT,
  is_admin     INTEGER NOT NULL,
  created_by   TEXT,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
);

CREATE TABLE IF NOT EXISTS memberships (
  incident_id TEXT    NOT NULL,
  user_id     TEXT    NOT NULL,
  role        TEXT    NOT NULL,
  granted_by  TEXT,
  granted_at  INTEGER NOT NULL,
  PRIMARY KEY (incident_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);

CREATE TABLE IF NOT EXISTS yjs_clients (
  doc     TEXT    NOT NULL,
  client  INTEGER NOT NULL,
  user_id TEXT    NOT NULL,
  PRIMARY KEY (doc, client)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS last_visits (
  incident_id TEXT    NOT NULL,
  user_id     TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (incident_id, user_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS login_throttle (
  key             TEXT    PRIMARY KEY,
  failures        INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL,
  blocked_until   INTEGER
);

CREATE TABLE IF NOT EXISTS audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  actor       TEXT,
  action      TEXT    NOT NULL,
  incident_id TEXT,
  ip          TEXT,
  detail      TEXT
);
CREATE INDEX IF NOT EXISTS audit_incident ON audit (incident_id, id);

CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
`;
