import { ThreadClient, type ThreadReply } from '../../threads/threadClient';

/** One journal row as the commit thread writes it: seq and hashes are decided by the store, on the main thread. */
export interface CommitRow {
  seq: number;
  at: number;
  author: string;
  update: Uint8Array;
  hash: Uint8Array;
  prevHash: Uint8Array;
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
  private readonly thread: ThreadClient<ThreadReply>;

  constructor(file: string) {
    this.thread = new ThreadClient('journal commit thread', WORKER_SOURCE, { file, driver: require.resolve('better-sqlite3') });
  }

  /**
   * Resolves once the rows are committed and on disk; rejects with the driver's error (its `code`
   * kept). A thread that dies fails its commits: the room retries them, and the store reads the
   * head back from the file.
   */
  async commit(doc: string, rows: CommitRow[]): Promise<void> {
    await this.thread.request({ doc, rows });
  }

  /** Once the thread has closed its connection. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
