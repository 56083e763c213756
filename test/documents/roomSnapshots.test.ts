import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { DocumentRoom, type RoomDelivery } from '../../server/documents/room';
import { SnapshotCompactor } from '../../server/documents/snapshotCompactor';
import { SNAPSHOT_MIN_TAIL_BYTES } from '../../server/documents/roomSnapshots';
import { IDLE_ROOM_METRICS } from '../helpers/idleRoomMetrics';
import { InProcessFanout } from '../../server/fanout/inProcessFanout';
import { createLogger } from '../../server/logger';
import type { Snapshot } from '../../server/storage/documentStore';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { LogDoc } from '../../shared/docs/logDoc';
import { docName, type DocName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { Gate } from '../helpers/gate';

// A room's snapshots are built from bytes on the compactor's thread (the last snapshot merged with
// the records since), never from the live document: what they hold must be exactly what the
// journal holds, whatever is committed while one is being built, and a failed one loses nothing.

/** The real store, with a gate in front of `saveSnapshot`: each snapshot's arrival is an event the test waits for, and may hold. */
class WatchedStore extends SqliteStore {
  readonly saved: Snapshot[] = [];
  failNext = false;
  private arrived = 0;
  readonly gate = new Gate();
  private waiters: Array<() => boolean> = [];

  /** Resolves once `n` snapshots have reached the store (stored, held or refused). */
  arrivals(n: number): Promise<void> {
    return this.until(() => this.arrived >= n);
  }

  /** Resolves once `n` snapshots are stored. */
  stored(n: number): Promise<void> {
    return this.until(() => this.saved.length >= n);
  }

  override async saveSnapshot(doc: DocName, snapshot: Snapshot): Promise<void> {
    this.arrived++;
    this.wake();
    const held = this.gate.held;
    if (held) await held;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    await super.saveSnapshot(doc, snapshot);
    this.saved.push(snapshot);
    this.wake();
  }

  private until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(() => (done() ? (resolve(), true) : false)));
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => !w());
  }
}

let dir: string;
let store: WatchedStore;
let compactor: SnapshotCompactor;
let written = 0;
const logger = createLogger('silent', 'room-snapshots-test');
const delivery: RoomDelivery = { update: () => undefined, awareness: () => undefined };

beforeEach(() => {
  written = 0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'room-snapshots-'));
  store = new WatchedStore(path.join(dir, 'crisis-cell.db'));
  compactor = new SnapshotCompactor();
});

