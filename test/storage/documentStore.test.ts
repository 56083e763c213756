import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { PostgresStore, documentLockKey } from '../../server/storage/postgres/postgresStore';
import { MemoryDatabase } from '../../server/storage/memory/memoryDatabase';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { describeDocumentStoreContract } from '../contracts/documentStore.contract';
import { describeWithService, postgresUrl } from '../helpers/services';
import { docName, type DocName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';

/** SQL run through a second handle on the same file, as any other process could open it. */
function rawSqliteExec(file: string): (sql: string) => Promise<void> {
  return async (sql) => {
    const db = new Database(file);
    try {
      db.exec(sql);
    } catch (err) {
      // The driver's error class belongs to whichever jest module context loaded it first.
      throw new Error(String((err as { message?: unknown }).message), { cause: err });
    } finally {
      db.close();
    }
  };
}

describe('SqliteStore', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-store-'));
  const file = path.join(dir, 'crisis-cell.db');

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describeDocumentStoreContract('SqliteStore', async () => new SqliteStore(file), {
    rawExec: rawSqliteExec(file),
    concurrentInstances: false,
  });
});

describe('MemoryStore', () => {
  // Every handle the suite opens is on one database, as nodes sharing one PostgreSQL database:
  // the concurrency tests then prove the locks and seqs hold across handles. There is no other
  // way into the data than the store, so the database-level tests (rawExec) do not apply.
  const database = new MemoryDatabase();
  describeDocumentStoreContract('MemoryStore', async () => new MemoryStore(database), {
    concurrentInstances: true,
    // The locks live in this process: a handle asking for one is queued by the time lockDocument returns.
    lockWaiter: async (doc) => {
      if (database.locks.queued(doc) < 2) throw new Error(`nobody waits for the lock of ${doc}`);
    },
  });
});

// With JOURNAL_COMMIT_THREAD: journal appends committed on the store's own thread, over a second connection to the file.
describe('SqliteStore with its commit thread', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-store-thread-'));
  const file = path.join(dir, 'crisis-cell.db');

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describeDocumentStoreContract('SqliteStore (commit thread)', async () => new SqliteStore(file, { commitThread: true }), {
    rawExec: rawSqliteExec(file),
    concurrentInstances: false,
  });
});

describeWithService('PostgreSQL', 'PostgresStore', () => {
  const url = postgresUrl();
  // A schema of our own, so parallel runs and other suites never see each other's rows.
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const extraSchemas: string[] = [];

  /** One statement on a connection of its own, outside the store. */
  async function rawQuery<R extends object = Record<string, unknown>>(sql: string, inSchema: string | null = schema): Promise<R[]> {
    const client = new Client({ connectionString: url, ...(inSchema ? { options: `-c search_path=${inSchema}` } : {}) });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    for (const s of [schema, ...extraSchemas]) await rawQuery(`DROP SCHEMA IF EXISTS ${s} CASCADE`, null);
  });

  describeDocumentStoreContract('PostgresStore', () => PostgresStore.connect(url, { schema }), {
    rawExec: async (sql) => {
      await rawQuery(sql);
    },
    concurrentInstances: true,
    lockWaiter: (doc) => advisoryLockWaiter(schema, doc),
  });

  /** Looks in pg_locks for a session waiting for `doc`'s advisory lock, one round trip after another (a waiter shows within a few), for at most 10 s. */
  async function advisoryLockWaiter(inSchema: string, doc: DocName): Promise<void> {
    const [space, key] = documentLockKey(inSchema, doc);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const deadline = Date.now() + 10_000;
      do {
        const { rows } = await client.query<{ n: string }>(
          "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1::oid AND objid = hashtext($2)::oid AND objsubid = 2",
          [space, key],
        );
        if (Number(rows[0]!.n) > 0) return;
      } while (Date.now() < deadline);
      throw new Error(`nobody waits for the advisory lock of ${doc}`);
    } finally {
      await client.end();
    }
  }

  describe('PostgreSQL specifics', () => {
    it('refuses TRUNCATE of the journal', async () => {
      const store = await PostgresStore.connect(url, { schema });
      try {
        await store.append(docName(newId(), 'log'), [{ author: 'a', at: new Date(), update: new Uint8Array([1]) }]);
        await expect(rawQuery('TRUNCATE journal')).rejects.toThrow(/append-only/);
        await expect(rawQuery('TRUNCATE journal CASCADE')).rejects.toThrow(/append-only/);
      } finally {
        await store.close();
      }
    });

    it('creates its schema once when several nodes start together', async () => {
      const fresh = `t_${randomBytes(6).toString('hex')}`;
      extraSchemas.push(fresh);
      const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresStore.connect(url, { schema: fresh })));
      try {
        const doc = docName(newId(), 'log');
        await stores[0]!.append(doc, [{ author: 'a', at: new Date(), update: new Uint8Array([7]) }]);
        expect(await stores[4]!.headSeq(doc)).toBe(1);
        const triggers = await rawQuery<{ n: string }>(`SELECT count(*) AS n FROM pg_trigger WHERE tgrelid = '${fresh}.journal'::regclass AND NOT tgisinternal`, null);
        // Append-only (update/delete, truncate) and the deferred hash-chain check.
        expect(Number(triggers[0]!.n)).toBe(3);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('survives its connections being killed (server restart) and works again on new ones', async () => {
      const applicationName = `crisis-test-${randomBytes(4).toString('hex')}`;
      let notifyError = (): void => undefined;
      const poolError = new Promise<void>((resolve) => {
        notifyError = resolve;
      });
      const store = await PostgresStore.connect(url, { schema, applicationName, onError: () => notifyError() });
      try {
        const doc = docName(newId(), 'log');
        await store.append(doc, [{ author: 'a', at: new Date(), update: new Uint8Array([1]) }]);
        // The pool now holds an idle connection; kill it as a restarting server would.
        const killed = await rawQuery<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = '${applicationName}'`, null);
        expect(killed.length).toBeGreaterThan(0);
        // The dead idle connection surfaces as a pool 'error' event, which must not crash the process.
        await poolError;
        const again = await store.append(doc, [{ author: 'b', at: new Date(), update: new Uint8Array([2]) }]);
        expect(again.map((r) => r.seq)).toEqual([2]);
      } finally {
        await store.close();
      }
    });

    it('rejects quickly when PostgreSQL is unreachable', async () => {
      const started = Date.now();
      await expect(PostgresStore.connect('postgres://postgres@127.0.0.1:1/test', { schema })).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(PostgresStore.connect(url, { schema: 'x; DROP TABLE journal' })).rejects.toThrow(/schema name/);
    });
  });
});
