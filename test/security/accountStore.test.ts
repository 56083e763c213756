import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { PostgresStore } from '../../server/storage/postgres/postgresStore';
import { openAccountStore } from '../../server/auth/openAccountStore';
import type { DocumentStore } from '../../server/storage/documentStore';
import { describeAccountStoreContract } from '../contracts/accountStore.contract';
import { describeWithService, postgresUrl } from '../helpers/services';
import { until } from '../helpers/poll';

/** The account store runs on the journal store's own connection; closing the journal store closes both. */
describe('SqliteAccountStore', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-accounts-'));
  const file = path.join(dir, 'crisis-cell.db');
  let documents: DocumentStore | null = null;

  afterAll(async () => {
    await documents?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describeAccountStoreContract(
    'SqliteAccountStore',
    async () => {
      documents = new SqliteStore(file);
      return openAccountStore(documents);
    },
    {
      rawExec: async (sql) => {
        const db = new Database(file);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
    },
  );
});

describeWithService('PostgreSQL', 'PostgresAccountStore', () => {
  const url = postgresUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let documents: DocumentStore | null = null;

  async function rawQuery(sql: string, inSchema: string | null = schema): Promise<void> {
    const client = new Client({ connectionString: url, ...(inSchema ? { options: `-c search_path=${inSchema}` } : {}) });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    await documents?.close();
    await rawQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`, null);
  });

  describeAccountStoreContract(
    'PostgresAccountStore',
    async () => {
      documents = await PostgresStore.connect(url, { schema });
      return openAccountStore(documents);
    },
    { rawExec: rawQuery },
  );

  it('a claim that waited on another transaction claiming the same id answers with that owner', async () => {
    const own = await PostgresStore.connect(url, { schema });
    const store = await openAccountStore(own);
    const doc = `${randomBytes(6).toString('hex')}:log`;
    const rival = new Client({ connectionString: url, options: `-c search_path=${schema}` });
    await rival.connect();
    try {
      await rival.query('BEGIN');
      await rival.query("INSERT INTO yjs_clients (doc, client, user_id) VALUES ($1, 7, 'carol')", [doc]);
      const claim = store.claimClients(doc, [7, 8], 'bob');
      // The claim's statement has begun (its snapshot without carol's row) and waits on her insert.
      await until(async () => {
        // A backend blocked by the rival: the claim, waiting.
        const { rows } = await rival.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))');
        return Number(rows[0]!.n) > 0;
      }, 'the claim waiting on the rival insert');
      await rival.query('COMMIT');
      expect(await claim).toEqual(new Map([[7, 'carol'], [8, 'bob']]));
    } finally {
      await rival.end();
      await own.close();
    }
  });
});
