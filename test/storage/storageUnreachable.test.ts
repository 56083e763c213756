import path from 'node:path';
import Database from 'better-sqlite3';
import { Client, Pool } from 'pg';
import { StorageError, isStorageUnreachable, wrapStorageError } from '../../server/storage/storageError';
import { AppError, toWireError } from '../../server/errors';
import { freePort } from '../helpers/serverProcess';
import { describeWithService, postgresUrl } from '../helpers/services';
import { tempDir } from '../helpers/testServer';

/**
 * The one judgement "the database cannot be reached right now" (answered STORAGE_UNAVAILABLE,
 * 503 on REST), checked against errors the real drivers raise, not hand-made look-alikes.
 */

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('isStorageUnreachable', () => {
  it('a connection refused (nothing listens on the port) is unreachable, also once wrapped', async () => {
    const port = await freePort();
    const err = await rejection(new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'test' }).connect());
    expect(isStorageUnreachable(err)).toBe(true);
    expect(isStorageUnreachable(wrapStorageError('load', err))).toBe(true);
    expect(toWireError(wrapStorageError('load', err)).code).toBe('STORAGE_UNAVAILABLE');
  });

  it('a store that knows it is cut off says so without a driver error', () => {
    expect(isStorageUnreachable(new StorageError('document locks: PostgreSQL was unreachable a moment ago', undefined, true))).toBe(true);
    expect(isStorageUnreachable(new StorageError('append: something else'))).toBe(false);
  });

  it('SQLite busy past its timeout (another process holds the write lock) is unavailable; a constraint failure is not', () => {
    const file = path.join(tempDir('crisis-busy-'), 'db.sqlite');
    const holder = new Database(file);
    const other = new Database(file);
    try {
      holder.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      other.pragma('busy_timeout = 0');
      holder.exec('BEGIN EXCLUSIVE');
      let busy: unknown = null;
      try {
        other.exec('INSERT INTO t VALUES (1)');
      } catch (err) {
        busy = err;
      }
      holder.exec('COMMIT');
      expect(isStorageUnreachable(wrapStorageError('append', busy))).toBe(true);
      holder.exec('INSERT INTO t VALUES (1)');
      let duplicate: unknown = null;
      try {
        holder.exec('INSERT INTO t VALUES (1)');
      } catch (err) {
        duplicate = err;
      }
      expect(duplicate).not.toBeNull();
      expect(isStorageUnreachable(wrapStorageError('append', duplicate))).toBe(false);
    } finally {
      holder.close();
      other.close();
    }
  });

  it('what is not about reaching the database stays what it was', () => {
    expect(isStorageUnreachable(new Error('boom'))).toBe(false);
    expect(isStorageUnreachable(null)).toBe(false);
    expect(toWireError(new Error('boom')).code).toBe('INTERNAL');
    expect(toWireError(new AppError('NOT_FOUND', 'no incident')).code).toBe('NOT_FOUND');
  });
});

describeWithService('PostgreSQL', 'isStorageUnreachable on PostgreSQL', () => {
  it('a connection the server terminated is unreachable; a bad statement or a failing one is not', async () => {
    const victim = new Client({ connectionString: postgresUrl() });
    const killer = new Client({ connectionString: postgresUrl() });
    // The terminated connection also emits 'error'; without a listener it would be unhandled.
    victim.on('error', () => undefined);
    await Promise.all([victim.connect(), killer.connect()]);
    try {
      const syntax = await rejection(victim.query('SELEC 1'));
      expect(isStorageUnreachable(syntax)).toBe(false);
      const division = await rejection(victim.query('SELECT 1 / 0'));
      expect(isStorageUnreachable(division)).toBe(false);

      const { rows } = await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Ends only this test's own connection: the server itself is untouched.
      await killer.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      const terminated = await rejection(victim.query('SELECT 1'));
      expect(isStorageUnreachable(terminated)).toBe(true);
      expect(toWireError(terminated).code).toBe('STORAGE_UNAVAILABLE');
    } finally {
      await Promise.all([victim.end().catch(() => undefined), killer.end()]);
    }
  });

  it('a pool that cannot get a connection in time is unavailable', async () => {
    const pool = new Pool({ connectionString: postgresUrl(), max: 1, connectionTimeoutMillis: 100 });
    const held = await pool.connect();
    try {
      const err = await rejection(pool.query('SELECT 1'));
      expect(isStorageUnreachable(err)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });
});
