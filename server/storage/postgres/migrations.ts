import type { PoolClient } from 'pg';
import type { Migration } from '../migrations/schemaVersions';
import { POSTGRES_ACCOUNT_TABLES } from './accountSchema';
import { POSTGRES_EVIDENCE_TRIGGERS, POSTGRES_TABLES } from './schema';
import { migratePostgresJournal } from './migrate';
import { POSTGRES_JOURNAL_APPEND } from './journalAppend';
import { planNameKeys } from '../migrations/nameKeyMigration';

export type PostgresMigration = Migration<PoolClient, Promise<void>>;

/**
 * Every schema version of the PostgreSQL schema, in order; the runner is
 * postgres/schemaVersion.ts. Same versions and names as the SQLite list (sqlite/migrations.ts).
 *
 * 1 to 3 are the baseline, the schema as it was when versions began. They must stay idempotent
 * (CREATE ... IF NOT EXISTS, catalog checks, the legacy upgrade detecting what it has to do): a
 * schema made before versions records none, so all three run on it, create only what is missing,
 * seal a journal from before hashing, and record version 3. No server ever ran on part of the
 * baseline, hence not backward compatible. Later migrations run exactly once and need not be
 * idempotent; add them at the end.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'journal',
    backwardCompatible: false,
    up: async (client) => {
      await client.query(POSTGRES_TABLES);
    },
  },
  {
    version: 2,
    name: 'hash-chain',
    backwardCompatible: false,
    // Seals the records of a journal from before hashing, then the guards that need sealed rows.
    up: async (client, now) => {
      await migratePostgresJournal(client, now);
      await client.query(POSTGRES_EVIDENCE_TRIGGERS);
    },
  },
  {
    version: 3,
    name: 'accounts',
    backwardCompatible: false,
    up: async (client) => {
      await client.query(POSTGRES_ACCOUNT_TABLES);
    },
  },
  {
    version: 4,
    name: 'unique-display-names',
    // Same as SQLite's migration 4: a nullable column and a unique index, older servers still run.
    backwardCompatible: true,
    up: async (client) => {
      await client.query('ALTER TABLE users ADD COLUMN display_name_key TEXT');
      const { rows } = await client.query<{ id: string; display_name: string }>('SELECT id, display_name FROM users ORDER BY created_at, id');
      for (const u of planNameKeys(rows.map((r) => ({ id: r.id, displayName: r.display_name })))) {
        await client.query('UPDATE users SET display_name = $1, display_name_key = $2 WHERE id = $3', [u.displayName, u.key, u.id]);
      }
      await client.query('CREATE UNIQUE INDEX users_display_name_key ON users (display_name_key)');
    },
  },
  {
    version: 5,
    name: 'invitation-grants',
    // Same as SQLite's migration 5: two nullable columns, older servers still run.
    backwardCompatible: true,
    up: async (client) => {
      await client.query('ALTER TABLE invitations ADD COLUMN incident_id TEXT, ADD COLUMN incident_role TEXT');
    },
  },
  {
    version: 6,
    name: 'exercises',
    // Same as SQLite's migration 6: a new table an older server never reads.
    backwardCompatible: true,
    up: async (client) => {
      await client.query('CREATE TABLE exercises (incident_id text PRIMARY KEY, state text NOT NULL)');
    },
  },
  {
    version: 7,
    name: 'journal-append',
    // A function (postgres/journalAppend.ts): older servers append with their own statements,
    // under the same doc_heads row lock and with the same hashes, so both kinds of node mix.
    backwardCompatible: true,
    up: async (client) => {
      await client.query(POSTGRES_JOURNAL_APPEND);
    },
  },
  {
    version: 8,
    name: 'snapshot-parts',
    // SQLite's snapshots in parts (sqlite/sqliteSnapshots.ts), so its writes do not hold the
    // event loop. PostgreSQL's are written off the event loop already; the version is taken so
    // the two lists keep the same numbers.
    backwardCompatible: true,
    up: async () => undefined,
  },
];
