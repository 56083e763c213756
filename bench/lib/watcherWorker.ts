/**
 * A watchers bench client process: hosts many read-only "management" connections. Each is a
 * bare socket.io-client socket that joins one document with an empty state vector and then
 * only receives, the wire protocol of shared/protocol/messages.ts, without the SDK's Y.Doc
 * per connection, so a few processes can hold thousands of them. Driven over IPC by
 * bench/watchers.ts.
 */
import { io, type Socket } from 'socket.io-client';
import { EVENTS, JoinReplySchema, type HandshakeAuth } from '../../shared/protocol/messages';
import { nowMs } from './stats';
import { openAll } from './openAll';

export interface WatcherJob {
  url: string;
  /** The API token every watcher of the bench connects with (one shared observer account). */
  token: string;
  doc: string;
  /** Global index of this process's first watcher (names them). */
  base: number;
  count: number;
  /** Connections opened at the same time, so the server is not hit by a SYN flood. */
  concurrency: number;
}

export type WatcherCommand = { cmd: 'connect'; job: WatcherJob } | { cmd: 'close' };

/** Sent when every watcher of this process has the k-th update: each one's arrival time. */
export interface ArrivalReport {
  update: number;
  seq: number;
  times: number[];
}

const EMPTY_STATE_VECTOR = new Uint8Array([0]);
let sockets: Socket[] = [];
/** Per update number (1-based, in arrival order), each watcher's arrival time. */
const arrivals = new Map<number, { seq: number; times: number[]; count: number }>();

process.on('message', (message: WatcherCommand) => {
  void handle(message).catch((err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  });
});

async function handle(message: WatcherCommand): Promise<void> {
  if (message.cmd === 'close') {
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
  const { job } = message;
  const started = nowMs();
  sockets = await openAll(job.count, job.concurrency, (i) => connectWatcher(job, i));
  process.send?.({ connected: job.count, ms: nowMs() - started });
}

function connectWatcher(job: WatcherJob, i: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(job.url, {
      transports: ['websocket'],
      // One connection per watcher: without this socket.io-client multiplexes them all on one.
      forceNew: true,
      reconnection: false,
      auth: { token: job.token, protocol: 1 } satisfies HandshakeAuth,
    });
    let received = 0;
    socket.on(EVENTS.update, (raw: { doc?: unknown; seq?: unknown }) => {
      const at = nowMs();
      if (raw?.doc !== job.doc) return;
      const n = ++received;
      let entry = arrivals.get(n);
      if (!entry) {
        entry = { seq: typeof raw.seq === 'number' ? raw.seq : 0, times: new Array<number>(job.count).fill(0), count: 0 };
        arrivals.set(n, entry);
      }
      entry.times[i] = at;
      if (++entry.count === job.count) {
        const report: ArrivalReport = { update: n, seq: entry.seq, times: entry.times };
        process.send?.({ arrival: report });
        arrivals.delete(n);
      }
    });
    socket.once('connect_error', (err) => reject(new Error(`watcher ${job.base + i}: ${err.message}`)));
    socket.once('connect', () => {
      socket.emit(EVENTS.join, { doc: job.doc, stateVector: EMPTY_STATE_VECTOR }, (raw: unknown) => {
        const reply = JoinReplySchema.safeParse(raw);
        if (reply.success && reply.data.ok) resolve(socket);
        else reject(new Error(`watcher ${job.base + i}: join refused ${JSON.stringify(raw).slice(0, 200)}`));
      });
    });
  });
}
