import * as Y from 'yjs';
import { z } from 'zod';
import { io as ioClient, type Socket } from 'socket.io-client';
import { ROOTS, docName } from '../shared/model/parts';
import { EVENTS } from '../shared/protocol/messages';
import { buildLogEntry } from '../shared/docs/logDoc';
import { encodeLogEntry } from '../shared/model/log';
import { decodeWireBytes } from '../shared/protocol/broadcastBytes';
import { spawnServer } from './lib/serverProcess';
import { BenchAuth, type BenchCredential } from './lib/auth';
import { closeFleet, connectFleet, type FleetMember } from './lib/fleet';
import { memoryMb } from './lib/processStats';
import { nowMs, summarize } from './lib/stats';

export const FloodOptionsSchema = z
  .object({
    /** Seconds of flood (one member sending valid large updates at full speed). */
    seconds: z.coerce.number().min(1).max(600).default(15),
    /** Seconds of quiet before it, to measure the colleagues' idle acks. */
    idleSeconds: z.coerce.number().min(1).max(600).default(10),
    /** Colleagues writing one entry a second each. */
    writers: z.coerce.number().int().min(1).max(100).default(4),
    /** Log entries per flood update (of ~9.5 KB each: 200 make ~1.9 MB, under the 2 MB update limit). */
    entriesPerUpdate: z.coerce.number().int().min(1).max(210).default(200),
  })
  .strict();

type Reply = { ok: boolean; error?: { code: string } };

function socketOf(url: string, token: string): Promise<Socket> {
  const s = ioClient(url, { transports: ['websocket'], auth: { token, protocol: 1 }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  const decoded = decodeWireBytes(value);
  if (!decoded) throw new Error('expected bytes');
  return decoded;
}

/** The log document's size as a new client receives it (every update of its join reply). */
async function logSize(url: string, token: string, doc: string): Promise<number> {
  const s = await socketOf(url, token);
  try {
    const reply = (await s.timeout(60_000).emitWithAck(EVENTS.join, { doc, stateVector: Y.encodeStateVector(new Y.Doc()) })) as { ok: boolean; updates?: unknown[] };
    if (!reply.ok) throw new Error('join refused');
    return (reply.updates ?? []).reduce<number>((n, u) => n + bytesOf(u).length, 0);
  } finally {
    s.close();
  }
}

/** Each writer appends one entry a second; every ack time (append → durable) is kept. */
function writeOncePerSecond(members: FleetMember[], acks: number[], stop: { done: boolean }): Promise<void> {
  return Promise.all(
    members.map(async (m, i) => {
      await new Promise((r) => setTimeout(r, (1000 * i) / members.length));
      while (!stop.done) {
        const started = nowMs();
        m.session.appendLog({ text: `collègue ${i}: point de situation` });
        await m.session.syncs.log.whenAcknowledged();
        acks.push(nowMs() - started);
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (nowMs() - started))));
      }
    }),
  ).then(() => undefined);
}

/**
 * Issue 13, item 5: one member sends valid large updates (≈1.9 MB of log entries each) at full
 * speed for `seconds` while `writers` colleagues write one entry a second. Reports the log's
 * size afterwards (bounded by the member budget: BUDGET_MEMBER_BYTES_PER_MINUTE a minute), the
 * flood's accepted and refused updates, and the colleagues' ack p50/p99 idle and during the
 * flood, with their ratio (target ≤ 2).
 */
