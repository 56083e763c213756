import type Database from 'better-sqlite3';
import type { Migration } from '../migrations/schemaVersions';
import { SQLITE_ACCOUNT_SCHEMA } from './accountSchema';
import { SQLITE_TABLES, SQLITE_TRIGGERS } from './schema';
import { migrateSqliteJournal } from './migrate';
import { planNameKeys } from '../migrations/nameKeyMigration';

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
  {
    version: 4,
    name: 'unique-display-names',
    // Adds a nullable column and an index: an older server still runs (its new accounts get no
    // key, so it does not enforce the rule, but nothing it writes is misread).
    backwardCompatible: true,
    up: (db) => {
      db.exec('ALTER TABLE users ADD COLUMN display_name_key TEXT');
      const users = db.prepare('SELECT id, display_name AS displayName FROM users ORDER BY created_at, id').all() as Array<{ id: string; displayName: string }>;
      const set = db.prepare('UPDATE users SET display_name = ?, display_name_key = ? WHERE id = ?');
      for (const u of planNameKeys(users)) set.run(u.displayName, u.key, u.id);
      db.exec('CREATE UNIQUE INDEX users_display_name_key ON users (display_name_key)');
    },
  },
  {
    version: 5,
    name: 'invitation-grants',
    // Two nullable columns: the incident and role an invitation grants on acceptance. An older
    // server still runs (it ignores them: such an invitation then grants no incident).
    backwardCompatible: true,
    up: (db) => {
      db.exec('ALTER TABLE invitations ADD COLUMN incident_id TEXT');
      db.exec('ALTER TABLE invitations ADD COLUMN incident_role TEXT');
    },
  },
  {
    version: 6,
    name: 'exercises',
    // A new table (server/exercise/exerciseStore.ts): an older server never reads it.
    backwardCompatible: true,
    up: (db) => db.exec('CREATE TABLE exercises (incident_id TEXT PRIMARY KEY, state TEXT NOT NULL)'),
  },
  {
    version: 7,
    name: 'journal-append',
    // PostgreSQL's append in one statement (postgres/journalAppend.ts). SQLite appends in-process
    // and needs nothing; the version is taken so the two lists keep the same numbers.
    backwardCompatible: true,
    up: () => undefined,
  },
  {
    version: 8,
    name: 'snapshot-parts',
    // Snapshots written a megabyte per transaction (sqlite/sqliteSnapshots.ts). Two new tables:
    // an older server never reads them, and reads its `snapshots` rows, which are deleted once a
    // newer snapshot is in parts (it then loads from the journal, which has everything).
    backwardCompatible: true,
    up: (db) =>
      db.exec(`
        CREATE TABLE snapshot_parts (doc TEXT NOT NULL, seq INTEGER NOT NULL, idx INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (doc, seq, idx));
        CREATE TABLE snapshot_heads (doc TEXT PRIMARY KEY, seq INTEGER NOT NULL, parts INTEGER NOT NULL, state_vector BLOB NOT NULL);
      `),
  },
];
