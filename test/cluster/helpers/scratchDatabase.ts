import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface ScratchDatabase {
  name: string;
  /** The server's connection string with this database in it. */
  url: string;
  /** Drops it, ending whatever connections are left (PostgreSQL 13+: WITH (FORCE)). */
  drop(): Promise<void>;
}

/**
 * A database of its own on the shared PostgreSQL, uniquely named, created empty: the nodes
 * build their schema in `public` as in production (no DATABASE_SCHEMA). Only this database is
 * ever dropped; the server itself is never touched. No jest in here (benches use it too).
 */
export async function createScratchDatabase(serverUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `crisis_${label}_${randomBytes(5).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function admin<T>(serverUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
