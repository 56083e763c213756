import type Database from 'better-sqlite3';
import type { Migration } from '../migrations/schemaVersions';
import { SQLITE_ACCOUNT_SCHEMA } from '../../auth/sqlite/schema';
import { SQLITE_TABLES, SQLITE_TRIGGERS } from './schema';
import { migrateSqliteJournal } from './migrate';

export type SqliteMigration = Migration<Database.Database>;

/**
 * Every schema version of the SQLite file, in order; the runner is sqlite/schemaVersion.ts.
 *
 * 1 to 3 are the baseline, the schema as it was when versions began. They must stay idempotent
 * (CREATE ... IF NOT EXISTS, the legacy upgrade detecting what it has to do): a file written
 * before versions records none, so all three run on it, create only what is missing, seal a
 * journal from before hashing, and record version 3. No server ever ran on part of the baseline,
 * hence not backward compatible. Later migrations run exactly once and need not be idempotent;
 * add them at the end, the same version and name as the PostgreSQL list.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'journal',
    backwardCompatible: false,
    up: (db) => db.exec(SQLITE_TABLES),
  },
  {
    version: 2,
    name: 'hash-chain',
    backwardCompatible: false,
    // Seals the records of a file from before hashing, then the guards that need sealed rows.
    up: (db, now) => {
      migrateSqliteJournal(db, now);
      db.exec(SQLITE_TRIGGERS);
    },
  },
  {
    version: 3,
    name: 'accounts',
    backwardCompatible: false,
    up: (db) => db.exec(SQLITE_ACCOUNT_SCHEMA),
  },
];
