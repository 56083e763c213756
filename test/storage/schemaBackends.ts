import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import type { Config } from '../../server/config';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { PostgresStore } from '../../server/storage/postgres/postgresStore';
import { migrateSqlite } from '../../server/storage/sqlite/schemaVersion';
import { SQLITE_MIGRATIONS, type SqliteMigration } from '../../server/storage/sqlite/migrations';
import { migratePostgres } from '../../server/storage/postgres/schemaVersion';
import { POSTGRES_MIGRATIONS, type PostgresMigration } from '../../server/storage/postgres/migrations';
import type { SchemaReport } from '../../server/storage/migrations/schemaVersions';
import { REPO_ROOT } from '../helpers/serverProcess';
import { postgresUrl } from '../helpers/services';

/** The SQLite and PostgreSQL databases the schema-version tests (schemaVersions.test.ts) run on: fresh ones and the fixtures of test/fixtures/schema-v0. */
export const LATEST = SQLITE_MIGRATIONS.length;
/** Every version, 1 to LATEST. */
export const ALL_VERSIONS = Array.from({ length: LATEST }, (_, i) => i + 1);
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/schema-v0');

export interface FixtureFacts {
  incident: string;
  logEntries: number;
  tasks: number;
  decisions: number;
  users: number;
}

function facts(file: string): FixtureFacts {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as FixtureFacts;
}

/** One database of one backend, as the tests see it. */
export interface Target {
  /** What a server started on it needs (beside testConfig's defaults). */
  config: Partial<Config>;
  /** The environment of the CLI on it. */
  env: Record<string, string>;
  open(): Promise<SqliteStore | PostgresStore>;
  /** Runs the runner with this server's migrations plus `extra` (a newer server's). */
  migrateWith(extra: { backwardCompatible: boolean }[]): Promise<SchemaReport>;
  version(): Promise<number>;
  ledger(): Promise<Array<{ version: number; name: string; applied_at: unknown }>>;
  /** Tables, columns, indexes and triggers, to compare an upgraded database with a fresh one. */
  shape(): Promise<string[]>;
}

export interface Backend {
  name: string;
  fresh(): Promise<Target>;
  fixture(): Promise<{ target: Target; facts: FixtureFacts }>;
  cleanup(): Promise<void>;
}

