import { Worker } from 'node:worker_threads';

/** A snapshot as the compactor builds it: one update holding everything, and its state vector. */
export interface CompactedSnapshot {
  update: Uint8Array;
  stateVector: Uint8Array;
}

interface Answer {
  id: number;
  ok: boolean;
  update?: Uint8Array;
  stateVector?: Uint8Array;
  message?: string;
}

/**
 * The worker's code, plain CommonJS (it runs as given under jest, tsx and the compiled server
 * alike). It applies the last snapshot and the records since to a document of its own and
 * encodes it, as the room did with its own document: Yjs then drops the content of deleted items
 * (a report's erased text, a field's overwritten values). Merging the bytes (Y.mergeUpdates)
 * would be cheaper, but keeps every deleted byte in every later snapshot, and hands them to every
 * new client. What it answers owns its buffers, which are moved to the main thread, not copied.
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
    const update = Y.encodeStateAsUpdate(doc);
    const stateVector = Y.encodeStateVector(doc);
    parentPort.postMessage({ id: m.id, ok: true, update, stateVector }, [update.buffer, stateVector.buffer]);
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
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (s: CompactedSnapshot) => void; reject: (err: Error) => void }>();

  /**
   * The document `base` (the last snapshot, or null for none) and `tail` (every record after it,
   * in any order: Yjs updates commute) make, encoded. `base` is copied to the thread; the caller keeps it.
   */
  compact(base: Uint8Array | null, tail: readonly Uint8Array[]): Promise<CompactedSnapshot> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    // One buffer for the whole tail, moved rather than copied: a record may be a view into a
    // larger buffer (a socket packet), which a copy to the thread would copy whole.
    const lengths = tail.map((u) => u.length);
    const packed = new Uint8Array(lengths.reduce((n, l) => n + l, 0));
    let offset = 0;
    for (const u of tail) {
      packed.set(u, offset);
      offset += u.length;
    }
    const baseCopy = base && (base.byteOffset !== 0 || base.byteLength !== base.buffer.byteLength) ? base.slice() : base;
    return new Promise<CompactedSnapshot>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, base: baseCopy, tail: packed, lengths }, [packed.buffer]);
      // Referenced only while it works: an idle thread never keeps the process alive.
      worker.ref();
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage({ close: true });
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs: require.resolve('yjs') } });
    worker.unref();
    worker.on('message', (m: Answer) => {
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      // A thread being closed stays referenced until it has answered what was queued and exited.
      if (this.waiting.size === 0 && this.worker === worker) worker.unref();
      if (m.ok && m.update && m.stateVector) waiter.resolve({ update: m.update, stateVector: m.stateVector });
      else waiter.reject(new Error(m.message ?? 'snapshot compaction failed'));
    });
    // A thread that dies takes its answers with it: those snapshots count as failed (the journal
    // still has everything), and the next one starts a new thread.
    const died = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`snapshot compactor exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
