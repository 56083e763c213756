import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { DocumentRoom, type RoomDelivery } from '../../server/documents/room';
import { IDLE_ROOM_METRICS } from '../helpers/idleRoomMetrics';
import { InProcessFanout } from '../../server/fanout/inProcessFanout';
import { createLogger } from '../../server/logger';
import type { JournalRecord, NewRecord } from '../../server/storage/documentStore';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { docName, type DocName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { SnapshotCompactor } from '../../server/documents/snapshotCompactor';
import { Gate } from '../helpers/gate';

/**
 * The real store (its commit thread included), with a gate in front of `append`: the test sees
 * each commit start (how many records it carries) and decides when the one in flight may go on,
 * so "in flight" is an event, not a duration.
 */
class GatedStore extends SqliteStore {
  readonly batches: number[] = [];
  readonly gate = new Gate();
  private started: Array<() => void> = [];

  /** Resolves once `n` commits have started. */
  commitsStarted(n: number): Promise<void> {
    if (this.batches.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.started.push(() => (this.batches.length >= n ? resolve() : undefined)));
  }

  override async append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
    this.batches.push(records.length);
    for (const wake of this.started) wake();
    const held = this.gate.held;
    if (held) await held;
    return super.append(doc, records);
  }
}

interface World {
  store: GatedStore;
  room: DocumentRoom;
  /** Per broadcast, in order: its seq, and how many commits had started when it went out. */
  broadcasts: Array<{ seq: number; commitsStarted: number }>;
  /** The bytes of each broadcast, in order. */
  sent: Uint8Array[];
  onBroadcast: Array<(seq: number) => void>;
}

const dirs: string[] = [];
const worlds: World[] = [];

async function world(commitThread = true): Promise<World> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-group-commit-'));
  dirs.push(dir);
  const store = new GatedStore(path.join(dir, 'crisis-cell.db'), { commitThread });
  const broadcasts: World['broadcasts'] = [];
  const sent: Uint8Array[] = [];
  const onBroadcast: World['onBroadcast'] = [];
  const delivery: RoomDelivery = {
    update(_doc, update, seq) {
      broadcasts.push({ seq, commitsStarted: store.batches.length });
      sent.push(update);
      for (const f of onBroadcast) f(seq);
    },
    awareness() {},
  };
  const logger = createLogger('silent', 'group-commit-test');
  const room = await DocumentRoom.load(docName(newId(), 'log'), { store, fanout: new InProcessFanout('group-commit-test'), delivery, logger, metrics: IDLE_ROOM_METRICS, snapshots: new SnapshotCompactor() });
  const w = { store, room, broadcasts, sent, onBroadcast };
  worlds.push(w);
  return w;
}

afterEach(async () => {
  for (const w of worlds.splice(0)) {
    w.store.gate.release();
    await w.room.close();
    await w.store.close();
  }
});

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A server-side change to the room (the same path as a client's update from the queue on). */
const edit = (room: DocumentRoom, value: number) => room.change('user-1', (doc: Y.Doc) => doc.getMap('scratch').set(`k${value}`, value));

test('a lone writer commits at once: its commit has started before the event loop turns', async () => {
  const { store, room } = await world();
  // Scheduled before the edit: with a commit deferred to the next turn (setImmediate), it would see none.
  const seenAtNextTurn = new Promise<number>((resolve) => setImmediate(() => resolve(store.batches.length)));
  const seq = edit(room, 1);
  expect(await seenAtNextTurn).toBe(1);
  expect(await seq).toBe(1);
  expect(store.batches).toEqual([1]);
});

test('updates that arrive while a commit is in flight go together in the next commit', async () => {
  const { store, room } = await world();
  store.gate.hold();
  const first = edit(room, 1);
  await store.commitsStarted(1);
  // Three writers while the first commit is held: none starts a commit of its own.
  const others = [edit(room, 2), edit(room, 3), edit(room, 4)];
  expect(store.batches).toEqual([1]);
  store.gate.release();
  expect(await first).toBe(1);
  expect(await Promise.all(others)).toEqual([2, 3, 4]);
  expect(store.batches).toEqual([1, 3]);
});

test('the ack does not wait for the broadcast, and the next commit starts before it', async () => {
  const { store, room, broadcasts, onBroadcast } = await world();
  const acked: number[] = [];
  const ackedAtBroadcast: number[][] = [];
  onBroadcast.push(() => ackedAtBroadcast.push([...acked]));
  store.gate.hold();
  const first = edit(room, 1).then((seq) => {
    acked.push(seq);
    return seq;
  });
  await store.commitsStarted(1);
  const second = edit(room, 2).then((seq) => {
    acked.push(seq);
    return seq;
  });
  store.gate.release();
  await Promise.all([first, second]);
  await room.whenDurable();
  // When seq 1 went out to the other sockets its writer had its ack, and seq 2's commit had started.
  expect(broadcasts[0]).toEqual({ seq: 1, commitsStarted: 2 });
  expect(ackedAtBroadcast[0]).toEqual([1]);
});

test('on a store that holds the event loop while it commits, what arrives in one turn goes in one commit, and out as one update', async () => {
  const { store, room, broadcasts, sent, onBroadcast } = await world(false);
  const seqs = await Promise.all([edit(room, 1), edit(room, 2), edit(room, 3)]);
  expect(seqs).toEqual([1, 2, 3]);
  expect(store.batches).toEqual([3]);
  await room.whenDurable();
  // Then a lone one, in its own commit.
  const fourthOut = new Promise<void>((resolve) => onBroadcast.push((seq) => (seq === 4 ? resolve() : undefined)));
  expect(await edit(room, 4)).toBe(4);
  expect(store.batches).toEqual([3, 1]);
  await fourthOut;
  // The batch of three went to the other sockets as one update under its last seq, holding all three.
  expect(broadcasts.map((b) => b.seq)).toEqual([3, 4]);
  const seen = new Y.Doc();
  Y.applyUpdate(seen, sent[0]!);
  expect(seen.getMap('scratch').toJSON()).toEqual({ k1: 1, k2: 2, k3: 3 });
});
