import zlib from 'node:zlib';
import * as Y from 'yjs';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { InProcessFanout } from '../../server/fanout/inProcessFanout';
import { DocumentRoom, type RoomDelivery } from '../../server/documents/room';
import { DeflatedAnswers, deflateOffLoop } from '../../server/documents/joinAnswers';
import { createLogger } from '../../server/logger';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { packUpdates, unpackUpdates } from '../../shared/protocol/joinEncoding';
import { IDLE_ROOM_METRICS } from '../helpers/idleRoomMetrics';
import { SnapshotCompactor } from '../../server/documents/snapshotCompactor';

/** A join answer is framed and deflated once per version, however many joiners ask it at once. */
describe('deflated join answers', () => {
  const delivery: RoomDelivery = { update: () => undefined, awareness: () => undefined };
  let store: MemoryStore;
  let room: DocumentRoom;

  beforeEach(async () => {
    store = new MemoryStore();
    room = await DocumentRoom.load(docName(newId(), 'log'), { store, fanout: new InProcessFanout('deflated-answers-test'), delivery, logger: createLogger('silent', 'deflated-answers-test'), metrics: IDLE_ROOM_METRICS, snapshots: new SnapshotCompactor() });
    await room.change('writer', (doc) => {
      const log = new LogDoc(doc);
      for (let i = 0; i < 400; i++) log.append(buildLogEntry({ text: `Point ${i} : état du réseau isolé, appels au standard`, category: 'information' }, 'Rédacteur', new Date()));
    });
  });

  afterEach(async () => {
    await room.close();
    await store.close();
  });

  /** A deflate that notes each segment it compresses; `of(update)`: the segments that held it. */
  const counting = () => {
    const calls: Array<readonly Uint8Array[]> = [];
    const deflate = (pieces: readonly Uint8Array[], final: boolean) => {
      calls.push(pieces);
      return deflateOffLoop(pieces, final);
    };
    return { calls, deflate, of: (update: Uint8Array) => calls.filter((pieces) => pieces.includes(update)) };
  };

  it('deflates once for 50 joiners asking together, and every one gets the same bytes', async () => {
    const { calls, deflate, of } = counting();
    const answers = new DeflatedAnswers(deflate, 1_024);
    const empty = new Uint8Array([0]);
    const pending = Array.from({ length: 50 }, () => answers.of(room.join(empty).updates));
    const bytes = await Promise.all(pending);
    const compressions = calls.length;
    expect(of(room.join(empty).updates[0]!)).toHaveLength(1);
    expect(new Set(bytes).size).toBe(1);
    const deflated = bytes[0]!;
    const plain = room.join(empty).updates;
    expect(deflated.byteLength).toBeLessThan(plain[0]!.byteLength);
    const inflated = unpackUpdates(new Uint8Array(zlib.inflateRawSync(deflated)));
    expect(inflated).toEqual(plain);
    // The stream of pieces deflates to the one frame's bytes.
    expect(new Uint8Array(zlib.inflateRawSync(deflated))).toEqual(packUpdates(plain));
    // Asked again after the storm: still the same bytes, no new compression.
    expect(await answers.of(room.join(empty).updates)).toBe(deflated);
    expect(calls).toHaveLength(compressions);
  });

  it('once the document changed, deflates what changed and reuses the base; leaves small answers as they are', async () => {
    const { deflate, of } = counting();
    const answers = new DeflatedAnswers(deflate, 1_024);
    const empty = new Uint8Array([0]);
    const base = room.join(empty).updates[0]!;
    const before = await answers.of(room.join(empty).updates);
    await room.change('writer', (doc) => new LogDoc(doc).append(buildLogEntry({ text: 'Dernier point', category: 'action' }, 'Rédacteur', new Date())));
    const changed = room.join(empty).updates;
    // The base as it was, then the change.
    expect(changed).toHaveLength(2);
    expect(changed[0]).toBe(base);
    const after = await answers.of(changed);
    expect(of(base)).toHaveLength(1);
    expect(of(changed[1]!)).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(new Uint8Array(zlib.inflateRawSync(after!))).toEqual(packUpdates(changed));
    const copy = new Y.Doc();
    for (const u of unpackUpdates(new Uint8Array(zlib.inflateRawSync(after!)))) Y.applyUpdate(copy, u);
    expect(new LogDoc(copy).entries().at(-1)?.text).toBe('Dernier point');
    // Up to date: what it lacks is a few bytes, sent as they are.
    expect(answers.of(room.join(Y.encodeStateVector(copy)).updates)).toBeNull();
  });

  it('sends the plain bytes when deflating fails', async () => {
    const answers = new DeflatedAnswers(() => Promise.reject(new Error('zlib down')), 1_024);
    expect(await answers.of(room.join(new Uint8Array([0])).updates)).toBeNull();
  });
});