export async function runFloodBench(raw: Record<string, string>): Promise<object> {
  const opts = FloodOptionsSchema.parse(raw);
  const server = await spawnServer();
  try {
    const auth = await BenchAuth.login(server.url);
    const incidentId = await auth.createIncident();
    const doc = docName(incidentId, 'log');
    const credentials = await auth.fleet(incidentId, opts.writers + 1);
    const flooder = credentials[0] as BenchCredential;
    const colleagues = await connectFleet([server.url], incidentId, credentials.slice(1));
    const sizeBefore = await logSize(server.url, flooder.token, doc);

    const idleAcks: number[] = [];
    const idle = { done: false };
    const idleRun = writeOncePerSecond(colleagues, idleAcks, idle);
    await new Promise((r) => setTimeout(r, opts.idleSeconds * 1000));
    idle.done = true;
    await idleRun;

    const floodAcks: number[] = [];
    const flood = { done: false };
    const floodRun = writeOncePerSecond(colleagues, floodAcks, flood);
    const socket = await socketOf(server.url, flooder.token);
    const joined = (await socket.timeout(30_000).emitWithAck(EVENTS.join, { doc, stateVector: Y.encodeStateVector(new Y.Doc()) })) as Reply;
    if (!joined.ok) throw new Error(`the flooder could not join: ${JSON.stringify(joined)}`);
    const text = 'F'.repeat(9_500);
    const outcome = { accepted: 0, acceptedBytes: 0, refused: {} as Record<string, number>, heldBack: 0, sentBytes: 0 };
    const floodEnd = nowMs() + opts.seconds * 1000;
    while (nowMs() < floodEnd) {
      // A fresh replica each time: every update is valid on its own (inserts at the log's start),
      // whether or not the previous one was accepted.
      const replica = new Y.Doc();
      const now = new Date();
      replica.getArray(ROOTS.log).push(Array.from({ length: opts.entriesPerUpdate }, () => encodeLogEntry(buildLogEntry({ text }, flooder.name, now))));
      const update = Y.encodeStateAsUpdate(replica);
      outcome.sentBytes += update.length;
      // A flooder the server has stopped reading (refusal backoff) waits on TCP backpressure: its
      // send is still unanswered when the flood ends, and counts as held back.
      const answer = socket.timeout(120_000).emitWithAck(EVENTS.update, { doc, update }) as Promise<Reply>;
      answer.catch(() => undefined);
      const reply = await Promise.race([answer, new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, floodEnd - nowMs())))]);
      if (reply === null) {
        outcome.heldBack += 1;
        break;
      }
      if (reply.ok) {
        outcome.accepted += 1;
        outcome.acceptedBytes += update.length;
      } else {
        const code = reply.error?.code ?? 'UNKNOWN';
        outcome.refused[code] = (outcome.refused[code] ?? 0) + 1;
      }
    }
    flood.done = true;
    await floodRun;
    socket.close();
    const mem = memoryMb(server.pid);
    const sizeAfter = await logSize(server.url, flooder.token, doc);
    closeFleet(colleagues);
    const idleStats = summarize(idleAcks);
    const floodStats = summarize(floodAcks);
    return {
      bench: 'flood',
      seconds: opts.seconds,
      writers: opts.writers,
      floodUpdates: { sent: outcome.accepted + outcome.heldBack + Object.values(outcome.refused).reduce((a, b) => a + b, 0), heldBack: outcome.heldBack, accepted: outcome.accepted, refused: outcome.refused, sentMb: Math.round(outcome.sentBytes / 1e4) / 100, acceptedMb: Math.round(outcome.acceptedBytes / 1e4) / 100 },
      logBytesBefore: sizeBefore,
      logBytesAfter: sizeAfter,
      /** The member budget's bound for this flood (the default BUDGET_MEMBER_BYTES_PER_MINUTE, a window per started minute). */
      logBudgetBytes: 1024 * 1024 * Math.ceil(opts.seconds / 60 + 1),
      ackIdleMs: { p50: idleStats.p50, p99: idleStats.p99, n: idleStats.n },
      ackFloodMs: { p50: floodStats.p50, p99: floodStats.p99, n: floodStats.n },
      p99Ratio: idleStats.p99 > 0 ? Math.round((floodStats.p99 / idleStats.p99) * 100) / 100 : null,
      p50Ratio: idleStats.p50 > 0 ? Math.round((floodStats.p50 / idleStats.p50) * 100) / 100 : null,
      serverRssMb: mem.rssMb,
      serverPeakRssMb: mem.peakRssMb,
    };
  } finally {
    await server.stop();
  }
}
