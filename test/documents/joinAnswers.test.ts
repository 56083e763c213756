import * as Y from 'yjs';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { InProcessFanout } from '../../server/fanout/inProcessFanout';
import { DocumentRoom, type RoomDelivery } from '../../server/documents/room';
import { createLogger } from '../../server/logger';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { IDLE_ROOM_METRICS } from '../helpers/idleRoomMetrics';

/** Joiners asking the same state vector of the same version get the same bytes; any change gives a fresh answer. */
describe('join answers shared between joiners', () => {
  const delivery: RoomDelivery = { update: () => undefined, awareness: () => undefined };
  let store: MemoryStore;
  let room: DocumentRoom;

  beforeEach(async () => {
    store = new MemoryStore();
    room = await DocumentRoom.load(docName(newId(), 'log'), { store, fanout: new InProcessFanout('join-answers-test'), delivery, logger: createLogger('silent', 'join-answers-test'), metrics: IDLE_ROOM_METRICS });
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
});
