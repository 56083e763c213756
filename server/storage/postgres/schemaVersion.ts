import type { PoolClient } from 'pg';
import { type AppliedMigration, type SchemaReport, pendingMigrations } from '../migrations/schemaVersions';
import { ACCOUNT_SCHEMA_LOCK_KEY } from './accountSchema';
import { SCHEMA_LOCK_KEY, checkSchemaName } from './schema';
import { POSTGRES_MIGRATIONS, type PostgresMigration } from './migrations';

/** One row per applied migration; the version is the highest. In the store's schema. */
const LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version             integer     PRIMARY KEY,
  name                text        NOT NULL,
  applied_at          timestamptz NOT NULL,
  backward_compatible boolean     NOT NULL
)`;

interface LedgerRow {
  version: number;
  name: string;
  backward_compatible: boolean;
}

/**
 * Brings the schema to the last version of `migrations` inside the caller's transaction, or
 * refuses with SchemaTooNewError (the caller rolls back: nothing changes). The transaction-scoped
 * advisory locks make nodes starting together take turns: the first migrates, the others then
 * find the work done. The second lock is the one servers from before versions took for the
 * account tables, so one of those starting at the same moment waits too. `schema` null means the
 * connection's search_path.
 */
export async function migratePostgres(client: PoolClient, schema: string | null, now: Date, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<SchemaReport> {
  await client.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`);
  await client.query(`SELECT pg_advisory_xact_lock(${ACCOUNT_SCHEMA_LOCK_KEY})`);
  if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${checkSchemaName(schema)}`);
  const { rows: journal } = await client.query<{ found: boolean }>(`SELECT to_regclass('journal') IS NOT NULL AS found`);
  await client.query(LEDGER);
  const { rows } = await client.query<LedgerRow>('SELECT version, name, backward_compatible FROM schema_migrations ORDER BY version');
  const recorded: AppliedMigration[] = rows.map((r) => ({ version: r.version, name: r.name, backwardCompatible: r.backward_compatible }));
  const from = recorded.reduce((v, r) => Math.max(v, r.version), 0);
  const pending = pendingMigrations(migrations, from, recorded);
  for (const m of pending) {
    await m.up(client, now);
    await client.query('INSERT INTO schema_migrations (version, name, applied_at, backward_compatible) VALUES ($1, $2, $3, $4)', [m.version, m.name, now, m.backwardCompatible]);
  }
  const to = pending.length > 0 ? pending[pending.length - 1]!.version : from;
  return { from, to, latest: migrations.length, applied: pending.map((m) => m.version), adopted: from === 0 && journal[0]!.found };
}
