import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { PostgresStore } from '../../server/storage/postgres/postgresStore';
import { SQLITE_LEGACY_JOURNAL } from '../../server/storage/sqlite/schema';
import { POSTGRES_LEGACY_TABLES } from '../../server/storage/postgres/schema';
import type { DocumentStore } from '../../server/storage/documentStore';
import { GENESIS_HASH, recordHash } from '../../server/storage/chain';
import { docName, type DocName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { describeWithService, postgresUrl } from '../helpers/services';
import { rejectionMessage, thrownMessage } from './helpers/throws';

/** Rows as a version before hashing wrote them: two documents, a few records each. */
function legacyRows(): Array<{ doc: DocName; seq: number; at: number; author: string; update: Buffer }> {
  const a = docName(newId(), 'log');
  const b = docName(newId(), 'tasks');
  return [
    ...[1, 2, 3].map((seq) => ({ doc: a, seq, at: 1_700_000_000_000 + seq, author: `Dr. Noël ${seq}`, update: randomBytes(40) })),
    ...[1, 2].map((seq) => ({ doc: b, seq, at: 1_700_000_100_000 + seq, author: 'Infirmière coordinatrice', update: randomBytes(12) })),
  ];
}

/** What every migrated store must show: sealed chains, heads, notes, and appends that go on chaining. */
async function expectSealed(store: DocumentStore, rows: ReturnType<typeof legacyRows>): Promise<void> {
  for (const doc of [...new Set(rows.map((r) => r.doc))]) {
    const journal = await store.readJournal(doc, 0);
    const mine = rows.filter((r) => r.doc === doc);
    expect(journal.map((r) => [r.seq, r.at.getTime(), r.author, Buffer.from(r.update).toString('hex')])).toEqual(mine.map((r) => [r.seq, r.at, r.author, r.update.toString('hex')]));
    let prev = GENESIS_HASH;
    for (const r of journal) {
      expect(r.prevHash).toBe(prev);
      expect(r.hash).toBe(recordHash(r, prev));
      prev = r.hash;
    }
    expect(await store.journalHead(doc)).toEqual({ doc, seq: mine.length, hash: prev });
    const [next] = await store.append(doc, [{ author: 'après migration', at: new Date(), update: new Uint8Array([1, 2, 3]) }]);
    expect(next).toMatchObject({ seq: mine.length + 1, prevHash: prev });
  }
  const seals = (await store.legacySeals()).filter((s) => rows.some((r) => r.doc === s.doc));
  expect(seals.map((s) => [s.doc, s.throughSeq]).sort()).toEqual([
    [rows[0]!.doc, 3],
    [rows[3]!.doc, 2],
  ].sort());
}

describe('SQLite journal migration to hashed records', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-migrate-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('seals the records of a file written before hashing, once, and keeps refusing rewrites', async () => {
    const file = path.join(dir, 'crisis-cell.db');
    const rows = legacyRows();
    const raw = new Database(file);
    raw.exec(SQLITE_LEGACY_JOURNAL);
    const insert = raw.prepare('INSERT INTO journal (doc, seq, at, author, update_bytes) VALUES (?, ?, ?, ?, ?)');
    for (const r of rows) insert.run(r.doc, r.seq, r.at, r.author, r.update);
    raw.close();

    const store = new SqliteStore(file);
    try {
      await expectSealed(store, rows);
    } finally {
      await store.close();
    }
    // Opening again changes nothing: the seal is not redone.
    const again = new SqliteStore(file);
    const sealedAt = (await again.legacySeals()).map((s) => s.sealedAt.getTime());
    await again.close();
    const third = new SqliteStore(file);
    expect((await third.legacySeals()).map((s) => s.sealedAt.getTime())).toEqual(sealedAt);
    await third.close();

    const check = new Database(file);
    try {
      expect(thrownMessage(() => check.exec(`UPDATE journal SET author = 'mallory' WHERE doc = '${rows[0]!.doc}'`))).toMatch(/append-only/);
      // A record that does not chain is refused by the database itself, whoever writes it.
      const doc = rows[0]!.doc;
      const insert = check.prepare('INSERT INTO journal (doc, seq, at, author, update_bytes, hash, prev_hash) VALUES (?, ?, 0, ?, ?, ?, ?)');
      expect(thrownMessage(() => insert.run(doc, 5, 'x', Buffer.alloc(1), randomBytes(32), randomBytes(32)))).toMatch(/does not chain/);
      expect(thrownMessage(() => insert.run(doc, 5, 'x', Buffer.alloc(1), null, null))).toMatch(/does not chain/);
      // Chained to the right hash but leaving a gap in the seqs: refused too.
      const head = await (async () => {
        const s = new SqliteStore(file);
        try {
          return await s.journalHead(doc);
        } finally {
          await s.close();
        }
      })();
      expect(thrownMessage(() => insert.run(doc, head.seq + 2, 'x', Buffer.alloc(1), randomBytes(32), Buffer.from(head.hash, 'hex')))).toMatch(/does not chain/);
    } finally {
      check.close();
    }
  });
});

describeWithService('PostgreSQL', 'PostgreSQL journal migration to hashed records', () => {
  const url = postgresUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;

  async function raw(sql: string, params: unknown[] = []): Promise<void> {
    const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      await client.query(sql, params);
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('seals the records of a journal created before hashing, and refuses unchained inserts', async () => {
    await raw(`CREATE SCHEMA ${schema}`);
    await raw(POSTGRES_LEGACY_TABLES);
    const rows = legacyRows();
    for (const r of rows) await raw('INSERT INTO journal (doc, seq, at, author, update_bytes) VALUES ($1, $2, $3, $4, $5)', [r.doc, r.seq, new Date(r.at), r.author, r.update]);
    await raw(`INSERT INTO doc_heads (doc, seq) VALUES ('${rows[0]!.doc}', 3), ('${rows[3]!.doc}', 2)`);

    const store = await PostgresStore.connect(url, { schema });
    try {
      await expectSealed(store, rows);
    } finally {
      await store.close();
    }
    const again = await PostgresStore.connect(url, { schema });
    await again.close();
    expect(await rejectionMessage(raw(`UPDATE journal SET author = 'mallory'`))).toMatch(/append-only/);
    expect(
      await rejectionMessage(raw('INSERT INTO journal (doc, seq, at, author, update_bytes, hash, prev_hash) VALUES ($1, 9, now(), $2, $3, $4, $5)', [rows[0]!.doc, 'x', Buffer.alloc(1), randomBytes(32), randomBytes(32)])),
    ).toMatch(/does not chain/);
  });
});