afterEach(async () => {
  await compactor.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(name: DocName): Promise<DocumentRoom> {
  return DocumentRoom.load(name, { store, fanout: new InProcessFanout('room-snapshots-test'), delivery, logger, metrics: IDLE_ROOM_METRICS, snapshots: compactor });
}

/** Entries of about 1 KB, `count` of them in one record. */
function write(room: DocumentRoom, count: number): Promise<number> {
  return room.change('test', (doc) => {
    const log = new LogDoc(doc).array;
    for (let i = 0; i < count; i++) log.push([JSON.stringify({ n: written++, text: 'x'.repeat(1_000) })]);
  });
}

/** Writes records of 50 entries until the tail is due for a snapshot. */
async function writeUntilDue(room: DocumentRoom, bytes: number): Promise<void> {
  for (let total = 0; total < bytes; total += 50 * 1_030) await write(room, 50);
}

/** The document a fresh node would load: the stored snapshot, then the journal after it. */
/** A new room written until its first snapshot is due, that snapshot held at the store's door. */
async function roomWithFirstSnapshotHeld(): Promise<DocumentRoom> {
  const room = await open(docName(newId(), 'log'));
  store.gate.hold();
  await writeUntilDue(room, SNAPSHOT_MIN_TAIL_BYTES);
  await store.arrivals(1);
  return room;
}

async function loaded(name: DocName): Promise<string[]> {
  const stored = await store.load(name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.update);
  for (const r of stored.records) Y.applyUpdate(doc, r.update);
  return entries(doc);
}

function entries(doc: Y.Doc): string[] {
  return new LogDoc(doc).array.toArray().map(String);
}

/** One turn of the event loop: what a commit announces (on the next tick) has run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** What the journal's records make. */
function entriesThrough(records: Array<{ update: Uint8Array }>): string[] {
  const doc = new Y.Doc();
  for (const r of records) Y.applyUpdate(doc, r.update);
  return entries(doc);
}

/** What a snapshot holds, alone. */
function holds(snapshot: Snapshot): string[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, snapshot.update);
  expect(Buffer.from(snapshot.stateVector)).toEqual(Buffer.from(Y.encodeStateVector(doc)));
  return entries(doc);
}

test('a snapshot is taken once the tail is due, holds exactly the journal through its seq, and a restart loads the same document', async () => {
  const name = docName(newId(), 'log');
  const room = await open(name);
  const compactions = jest.spyOn(compactor, 'compact');
  await writeUntilDue(room, SNAPSHOT_MIN_TAIL_BYTES);
  await store.stored(1);
  await turn();
  // The next tail starts empty: one more record is not another snapshot.
  await write(room, 1);
  await turn();
  expect(compactions).toHaveBeenCalledTimes(1);
  await room.close();
  expect(store.saved).toHaveLength(1);
  const [snapshot] = store.saved;
  expect(holds(snapshot!)).toEqual(entriesThrough(await store.readJournal(name, 0, snapshot!.seq)));
  const reopened = await open(name);
  expect(reopened.read(entries)).toEqual(await loaded(name));
  expect(reopened.read(entries)).toHaveLength(written);
  await reopened.close();
});

test('records committed while a snapshot is built go into the next one, on top of it', async () => {
  const room = await roomWithFirstSnapshotHeld();
  const { name } = room;
  // The first snapshot is on its way to the store: these records are after its seq.
  await writeUntilDue(room, SNAPSHOT_MIN_TAIL_BYTES / 2);
  const midway = written;
  store.gate.release();
  await room.whenDurable();
  await store.stored(1);
  const first = store.saved[0]!;
  // Due again once the tail since the first (what was written meanwhile included) reaches the minimum.
  await writeUntilDue(room, SNAPSHOT_MIN_TAIL_BYTES);
  await store.arrivals(2);
  await room.close();
  expect(store.saved).toHaveLength(2);
  const second = store.saved[1]!;
  expect(second.seq).toBeGreaterThan(first.seq);
  const heldBySecond = holds(second);
  // Everything the first held, everything written while it was built, and nothing past its seq.
  expect(heldBySecond.length).toBeGreaterThanOrEqual(midway);
  expect(heldBySecond).toEqual(entriesThrough(await store.readJournal(name, 0, second.seq)));
  expect(await loaded(name)).toHaveLength(written);
});

test('a snapshot the store refuses loses nothing: the next one, later, covers its tail too', async () => {
  const name = docName(newId(), 'log');
  const room = await open(name);
  const compactions = jest.spyOn(compactor, 'compact');
  store.failNext = true;
  await writeUntilDue(room, SNAPSHOT_MIN_TAIL_BYTES);
  await store.arrivals(1);
  await room.whenDurable();
  await turn();
  expect(store.saved).toHaveLength(0);
  expect(compactions).toHaveBeenCalledTimes(1);
  // Not tried again at the next commit (a store that is away): only once the tail has grown by the minimum again.
  await write(room, 1);
  await turn();
  expect(compactions).toHaveBeenCalledTimes(1);
  await writeUntilDue(room, SNAPSHOT_MIN_TAIL_BYTES);
  await store.arrivals(2);
  await room.close();
  expect(store.saved).toHaveLength(1);
  const snapshot = store.saved[0]!;
  expect(holds(snapshot)).toEqual(entriesThrough(await store.readJournal(name, 0, snapshot.seq)));
  expect(holds(snapshot).length).toBeGreaterThan(SNAPSHOT_MIN_TAIL_BYTES / 1_030);
  expect(await loaded(name)).toHaveLength(written);
});

test("a snapshot holds what the document holds, not its history: deleted content is not kept", async () => {
  const name = docName(newId(), 'log');
  const room = await open(name);
  // 300 entries of 1 KB, each written and then withdrawn: 300 KB of journal, an empty log.
  for (let i = 0; i < 300; i++) {
    await room.change('test', (doc) => new LogDoc(doc).array.push([JSON.stringify({ text: 'x'.repeat(1_000) })]));
    await room.change('test', (doc) => new LogDoc(doc).array.delete(0, 1));
  }
  await store.stored(1);
  await room.close();
  const snapshot = store.saved[0]!;
  // Taken after a push or after a delete: one entry at most.
  expect(holds(snapshot).length).toBeLessThanOrEqual(1);
  expect(holds(snapshot)).toEqual(entriesThrough(await store.readJournal(name, 0, snapshot.seq)));
  // The encoding of the document as it is: a few bytes per deleted entry, none of their text.
  expect(snapshot.update.length).toBeLessThan(20_000);
});

test('closing a room waits for the snapshot being built: the store is not closed under it', async () => {
  const room = await roomWithFirstSnapshotHeld();
  let closed = false;
  const closing = room.close().then(() => (closed = true));
  await room.whenDurable();
  await turn();
  expect(closed).toBe(false);
  store.gate.release();
  await closing;
  expect(store.saved).toHaveLength(1);
});

test('the compactor refuses bytes that are not an update with an error, and works on after it', async () => {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < 100; i++) new LogDoc(doc).array.push([`entry ${i}`]);
  await expect(compactor.compact(new Uint8Array([255, 255, 255, 255, 1, 2, 3]), updates)).rejects.toThrow();
  // A long tail (merged 32 at a time, level by level), on a base of the first half, in any order.
  const base = (await compactor.compact(null, updates.slice(0, 50))).update;
  const { update, stateVector } = await compactor.compact(base, updates.slice(50).reverse());
  const copy = new Y.Doc();
  Y.applyUpdate(copy, update);
  expect(entries(copy)).toEqual(entries(doc));
  expect(Buffer.from(stateVector)).toEqual(Buffer.from(Y.encodeStateVector(doc)));
});