export function sqliteBackend(): Backend {
  const dirs: string[] = [];
  const target = (dir: string): Target => {
    const file = path.join(dir, 'crisis-cell.db');
    const raw = <T>(fn: (db: Database.Database) => T): T => {
      const db = new Database(file);
      try {
        return fn(db);
      } finally {
        db.close();
      }
    };
    return {
      config: { dataDir: dir },
      env: { DATA_DIR: dir },
      open: async () => new SqliteStore(file),
      migrateWith: async (extra) =>
        raw((db) =>
          migrateSqlite(db, new Date(), [
            ...SQLITE_MIGRATIONS,
            ...extra.map((e, i): SqliteMigration => ({ version: LATEST + 1 + i, name: `newer-${i + 1}`, backwardCompatible: e.backwardCompatible, up: (d) => d.exec(`CREATE TABLE newer_${i + 1} (x INTEGER)`) })),
          ]),
        ),
      version: async () => raw((db) => Number(db.pragma('user_version', { simple: true }))),
      ledger: async () => raw((db) => db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string; applied_at: unknown }>),
      shape: async () =>
        raw((db) => {
          const objects = db.prepare<[], { type: string; name: string }>(`SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`).all();
          const columns = objects.filter((o) => o.type === 'table').flatMap((t) => db.prepare<[], { name: string; type: string }>(`PRAGMA table_info(${t.name})`).all().map((c) => `${t.name}.${c.name} ${c.type}`));
          return [...objects.map((o) => `${o.type} ${o.name}`), ...columns.sort()];
        }),
    };
  };
  const newDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-schema-'));
    dirs.push(dir);
    return dir;
  };
  return {
    name: 'SQLite',
    fresh: async () => target(newDir()),
    fixture: async () => {
      const dir = newDir();
      fs.copyFileSync(path.join(FIXTURES, 'crisis-cell.db'), path.join(dir, 'crisis-cell.db'));
      return { target: target(dir), facts: facts('crisis-cell.db.json') };
    },
    cleanup: async () => {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

export function postgresBackend(): Backend {
  const url = postgresUrl();
  const schemas: string[] = [];
  const databases: string[] = [];
  const unique = () => randomBytes(6).toString('hex');

  async function query<R extends object>(connection: string, sql: string, schema: string | null): Promise<R[]> {
    const client = new Client({ connectionString: connection, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  const target = (connection: string, schema: string | null): Target => ({
    config: { databaseUrl: connection, ...(schema ? { databaseSchema: schema } : {}) },
    env: { DATABASE_URL: connection, ...(schema ? { DATABASE_SCHEMA: schema } : {}) },
    open: () => PostgresStore.connect(connection, schema ? { schema } : {}),
    migrateWith: async (extra) => {
      const pool = new Pool({ connectionString: connection, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const report = await migratePostgres(client, schema, new Date(), [
          ...POSTGRES_MIGRATIONS,
          ...extra.map(
            (e, i): PostgresMigration => ({
              version: LATEST + 1 + i,
              name: `newer-${i + 1}`,
              backwardCompatible: e.backwardCompatible,
              up: async (c) => {
                await c.query(`CREATE TABLE newer_${i + 1} (x integer)`);
              },
            }),
          ),
        ]);
        await client.query('COMMIT');
        return report;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        client.release();
        await pool.end();
      }
    },
    version: async () => Number((await query<{ v: number | null }>(connection, 'SELECT max(version) AS v FROM schema_migrations', schema))[0]!.v ?? 0),
    ledger: () => query(connection, 'SELECT version, name, applied_at FROM schema_migrations ORDER BY version', schema),
    shape: async () => {
      const here = schema ? `'${schema}'` : 'current_schema()';
      const columns = await query<{ s: string }>(connection, `SELECT table_name || '.' || column_name || ' ' || data_type AS s FROM information_schema.columns WHERE table_schema = ${here} ORDER BY 1`, schema);
      const triggers = await query<{ s: string }>(connection, `SELECT 'trigger ' || c.relname || '.' || t.tgname AS s FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = ${here}::regnamespace AND NOT t.tgisinternal ORDER BY 1`, schema);
      const indexes = await query<{ s: string }>(connection, `SELECT 'index ' || indexname AS s FROM pg_indexes WHERE schemaname = ${here} ORDER BY 1`, schema);
      return [...columns, ...triggers, ...indexes].map((r) => r.s);
    },
  });

  return {
    name: 'PostgreSQL',
    fresh: async () => {
      const schema = `t_${unique()}`;
      schemas.push(schema);
      return target(url, schema);
    },
    fixture: async () => {
      // A database of its own: the dump's objects live in public, as a server without DATABASE_SCHEMA writes them.
      const name = `crisis_fixture_${unique()}`;
      await query(url, `CREATE DATABASE ${name}`, null);
      databases.push(name);
      const connection = new URL(url);
      connection.pathname = `/${name}`;
      // psql's \restrict and \unrestrict are its own commands, not SQL.
      const dump = fs.readFileSync(path.join(FIXTURES, 'postgres.sql'), 'utf8').split('\n').filter((l) => !l.startsWith('\\')).join('\n');
      await query(connection.toString(), dump, null);
      return { target: target(connection.toString(), null), facts: facts('postgres.sql.json') };
    },
    cleanup: async () => {
      for (const s of schemas) await query(url, `DROP SCHEMA IF EXISTS ${s} CASCADE`, null);
      for (const d of databases) await query(url, `DROP DATABASE IF EXISTS ${d} WITH (FORCE)`, null);
    },
  };
}
