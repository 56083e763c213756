import type Database from 'better-sqlite3';
import { type AppliedMigration, type SchemaReport, pendingMigrations } from '../migrations/schemaVersions';
import { SQLITE_MIGRATIONS, type SqliteMigration } from './migrations';

/**
 * The version is the file's `PRAGMA user_version` (0 in a file from before versions, and in a
 * new one). schema_migrations keeps, per migration, its name, when it ran and whether older
 * servers may run on it, which a server reads about versions it does not know.
 */
const LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version             INTEGER PRIMARY KEY,
  name                TEXT    NOT NULL,
  applied_at          INTEGER NOT NULL,
  backward_compatible INTEGER NOT NULL
);
`;

interface LedgerRow {
  version: number;
  name: string;
  backward_compatible: number;
}

/**
 * Brings the file to the last version of `migrations`, in one IMMEDIATE transaction (another
 * process opening the file waits, then finds the work done), or refuses with SchemaTooNewError
 * and changes nothing. A second run is a no-op.
 */
export function migrateSqlite(db: Database.Database, now: Date, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): SchemaReport {
  const run = db.transaction((): SchemaReport => {
    const from = Number(db.pragma('user_version', { simple: true }));
    const adopted = from === 0 && db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'`).get() !== undefined;
    db.exec(LEDGER);
    const recorded: AppliedMigration[] = db
      .prepare<[], LedgerRow>('SELECT version, name, backward_compatible FROM schema_migrations ORDER BY version')
      .all()
      .map((r) => ({ version: r.version, name: r.name, backwardCompatible: r.backward_compatible === 1 }));
    const pending = pendingMigrations(migrations, from, recorded);
    const note = db.prepare('INSERT OR REPLACE INTO schema_migrations (version, name, applied_at, backward_compatible) VALUES (?, ?, ?, ?)');
    for (const m of pending) {
      m.up(db, now);
      note.run(m.version, m.name, now.getTime(), m.backwardCompatible ? 1 : 0);
    }
    const to = pending.length > 0 ? pending[pending.length - 1]!.version : from;
    // A pragma takes no bind parameter; `to` is an integer from the list.
    if (to !== from) db.pragma(`user_version = ${to}`);
    return { from, to, latest: migrations.length, applied: pending.map((m) => m.version), adopted };
  });
  return run.immediate();
}
