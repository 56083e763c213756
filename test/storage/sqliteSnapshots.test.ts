import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { SNAPSHOT_PART_BYTES } from '../../server/storage/sqlite/sqliteSnapshots';
import { docName, type DocName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { expectSameBytes } from '../contracts/documentStoreFixtures';

// SQLite's snapshots are written a megabyte per transaction, a turn of the event loop apart, and
// become the document's only with their head: a crash midway leaves the previous one, and a
// server of an older schema (reading the `snapshots` table) never loads a stale one.

let dir: string;
let file: string;
let store: SqliteStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-snapshots-'));
  file = path.join(dir, 'crisis-cell.db');
  store = new SqliteStore(file);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function rec(n: number) {
  return { author: 'test', at: new Date(), update: new Uint8Array([n]) };
}

async function journal(doc: DocName, n: number): Promise<void> {
  await store.append(doc, Array.from({ length: n }, (_, i) => rec(i + 1)));
}

/** What another process sees in the file. */
function raw<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

test('a large snapshot goes in parts, one per turn of the event loop, and the document gets it only once all are on disk', async () => {
  const doc = docName(newId(), 'log');
  await journal(doc, 5);
  const update = new Uint8Array(randomBytes(3 * SNAPSHOT_PART_BYTES + 10));
  const parts = () => raw<{ n: number }>('SELECT count(*) AS n FROM snapshot_parts WHERE doc = ?', doc)[0]!.n;
  const saving = store.saveSnapshot(doc, { seq: 4, update, stateVector: new Uint8Array([4]) });
  // The first part at once; nothing of it is the document's yet.
  expect(parts()).toBe(1);
  expect((await store.load(doc)).snapshot).toBeNull();
  // One more per turn: what the sockets sent meanwhile is read in between.
  await new Promise((resolve) => setImmediate(resolve));
  expect(parts()).toBe(2);
  expect((await store.load(doc)).snapshot).toBeNull();
  await saving;
  expect(raw('SELECT doc FROM snapshot_parts WHERE doc = ?', doc)).toHaveLength(4);
  const loaded = await store.load(doc);
  expect(loaded.snapshot?.seq).toBe(4);
  expectSameBytes(loaded.snapshot!.update, update);
  expect(loaded.records.map((r) => r.seq)).toEqual([5]);
});

test('parts without their head (a crash midway) are never loaded, and go with the next snapshot', async () => {
  const doc = docName(newId(), 'log');
  await journal(doc, 6);
  await store.saveSnapshot(doc, { seq: 2, update: new Uint8Array([2, 2]), stateVector: new Uint8Array([2]) });
  await store.close();
  // A snapshot of seq 5 whose last transaction never ran: two of its three parts.
  const db = new Database(file);
  db.prepare('INSERT INTO snapshot_parts (doc, seq, idx, bytes) VALUES (?, 5, 0, ?), (?, 5, 1, ?)').run(doc, Buffer.from([5]), doc, Buffer.from([5]));
  db.close();
  store = new SqliteStore(file);
  const loaded = await store.load(doc);
  expect(loaded.snapshot?.seq).toBe(2);
  expect(loaded.records.map((r) => r.seq)).toEqual([3, 4, 5, 6]);
  await store.saveSnapshot(doc, { seq: 6, update: new Uint8Array([6]), stateVector: new Uint8Array([6]) });
  expect(raw<{ seq: number }>('SELECT DISTINCT seq FROM snapshot_parts WHERE doc = ?', doc).map((r) => r.seq)).toEqual([6]);
  expect((await store.load(doc)).snapshot?.seq).toBe(6);
});

test('two saves of one document at once: one after the other, and the document keeps a whole snapshot', async () => {
  const doc = docName(newId(), 'log');
  await journal(doc, 4);
  const first = new Uint8Array(randomBytes(2 * SNAPSHOT_PART_BYTES + 5));
  const second = new Uint8Array(randomBytes(3 * SNAPSHOT_PART_BYTES + 5));
  // Two rooms of one document (one closing, one loading) snapshotting the same seq, then an older one.
  await Promise.all([
    store.saveSnapshot(doc, { seq: 3, update: first, stateVector: new Uint8Array([3]) }),
    store.saveSnapshot(doc, { seq: 3, update: second, stateVector: new Uint8Array([3]) }),
    store.saveSnapshot(doc, { seq: 2, update: second, stateVector: new Uint8Array([2]) }),
  ]);
  const loaded = await store.load(doc);
  expect(loaded.snapshot?.seq).toBe(3);
  expectSameBytes(loaded.snapshot!.update, first);
  expect(raw('SELECT doc FROM snapshot_parts WHERE doc = ?', doc)).toHaveLength(3);
});

test('parts a crash left at the same seq as the next snapshot are replaced, not read', async () => {
  const doc = docName(newId(), 'log');
  await journal(doc, 6);
  await store.close();
  const db = new Database(file);
  const orphan = db.prepare('INSERT INTO snapshot_parts (doc, seq, idx, bytes) VALUES (?, 5, ?, ?)');
  for (let idx = 0; idx < 4; idx++) orphan.run(doc, idx, Buffer.from([9, 9]));
  db.close();
  store = new SqliteStore(file);
  await store.saveSnapshot(doc, { seq: 5, update: new Uint8Array([5]), stateVector: new Uint8Array([5]) });
  const loaded = await store.load(doc);
  expect(loaded.snapshot?.seq).toBe(5);
  expect([...loaded.snapshot!.update]).toEqual([5]);
  expect(raw('SELECT doc FROM snapshot_parts WHERE doc = ?', doc)).toHaveLength(1);
  // A stray part past the head's count (another writer of the file) is not read either.
  await store.close();
  const again = new Database(file);
  again.prepare('INSERT INTO snapshot_parts (doc, seq, idx, bytes) VALUES (?, 5, 7, ?)').run(doc, Buffer.from([7]));
  again.close();
  store = new SqliteStore(file);
  expect([...(await store.load(doc)).snapshot!.update]).toEqual([5]);
});

test("an older server's snapshot row is read while it is the newest, and deleted once a newer one is in parts", async () => {
  const doc = docName(newId(), 'log');
  await journal(doc, 4);
  await store.close();
  // What a server of schema version 7 wrote.
  const db = new Database(file);
  db.prepare('INSERT INTO snapshots (doc, seq, update_bytes, state_vector) VALUES (?, 3, ?, ?)').run(doc, Buffer.from([3, 3]), Buffer.from([3]));
  db.close();
  store = new SqliteStore(file);
  let loaded = await store.load(doc);
  expect(loaded.snapshot?.seq).toBe(3);
  expect([...loaded.snapshot!.update]).toEqual([3, 3]);
  // Not older than what the document has: refused, the row stays.
  await store.saveSnapshot(doc, { seq: 2, update: new Uint8Array([2]), stateVector: new Uint8Array([2]) });
  expect(raw('SELECT doc FROM snapshots WHERE doc = ?', doc)).toHaveLength(1);
  expect(raw('SELECT doc FROM snapshot_parts WHERE doc = ?', doc)).toHaveLength(0);
  await store.saveSnapshot(doc, { seq: 4, update: new Uint8Array([4]), stateVector: new Uint8Array([4]) });
  // An older server reading this file finds no snapshot, and loads the whole journal.
  expect(raw('SELECT doc FROM snapshots WHERE doc = ?', doc)).toHaveLength(0);
  loaded = await store.load(doc);
  expect(loaded.snapshot?.seq).toBe(4);
  expect(loaded.records).toEqual([]);
});

test('closing the store waits for a snapshot being written', async () => {
  const doc = docName(newId(), 'log');
  await journal(doc, 2);
  const update = new Uint8Array(randomBytes(2 * SNAPSHOT_PART_BYTES + 1));
  const saving = store.saveSnapshot(doc, { seq: 2, update, stateVector: new Uint8Array([2]) });
  await store.close();
  await saving;
  store = new SqliteStore(file);
  expectSameBytes((await store.load(doc)).snapshot!.update, update);
});
