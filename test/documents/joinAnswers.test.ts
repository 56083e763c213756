import * as Y from 'yjs';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { InProcessFanout } from '../../server/fanout/inProcessFanout';
import { DocumentRoom, type RoomDelivery } from '../../server/documents/room';
import { createLogger } from '../../server/logger';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { IDLE_ROOM_METRICS } from '../helpers/idleRoomMetrics';
import { SnapshotCompactor } from '../../server/documents/snapshotCompactor';

/** Joiners asking the same state vector of the same version get the same bytes; any change gives a fresh answer. */
describe('join answers shared between joiners', () => {
  const delivery: RoomDelivery = { update: () => undefined, awareness: () => undefined };
  let store: MemoryStore;
  let room: DocumentRoom;

  beforeEach(async () => {
    store = new MemoryStore();
    room = await DocumentRoom.load(docName(newId(), 'log'), { store, fanout: new InProcessFanout('join-answers-test'), delivery, logger: createLogger('silent', 'join-answers-test'), metrics: IDLE_ROOM_METRICS, snapshots: new SnapshotCompactor() });
    await room.change('writer', (doc) => new LogDoc(doc).append(buildLogEntry({ text: 'Premier point', category: 'information' }, 'Rédacteur', new Date())));
  });

  afterEach(async () => {
    await room.close();
    await store.close();
  });

  const entriesOf = (updates: Uint8Array[]) => {
    const doc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(doc, u);
    return new LogDoc(doc).entries().map((e) => e.text);
  };

  it('hands the same encoded bytes to every joiner with nothing cached', () => {
    const empty = Y.encodeStateVector(new Y.Doc());
    const first = room.join(empty);
    const second = room.join(new Uint8Array([0]));
    expect(second.updates[0]).toBe(first.updates[0]);
    expect(entriesOf(second.updates)).toEqual(['Premier point']);
  });

  it('answers afresh once the document changed, with the change in it', async () => {
    const empty = Y.encodeStateVector(new Y.Doc());
    const before = room.join(empty);
    await room.change('writer', (doc) => new LogDoc(doc).append(buildLogEntry({ text: 'Second point', category: 'action' }, 'Rédacteur', new Date())));
    const after = room.join(empty);
    expect(after.updates[0]).not.toBe(before.updates[0]);
    expect(after.seq).toBe(before.seq + 1);
    expect(entriesOf(after.updates)).toEqual(['Premier point', 'Second point']);
  });

  it('keeps answers apart by state vector', () => {
    const copy = new Y.Doc();
    for (const u of room.join(new Uint8Array([0])).updates) Y.applyUpdate(copy, u);
    const upToDate = room.join(Y.encodeStateVector(copy));
    expect(entriesOf([...room.join(new Uint8Array([0])).updates])).toEqual(['Premier point']);
    const fromCopy = new Y.Doc();
    Y.applyUpdate(fromCopy, Y.encodeStateAsUpdate(copy));
    for (const u of upToDate.updates) Y.applyUpdate(fromCopy, u);
    expect(new LogDoc(fromCopy).entries()).toHaveLength(1);
  });

  it('on a log being written, answers a joiner with nothing the kept base and what changed since, until that outgrows it', async () => {
    const append = (n: number, from: number) => room.change('writer', (doc) => {
      const log = new LogDoc(doc);
      for (let i = from; i < from + n; i++) log.append(buildLogEntry({ text: `Point ${i}`, category: 'information' }, 'Rédacteur', new Date()));
    });
    await append(400, 0);
    const empty = new Uint8Array([0]);
    const base = room.join(empty).updates;
    expect(base).toHaveLength(1);
    await append(1, 400);
    const next = room.join(empty);
    expect(next.updates).toHaveLength(2);
    expect(next.updates[0]).toBe(base[0]);
    expect(next.updates[1]!.byteLength).toBeLessThan(base[0]!.byteLength / 20);
    expect(entriesOf(next.updates)).toHaveLength(402);
    expect(next.stateVector).toEqual(room.read((d) => Y.encodeStateVector(d)));
    // A withdrawal since the base: the change carries the deletion.
    await room.change('writer', (doc) => new LogDoc(doc).array.delete(0, 1));
    expect(entriesOf(room.join(empty).updates)).toHaveLength(401);
    // Changes outgrowing an eighth of the base: a new base.
    await append(100, 401);
    const rebased = room.join(empty).updates;
    expect(rebased).toHaveLength(1);
    expect(entriesOf(rebased)).toHaveLength(501);
  });

  it('a room loaded from its stored bytes takes them as its first base', async () => {
    const name = docName(newId(), 'log');
    const writer = new Y.Doc();
    const log = new LogDoc(writer);
    for (let i = 0; i < 300; i++) log.append(buildLogEntry({ text: `Point ${i}`, category: 'information' }, 'Rédacteur', new Date()));
    await store.append(name, [{ author: 'seed', at: new Date(), update: Y.encodeStateAsUpdate(writer) }]);
    await store.saveSnapshot(name, { seq: 1, update: Y.encodeStateAsUpdate(writer), stateVector: Y.encodeStateVector(writer) });
    const cold = await DocumentRoom.load(name, { store, fanout: new InProcessFanout('join-answers-test'), delivery, logger: createLogger('silent', 'join-answers-test'), metrics: IDLE_ROOM_METRICS, snapshots: new SnapshotCompactor() });
    try {
      const empty = new Uint8Array([0]);
      const stored = cold.join(empty).updates;
      await cold.change('writer', (doc) => new LogDoc(doc).append(buildLogEntry({ text: 'Relève', category: 'information' }, 'Rédacteur', new Date())));
      const next = cold.join(empty).updates;
      expect(next.slice(0, stored.length)).toEqual(stored);
      next.slice(0, stored.length).forEach((u, i) => expect(u).toBe(stored[i]));
      expect(next).toHaveLength(stored.length + 1);
      expect(entriesOf(next).at(-1)).toBe('Relève');
      expect(entriesOf(next)).toHaveLength(301);
    } finally {
      await cold.close();
    }
  });
});
