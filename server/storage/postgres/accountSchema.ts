/**
 * Account tables beside the journal, in the same schema (the pool's search_path). The audit table
 * is append-only, enforced by triggers like the journal's.
 *
 * Applied as migration 3 ("accounts") of the schema (server/storage/postgres/migrations.ts), under
 * the migration lock: it must stay idempotent, and later changes to these tables are new
 * migrations, not edits here.
 */
export const POSTGRES_ACCOUNT_TABLES = `
CREATE TABLE IF NOT EXISTS users (
  id             text        PRIMARY KEY,
  email          text        NOT NULL UNIQUE,
  display_name   text        NOT NULL,
  password_hash  text        NOT NULL,
  is_admin       boolean     NOT NULL,
  disabled       boolean     NOT NULL,
  totp_secret    text,
  totp_enabled   boolean     NOT NULL,
  totp_last_step bigint      NOT NULL,
  created_at     timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
  id_hash    text        PRIMARY KEY,
  user_id    text        NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  ip         text
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);

CREATE TABLE IF NOT EXISTS api_tokens (
  id           text        PRIMARY KEY,
  user_id      text        NOT NULL,
  name         text        NOT NULL,
  hash         text        NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens (user_id);

CREATE TABLE IF NOT EXISTS invitations (
  hash         text        PRIMARY KEY,
  kind         text        NOT NULL,
  email        text,
  display_name text,
  is_admin     boolean     NOT NULL,
  created_by   text,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz
);

CREATE TABLE IF NOT EXISTS memberships (
  incident_id text        NOT NULL,
  user_id     text        NOT NULL,
  role        text        NOT NULL,
  granted_by  text,
  granted_at  timestamptz NOT NULL,
  PRIMARY KEY (incident_id, user_id)
);
CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);

CREATE TABLE IF NOT EXISTS yjs_clients (
  doc     text   NOT NULL,
  client  bigint NOT NULL,
  user_id text   NOT NULL,
  PRIMARY KEY (doc, client)
);

CREATE TABLE IF NOT EXISTS last_visits (
  incident_id text        NOT NULL,
  user_id     text        NOT NULL,
  at          timestamptz NOT NULL,
  PRIMARY KEY (incident_id, user_id)
);

CREATE TABLE IF NOT EXISTS login_throttle (
  key             text        PRIMARY KEY,
  failures        integer     NOT NULL,
  last_failure_at timestamptz NOT NULL,
  blocked_until   timestamptz
);

CREATE TABLE IF NOT EXISTS audit (
  id          bigserial   PRIMARY KEY,
  at          timestamptz NOT NULL,
  actor       text,
  action      text        NOT NULL,
  incident_id text,
  ip          text,
  detail      jsonb
);
CREATE INDEX IF NOT EXISTS audit_incident ON audit (incident_id, id);

CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit'::regclass AND tgname = 'audit_no_change') THEN
    CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit'::regclass AND tgname = 'audit_no_truncate') THEN
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
  END IF;
END
$$;
`;

/**
 * The advisory lock servers from before schema versions took to create these tables; the
 * migration runner takes it too, so such a server starting beside a new one waits its turn.
 */
export const ACCOUNT_SCHEMA_LOCK_KEY = '7165905901511205741';
