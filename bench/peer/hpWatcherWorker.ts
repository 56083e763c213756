/**
 * A watchers process of the `peer` bench on the Hocuspocus side: many read-only connections,
 * each a bare WebSocket speaking the Hocuspocus protocol (document name, then Auth, then the
 * y-protocols sync step 1), without a provider or Y.Doc per connection, as
 * bench/lib/watcherWorker.ts does on this server's side. Same IPC messages as that worker.
 */
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { nowMs } from '../lib/stats';
import type { ArrivalReport, WatcherCommand, WatcherJob } from '../lib/watcherWorker';
import { openAll } from '../lib/openAll';

/** Hocuspocus message types (its MessageType enum) and y-protocols sync steps. */
const SYNC = 0;
const AUTH = 2;
const AUTH_TOKEN = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

let sockets: WebSocket[] = [];
const arrivals = new Map<number, { times: number[]; count: number }>();

process.on('message', (message: WatcherCommand) => {
  void handle(message).catch((err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  });
});

async function handle(message: WatcherCommand): Promise<void> {
  if (message.cmd === 'close') {
    for (const s of sockets) s.terminate();
    process.exit(0);
  }
  const { job } = message;
  const started = nowMs();
  sockets = await openAll(job.count, job.concurrency, (i) => connectWatcher(job, i));
  process.send?.({ connected: job.count, ms: nowMs() - started });
}

function frame(doc: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, doc);
  write(e);
  return encoding.toUint8Array(e);
}

function connectWatcher(job: WatcherJob, i: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(job.url);
    let received = 0;
    let synced = false;
    socket.binaryType = 'nodebuffer';
    socket.once('error', (err) => reject(new Error(`watcher ${job.base + i}: ${err.message}`)));
    socket.once('open', () => {
      socket.send(frame(job.doc, (e) => (encoding.writeVarUint(e, AUTH), encoding.writeVarUint(e, AUTH_TOKEN), encoding.writeVarString(e, job.token))));
      // Sync step 1 with an empty state vector: "send me everything".
      socket.send(frame(job.doc, (e) => (encoding.writeVarUint(e, SYNC), encoding.writeVarUint(e, 0), encoding.writeVarUint8Array(e, new Uint8Array([0])))));
    });
    socket.on('message', (data: Buffer) => {
      const at = nowMs();
      const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (decoding.readVarString(d) !== job.doc || decoding.readVarUint(d) !== SYNC) return;
      const step = decoding.readVarUint(d);
      if (step === SYNC_STEP_2 && !synced) {
        synced = true;
        resolve(socket);
      } else if (step === SYNC_UPDATE) {
        const n = ++received;
        let entry = arrivals.get(n);
        if (!entry) arrivals.set(n, (entry = { times: new Array<number>(job.count).fill(0), count: 0 }));
        entry.times[i] = at;
        if (++entry.count === job.count) {
          const report: ArrivalReport = { update: n, seq: 0, times: entry.times };
          process.send?.({ arrival: report });
          arrivals.delete(n);
        }
      }
    });
  });
}
