import { ThreadClient, type ThreadReply } from '../threads/threadClient';

/** A snapshot as the compactor builds it: one update holding everything, and its state vector. */
export interface CompactedSnapshot {
  update: Uint8Array;
  stateVector: Uint8Array;
}

type Compacted = ThreadReply & CompactedSnapshot;

/**
 * The worker's code, plain CommonJS (it runs as given under jest, tsx and the compiled server
 * alike). It applies the last snapshot and the records since to a document of its own and
 * encodes it, as the room did with its own document: Yjs then drops the content of deleted items
 * (a report's erased text, a field's overwritten values). Merging the bytes (Y.mergeUpdates)
 * would be cheaper, but keeps every deleted byte in every later snapshot, and hands them to every
 * new client. The snapshot it answers lives in shared memory: the room keeps it as the next
 * snapshot's base, and hands it back without a copy (a 40 MB copy to the thread held the event
 * loop 114–144 ms, `npm run bench -- snapshot`).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', (m) => {
  if (m.close) { parentPort.close(); return; }
  const doc = new Y.Doc();
  try {
    doc.transact(() => {
      if (m.base) Y.applyUpdate(doc, m.base);
      let offset = 0;
      for (const length of m.lengths) {
        Y.applyUpdate(doc, m.tail.subarray(offset, offset + length));
        offset += length;
      }
    });
    const encoded = Y.encodeStateAsUpdate(doc);
    const update = new Uint8Array(new SharedArrayBuffer(encoded.length));
    update.set(encoded);
    const stateVector = Y.encodeStateVector(doc);
    parentPort.postMessage({ id: m.id, ok: true, update, stateVector }, [stateVector.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, message: String(err && err.message) });
  } finally {
    doc.destroy();
  }
});
`;

/**
 * Builds snapshots off the event loop, from bytes alone: the last snapshot with the records
 * committed since, applied to a document of the worker's own and encoded. Encoding a live Y.Doc
 * can only happen on the thread that owns it, and for a 100,000-entry log (39 MB) Yjs took
 * 0.4–0.6 s, during which every socket of the node waited (`npm run bench -- snapshot`). Here
 * the work costs more CPU (the document is built again) and, while it runs, the memory of a
 * second copy of the document, but holds no socket. One thread per process, shared by every
 * room; it is started on the first snapshot and holds the process up only while it works.
 */
export class SnapshotCompactor {
  private readonly thread = new ThreadClient<Compacted>('snapshot compactor', WORKER_SOURCE, { yjs: require.resolve('yjs') });

  /**
   * The document `base` (the last snapshot, or null for none) and `tail` (every record after it,
   * in any order: Yjs updates commute) make, encoded, in shared memory. A `base` this compactor
   * answered is shared with the thread as it is; another (read from the store) is copied into
   * shared memory first, once. A thread that dies fails its snapshots (the journal still has everything).
   */
  async compact(base: Uint8Array | null, tail: readonly Uint8Array[]): Promise<CompactedSnapshot> {
    // One buffer for the whole tail, moved rather than copied: a record may be a view into a
    // larger buffer (a socket packet), which a copy to the thread would copy whole.
    const lengths = tail.map((u) => u.length);
    const packed = new Uint8Array(lengths.reduce((n, l) => n + l, 0));
    let offset = 0;
    for (const u of tail) {
      packed.set(u, offset);
      offset += u.length;
    }
    const { update, stateVector } = await this.thread.request({ base: base && shared(base), tail: packed, lengths }, [packed.buffer]);
    return { update, stateVector };
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** `bytes` in shared memory: as they are if they already are, else copied there. */
function shared(bytes: Uint8Array): Uint8Array {
  if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
  copy.set(bytes);
  return copy;
}
