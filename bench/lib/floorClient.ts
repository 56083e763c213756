/**
 * A client process of the `floor` bench: bare socket.io-client sockets, each with its own
 * Y.Doc (a real client applies every update it receives), sending one Yjs log entry per period.
 * Reports when each entry reached each of its clients, in the shape of bench/lib/clientWorker.ts.
 */
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { nowMs } from './stats';
import { EVENTS } from '../../shared/protocol/messages';
import { FLOOR_DOC } from './floorDoc';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { updateOf } from './floorUpdate';

export interface FloorJob {
  urls: string[];
  /** Global index of this process's first client, and how many it hosts. */
  base: number;
  count: number;
  totalClients: number;
  seconds: number;
  rate: number;
  /** Apply each received update to the client's Y.Doc (as a real client does). */
  ydoc: boolean;
}

export interface FloorReport {
  sent: Array<{ id: string; t0: number; ackMs: number | null; writer: number }>;
  arrivals: Record<string, Array<[number, number]>>;
}

type Command = { cmd: 'connect'; job: FloorJob } | { cmd: 'run'; startAt: number };

let job: FloorJob | null = null;
let sockets: Socket[] = [];
let docs: Y.Doc[] = [];
const arrivals: FloorReport['arrivals'] = {};
const ID = /"id":"([^"]+)"/;

process.on('message', (command: Command) => {
  void handle(command).catch((err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  });
});

async function handle(command: Command): Promise<void> {
  if (command.cmd === 'connect') {
    job = command.job;
    const j = job;
    docs = Array.from({ length: j.count }, () => new Y.Doc());
    sockets = await Promise.all(
      docs.map(
        (doc, k) =>
          new Promise<Socket>((resolve, reject) => {
            const index = j.base + k;
            const socket = io(j.urls[index % j.urls.length]!, { transports: ['websocket'], forceNew: true, reconnection: false });
            socket.on(EVENTS.update, (raw: { update?: unknown }) => {
              if (typeof raw?.update !== 'string') return;
              const bytes = Buffer.from(raw.update, 'base64');
              if (j.ydoc) Y.applyUpdate(doc, bytes, 'server');
              const id = ID.exec(bytes.toString('latin1'))?.[1];
              if (id) (arrivals[id] ??= []).push([nowMs(), index]);
            });
            socket.once('connect', () => resolve(socket));
            socket.once('connect_error', reject);
          }),
      ),
    );
    process.send?.({ connected: true });
    return;
  }
  if (!job) throw new Error('run before connect');
  const j = job;
  const sent: FloorReport['sent'] = [];
  const periodMs = 1000 / j.rate;
  const endAt = command.startAt + j.seconds * 1000;
  await Promise.all(
    sockets.map(async (socket, k) => {
      const index = j.base + k;
      const log = docs[k]!.getArray<string>('log');
      let next = command.startAt + (periodMs * index) / j.totalClients;
      await sleep(next - nowMs());
      while (next < endAt) {
        const t0 = nowMs();
        // The same LogEntry as the SDK's appendLog and the Hocuspocus clients write.
        const entry = buildLogEntry({ text: `Point ${index}: ${'x'.repeat(80)}`, category: 'information' }, `Membre ${index}`, new Date());
        const id = entry.id;
        const update = updateOf(docs[k]!, () => log.insert(log.length, [JSON.stringify(entry)]));
        const record = { id, t0, ackMs: null as number | null, writer: index };
        sent.push(record);
        socket.emit(EVENTS.update, { doc: FLOOR_DOC, update }, () => (record.ackMs = nowMs() - t0));
        next += periodMs;
        await sleep(next - nowMs());
      }
    }),
  );
  await sleep(1500);
  for (const s of sockets) s.disconnect();
  const report: FloorReport = { sent, arrivals };
  process.send?.({ report }, () => process.exit(0));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
