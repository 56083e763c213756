import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import type { Config } from '../../server/config';
import { startServer } from '../../server/createServer';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { PostgresStore } from '../../server/storage/postgres/postgresStore';
import type { DocumentStore } from '../../server/storage/documentStore';
import { migrateSqlite } from '../../server/storage/sqlite/schemaVersion';
import { SQLITE_MIGRATIONS, type SqliteMigration } from '../../server/storage/sqlite/migrations';
import { migratePostgres } from '../../server/storage/postgres/schemaVersion';
import { POSTGRES_MIGRATIONS, type PostgresMigration } from '../../server/storage/postgres/migrations';
import { SCHEMA_MISMATCH, SCHEMA_TOO_NEW, SchemaTooNewError, type SchemaReport, describeSchemaReport, oldestCompatibleServer, pendingMigrations } from '../../server/storage/migrations/schemaVersions';
import { openAccountStore } from '../../server/auth/openAccountStore';
import { verifyJournal } from '../../server/evidence/verify';
import { DOC_PARTS, docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { testConfig } from '../helpers/testServer';
import { forgetWorld } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import { REPO_ROOT } from '../helpers/serverProcess';
import { describeWithService, postgresUrl } from '../helpers/services';
import { cli } from '../timeline/helpers/cli';

/**
 * Schema versions on both backends: a fresh database gets the latest version, a second start
 * changes nothing, a database written before versions (test/fixtures/schema-v0, made by the code
 * of 3fa0839) upgrades with every row kept and its journal still verifying, a newer schema is
 * refused unless every migration above what this server knows is marked backward compatible.
 */
const LATEST = SQLITE_MIGRATIONS.length;
/** Every version, 1 to LATEST. */
const ALL_VERSIONS = Array.from({ length: LATEST }, (_, i) => i + 1);
const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/schema-v0');

interface FixtureFacts {
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
interface Target {
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

interface Backend {
  name: string;
  fresh(): Promise<Target>;
  fixture(): Promise<{ target: Target; facts: FixtureFacts }>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
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

function postgresBackend(): Backend {
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

async function closed<T>(store: DocumentStore, fn: (s: DocumentStore) => Promise<T>): Promise<T> {
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function describeSchemaVersions(make: () => Backend): void {
  const backend = make();
  afterAll(() => backend.cleanup());

  it('gives a fresh database the latest version, and a second start changes nothing', async () => {
    const target = await backend.fresh();
    const first = await target.open();
    expect(first.schema).toEqual({ from: 0, to: LATEST, latest: LATEST, applied: ALL_VERSIONS, adopted: false });
    await first.close();
    expect(await target.version()).toBe(LATEST);
    const ledger = await target.ledger();
    expect(ledger.map((r) => [r.version, r.name])).toEqual([
      [1, 'journal'],
      [2, 'hash-chain'],
      [3, 'accounts'],
      [4, 'unique-display-names'],
      [5, 'invitation-grants'],
    ]);
    const again = await target.open();
    expect(again.schema).toEqual({ from: LATEST, to: LATEST, latest: LATEST, applied: [], adopted: false });
    await again.close();
    expect(await target.migrateWith([])).toMatchObject({ from: LATEST, to: LATEST, applied: [] });
    expect(await target.ledger()).toEqual(ledger);
  });

  it('upgrades a database written before schema versions: every row kept, the journal still verifies', async () => {
    const { target, facts } = await backend.fixture();
    const reference = await backend.fresh();
    await (await reference.open()).close();

    const store = await target.open();
    expect(store.schema).toEqual({ from: 0, to: LATEST, latest: LATEST, applied: ALL_VERSIONS, adopted: true });
    await closed(store, async (s) => {
      const heads = (await s.journalHeads()).filter((h) => h.doc.startsWith(`${facts.incident}:`));
      expect(Object.fromEntries(heads.map((h) => [h.doc.split(':')[1], h.seq]))).toEqual({ meta: 1, log: facts.logEntries, tasks: facts.tasks, decisions: facts.decisions });
      const report = await verifyJournal(s);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.documents.reduce((n, d) => n + d.checkpoints, 0)).toBe(heads.length);
      const accounts = await openAccountStore(s);
      expect(await accounts.listUsers()).toHaveLength(facts.users);
      expect(await accounts.listMembers(facts.incident)).toHaveLength(facts.users);
    });
    // The same tables, columns, indexes and triggers as a database created by this version.
    const shape = await target.shape();
    expect(shape.filter((s) => s.startsWith('trigger')).length).toBeGreaterThan(4);
    expect(shape).toEqual(await reference.shape());

    // A real server on it: the administrator of then still logs in, the incident reads back whole.
    const server = await startServer(testConfig({ ...target.config, checkpointIntervalSeconds: 0 }));
    try {
      const state = await getIncidentState(server.url, facts.incident);
      expect(state.log).toHaveLength(facts.logEntries);
      expect(state.tasks).toHaveLength(facts.tasks);
      expect(state.decisions).toHaveLength(facts.decisions);
    } finally {
      forgetWorld(server.url);
      await server.close();
    }
    // `crisis-cell verify`, as an operator would run it after the upgrade.
    const verify = await cli(['verify'], target.env);
    expect(verify.stderr).not.toMatch(/problem|mismatch|fail/i);
    expect(verify.code).toBe(0);
    const reopened = await target.open();
    expect(reopened.schema.applied).toEqual([]);
    await reopened.close();
  });

  it('refuses to start on a newer schema whose migration is not backward compatible, changing nothing', async () => {
    const target = await backend.fresh();
    await (await target.open()).close();
    expect(await target.migrateWith([{ backwardCompatible: false }])).toMatchObject({ from: LATEST, to: LATEST + 1, applied: [LATEST + 1] });
    const before = await target.ledger();

    const refused = await target.open().then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(SchemaTooNewError);
    expect(refused).toMatchObject({ code: SCHEMA_TOO_NEW, found: LATEST + 1, latest: LATEST });
    expect((refused as Error).message).toBe(`database schema is version ${LATEST + 1}, this server knows up to ${LATEST} (migration ${LATEST + 1} "newer-1" is not backward compatible): upgrade the server, or restore a backup`);
    await expect(startServer(testConfig(target.config))).rejects.toMatchObject({ code: SCHEMA_TOO_NEW });
    const verify = await cli(['verify'], target.env);
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toContain(`crisis-cell verify: database schema is version ${LATEST + 1}, this server knows up to ${LATEST}`);
    expect(await target.version()).toBe(LATEST + 1);
    expect(await target.ledger()).toEqual(before);
  });

  it('runs beside a newer schema whose migrations are all backward compatible (a rolling upgrade)', async () => {
    const target = await backend.fresh();
    await (await target.open()).close();
    await target.migrateWith([{ backwardCompatible: true }, { backwardCompatible: true }]);
    const store = await target.open();
    expect(store.schema).toEqual({ from: LATEST + 2, to: LATEST + 2, latest: LATEST, applied: [], adopted: false });
    await closed(store, async (s) => {
      const doc = docName(newId(), DOC_PARTS[1]);
      expect((await s.append(doc, [{ author: 'a', at: new Date(), update: new Uint8Array([1]) }])).map((r) => r.seq)).toEqual([1]);
    });
    expect(await target.version()).toBe(LATEST + 2);
  });

  it('refuses a newer schema when any migration above what it knows is not compatible, naming it', async () => {
    const target = await backend.fresh();
    await (await target.open()).close();
    await target.migrateWith([{ backwardCompatible: false }, { backwardCompatible: true }]);
    await expect(target.open()).rejects.toThrow(`database schema is version ${LATEST + 2}, this server knows up to ${LATEST} (migration ${LATEST + 1} "newer-1" is not backward compatible)`);
  });
}

describe('schema versions: SQLite', () => {
  describeSchemaVersions(sqliteBackend);

  it('a too-new schema stops `npm start` with the message alone, no stack', async () => {
    const target = await sqliteBackend().fresh();
    await (await target.open()).close();
    await target.migrateWith([{ backwardCompatible: false }]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...target.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    fs.rmSync(target.config.dataDir!, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`database schema is version ${LATEST + 1}, this server knows up to ${LATEST} (migration ${LATEST + 1} "newer-1" is not backward compatible): upgrade the server, or restore a backup`);
  });
});

describeWithService('PostgreSQL', 'schema versions: PostgreSQL', () => {
  describeSchemaVersions(postgresBackend);

  it('nodes starting together on a fresh schema migrate it once', async () => {
    const backend = postgresBackend();
    try {
      const target = await backend.fresh();
      const stores = await Promise.all(Array.from({ length: 4 }, () => target.open()));
      await Promise.all(stores.map((s) => s.close()));
      expect(stores.map((s) => s.schema.applied.length).sort()).toEqual([0, 0, 0, LATEST]);
      expect((await target.ledger()).map((r) => r.version)).toEqual(ALL_VERSIONS);
    } finally {
      await backend.cleanup();
    }
  });
});

describe('schema version rules', () => {
  const list = [1, 2, 3].map((version) => ({ version, name: `m${version}`, backwardCompatible: false }));

  it('applies what is missing, in order', () => {
    expect(pendingMigrations(list, 0, []).map((m) => m.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(list, 2, []).map((m) => m.version)).toEqual([3]);
    expect(pendingMigrations(list, 3, [])).toEqual([]);
  });

  it('counts a newer version with no record as not compatible', () => {
    expect(() => pendingMigrations(list, 4, [])).toThrow('database schema is version 4, this server knows up to 3 (migration 4 is not recorded): upgrade the server, or restore a backup');
  });

  it('refuses a database whose recorded migration has another name than this server\'s', () => {
    const recorded = [{ version: 1, name: 'm1', backwardCompatible: false }, { version: 2, name: 'other', backwardCompatible: true }];
    expect(() => pendingMigrations(list, 2, recorded)).toThrow('database schema migration 2 is "other", this server\'s migration 2 is "m2": the database was migrated by another build of the server');
    const thrown = (() => {
      try {
        pendingMigrations(list, 2, recorded);
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(thrown).toMatchObject({ code: SCHEMA_MISMATCH, version: 2 });
  });

  it('refuses a list with a gap or a repeated name', () => {
    expect(() => pendingMigrations([list[0]!, list[2]!], 0, [])).toThrow(/out of order/);
    expect(() => pendingMigrations([list[0]!, { ...list[1]!, name: 'm1' }], 0, [])).toThrow(/used twice/);
  });

  it('names the oldest server that may run on a schema', () => {
    const recorded = [...list, { version: 4, name: 'm4', backwardCompatible: true }, { version: 5, name: 'm5', backwardCompatible: true }];
    expect(oldestCompatibleServer(recorded)).toBe(3);
    expect(oldestCompatibleServer([...recorded, { version: 6, name: 'm6', backwardCompatible: false }])).toBe(6);
  });

  it('says at start-up what opening did to the schema', () => {
    const base = { latest: 3, adopted: false };
    expect(describeSchemaReport({ ...base, from: 0, to: 3, applied: [1, 2, 3] })).toBe('database schema created at version 3');
    expect(describeSchemaReport({ ...base, from: 0, to: 3, applied: [1, 2, 3], adopted: true })).toBe('database schema upgraded from a database from before schema versions to version 3 (migrations 1, 2, 3)');
    expect(describeSchemaReport({ ...base, from: 3, to: 3, applied: [] })).toBeNull();
    expect(describeSchemaReport({ ...base, from: 5, to: 5, applied: [] })).toMatch(/version 5, newer than this server's 3: running on it/);
  });
});
