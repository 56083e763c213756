import type { PoolClient } from 'pg';
import type { Migration } from '../migrations/schemaVersions';
import { POSTGRES_ACCOUNT_TABLES } from '../../auth/postgres/schema';
import { POSTGRES_EVIDENCE_TRIGGERS, POSTGRES_TABLES } from './schema';
import { migratePostgresJournal } from './migrate';

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
];
