/**
 * The relay of the `floor` bench: the least a socket.io server can do for the latency workload
 * (and, with FLOOR_JOIN_*, for the join storm: stored bytes sent as they are).
 * Each update is written to a file and fdatasync'd (the cost of the journal's durable commit,
 * without SQLite), acknowledged, and broadcast as one base64 frame, as the real server does;
 * with FLOOR_REDIS_URL, it is also published on Redis and what other relays publish is
 * broadcast here. No Yjs, no checks, no accounts: a lower bound for the real server on this
 * machine, not a server.
 */
import fs from 'node:fs';
import http from 'node:http';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { EVENTS, type JoinReply } from '../../shared/protocol/messages';
import { FLOOR_DOC } from './floorDoc';

const port = Number(process.env.PORT);
const nodeId = String(process.env.FLOOR_NODE ?? '0');
const journal = process.env.FLOOR_JOURNAL ? fs.openSync(process.env.FLOOR_JOURNAL, 'a') : null;
const channel = process.env.FLOOR_CHANNEL ?? 'floor';
/** The storm's floor: joins of this document are answered with these stored bytes (what a cold room serves), others with nothing. */
const joinDoc = process.env.FLOOR_JOIN_DOC ?? null;
const joinState = process.env.FLOOR_JOIN_STATE ? new Uint8Array(fs.readFileSync(process.env.FLOOR_JOIN_STATE)) : null;
const joinStateVector = process.env.FLOOR_JOIN_STATE_VECTOR ? new Uint8Array(fs.readFileSync(process.env.FLOOR_JOIN_STATE_VECTOR)) : new Uint8Array([0]);

async function main(): Promise<void> {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { transports: ['websocket'], perMessageDeflate: false, httpCompression: false, serveClient: false });
  const broadcast = (update: string, except: string | null) => {
    const target = io.local.to('doc');
    (except ? target.except(except) : target).emit(EVENTS.update, { doc: FLOOR_DOC, update, seq: 0 });
  };
  let publish: ((m: string) => void) | null = null;
  if (process.env.FLOOR_REDIS_URL) {
    const pub = createClient({ url: process.env.FLOOR_REDIS_URL });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    await sub.subscribe(channel, (message) => {
      const at = message.indexOf(':');
      if (message.slice(0, at) !== nodeId) broadcast(message.slice(at + 1), null);
    });
    publish = (m) => void pub.publish(channel, `${nodeId}:${m}`);
  }
  io.on('connection', (socket) => {
    void socket.join('doc');
    // A join is answered with an empty document (the storm's document: its stored bytes): the bench's clients speak the real protocol.
    socket.on(EVENTS.join, (msg: { doc?: unknown }, ack?: (r: JoinReply) => void) => {
      const stored = joinState !== null && msg?.doc === joinDoc;
      ack?.({ ok: true, updates: stored ? [joinState] : [], stateVector: stored ? joinStateVector : new Uint8Array([0]), seq: 0, awareness: null, serverTime: new Date().toISOString() });
    });
    socket.on(EVENTS.update, (msg: { update?: unknown }, ack?: (r: unknown) => void) => {
      if (!(msg?.update instanceof Uint8Array)) return;
      if (journal !== null) {
        fs.writeSync(journal, msg.update);
        fs.fdatasyncSync(journal);
      }
      const b64 = Buffer.from(msg.update).toString('base64');
      ack?.({ ok: true, seq: 0 });
      publish?.(b64);
      broadcast(b64, socket.id);
    });
  });
  // Memory is read after a full collection, as the real server's (bench/lib/inspectorGc.ts): the relay runs with --expose-gc.
  process.on('message', (m: { cmd?: string }) => {
    if (m?.cmd !== 'gc') return;
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ collected: true });
  });
  httpServer.listen(port, '127.0.0.1', () => process.send?.({ ready: true }));
}

void main();
