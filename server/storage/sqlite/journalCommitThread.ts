import { Worker } from 'node:worker_threads';

/** One journal row as the commit thread writes it: seq and hashes are decided by the store, on the main thread. */
export interface CommitRow {
  seq: number;
  at: number;
  author: string;
  update: Uint8Array;
  hash: Uint8Array;
  prevHash: Uint8Array;
}

interface Outcome {
  id: number;
  ok: boolean;
  message?: string;
  code?: string;
}

/**
 * The worker's code, plain CommonJS (it runs as given under jest, tsx and the compiled server
 * alike): its own connection to the file, WAL and synchronous=FULL like the main one, and one
 * IMMEDIATE transaction per batch (it takes the write lock first, waiting through busy_timeout,
 * so it never works on a stale snapshot). It answers only once COMMIT has returned, that is once
 * the batch is on disk.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare('INSERT INTO journal (doc, seq, at, author, update_bytes, hash, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
const setHead = db.prepare('INSERT INTO doc_heads (doc, seq, hash) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET seq = excluded.seq, hash = excluded.hash');
const buf = (u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const append = db.transaction((doc, rows) => {
  for (const r of rows) insert.run(doc, r.seq, r.at, r.author, buf(r.update), buf(r.hash), buf(r.prevHash));
  const last = rows[rows.length - 1];
  setHead.run(doc, last.seq, buf(last.hash));
});
parentPort.on('message', (m) => {
  if (m.close) { db.close(); parentPort.close(); return; }
  try {
    append.immediate(m.doc, m.rows);
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, message: String(err && err.message), code: err && err.code });
  }
});
`;

/**
 * Journal commits off the event loop. better-sqlite3 is synchronous, so a commit on the main
 * thread holds the event loop for its fsync (the profile of the latency bench: 1.15 ms per commit
 * on a quiet machine, 7 ms on a loaded one), and every socket waits behind it. Here a worker
 * thread runs the transaction and its fsync while the main thread keeps reading, inspecting and
 * broadcasting; the room batches whatever arrives meanwhile into its next commit.
 */
export class JournalCommitThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();

  constructor(private readonly file: string) {}

  /** Resolves once the rows are committed and on disk; rejects with the driver's error (its `code` kept). */
  commit(doc: string, rows: CommitRow[]): Promise<void> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, doc, rows });
      // Referenced only while a commit is in flight: an idle thread never keeps the process alive.
      worker.ref();
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held until the thread has closed its connection: nothing else may keep the process up meanwhile.
    worker.ref();
    worker.postMessage({ close: true });
    await exited;
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: this.file, driver: require.resolve('better-sqlite3') } });
    worker.unref();
    worker.on('message', (m: Outcome) => {
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) worker.unref();
      if (m.ok) waiter.resolve();
      else waiter.reject(Object.assign(new Error(m.message ?? 'journal commit failed'), { code: m.code }));
    });
    // A thread that dies takes its answers with it: those commits count as failed (the room
    // retries them; the store reads the head back from the file), and the next commit starts a new thread.
    const died = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`journal commit thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}
