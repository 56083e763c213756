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
});
