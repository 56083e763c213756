import * as Y from 'yjs';
import { decodeWireBytes } from '../../shared/protocol/broadcastBytes';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { CrisisClient } from '../../client/sdk/crisisClient';
import type { RunningServer } from '../../server/createServer';
import type { DocName } from '../../shared/model/parts';
import { DOC_PARTS, docName } from '../../shared/model/parts';
import { EVENTS } from '../../shared/protocol/messages';
import type { WireError } from '../../shared/protocol/errors';
import { onTeardown } from './testServer';
import { testUser } from './accounts';
import { within } from './poll';

/**
 * A bare socket.io-client socket with no document sync attached, for sending hand-made
 * messages. It is the SDK's own socket (CrisisClient without any session), so it always speaks
 * the wire format the server expects (transport, handshake auth, socket.io parser), whatever
 * parser the SDK and the server agree on.
 */
export function rawSocket(url: string, name = 'raw', socket: Partial<ManagerOptions & SocketOptions> = {}): Socket {
  const client = new CrisisClient({ url, name, token: () => testUser(url, name).then((u) => u.token), socket: { reconnectionDelay: 50, reconnectionDelayMax: 200, ...socket } });
  onTeardown(() => client.close());
  return client.socket;
}

/** A raw socket, once connected. */
export async function connectRaw(url: string, name = 'raw', socket: Partial<ManagerOptions & SocketOptions> = {}): Promise<Socket> {
  const s = rawSocket(url, name, socket);
  if (s.connected) return s;
  await within(new Promise<void>((resolve) => s.once('connect', () => resolve())), 10_000, 'raw socket did not connect');
  return s;
}

export type AnyReply = { ok: true; [k: string]: unknown } | { ok: false; error: WireError };

/** Emits with an acknowledgement; rejects if none comes within `timeoutMs`. */
export function emitAck(socket: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<AnyReply> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<AnyReply>;
}

/** socket.io hands binary over as Buffer, Uint8Array or ArrayBuffer depending on the parser. */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  const decoded = decodeWireBytes(value);
  if (decoded) return decoded;
  throw new Error(`expected bytes, got ${Object.prototype.toString.call(value)}`);
}

export interface JoinedDoc {
  /** A local replica holding exactly what the server sent at join. */
  doc: Y.Doc;
  /** The server's state vector at join. */
  serverStateVector: Uint8Array;
  seq: number;
  awareness: Uint8Array | null;
}

/** Joins `name` with an empty state vector and builds a replica from the reply's updates. */
export async function joinRaw(socket: Socket, name: DocName): Promise<JoinedDoc> {
  const reply = (await emitAck(socket, EVENTS.join, { doc: name, stateVector: Y.encodeStateVector(new Y.Doc()) })) as AnyReply & Record<string, unknown>;
  if (!reply.ok) throw new Error(`join ${name} refused: ${JSON.stringify(reply.error)}`);
  const doc = new Y.Doc();
  for (const u of reply.updates as unknown[]) Y.applyUpdate(doc, toBytes(u));
  return {
    doc,
    serverStateVector: toBytes(reply.stateVector),
    seq: reply.seq as number,
    awareness: reply.awareness == null ? null : toBytes(reply.awareness),
  };
}

/** Collects the update each local transaction of `doc` produces, in order. */
export function captureUpdates(doc: Y.Doc): { updates: Uint8Array[]; stop(): void } {
  const updates: Uint8Array[] = [];
  const listener = (u: Uint8Array) => updates.push(u);
  doc.on('update', listener);
  return { updates, stop: () => doc.off('update', listener) };
}

/**
 * What `doc` has beyond `since`, minus its delete set: the struct section of the v1 update
 * followed by an empty delete set. Yjs always appends the whole delete set, and the delete set
 * alone is what encodeStateAsUpdate writes when nothing is missing (after a 0 struct count).
 */
export function updateWithoutDeletes(doc: Y.Doc, since: Uint8Array): Uint8Array {
  const full = Y.encodeStateAsUpdate(doc, since);
  const deleteSet = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)).subarray(1);
  const tail = full.subarray(full.length - deleteSet.length);
  if (!Buffer.from(tail).equals(Buffer.from(deleteSet))) throw new Error('unexpected update layout');
  const out = new Uint8Array(full.length - deleteSet.length + 1);
  out.set(full.subarray(0, full.length - deleteSet.length));
  out[out.length - 1] = 0;
  return out;
}

export interface ServerDocState {
  stateVector: number[];
  head: number;
  roomSeq: number;
  content: unknown;
  pendingStructs: boolean;
}

/** The server's own view of one document: state vector, journal head, applied content. */
export async function serverDocState(server: RunningServer, name: DocName): Promise<ServerDocState> {
  const room = await server.rooms.get(name);
  const head = await server.store.headSeq(name);
  return room.read((d) => ({
    stateVector: [...Y.encodeStateVector(d)],
    head,
    roomSeq: room.seq,
    content: Object.fromEntries([...d.share.keys()].map((k) => [k, d.share.get(k)!.toJSON() as unknown])),
    pendingStructs: d.store.pendingStructs !== null || d.store.pendingDs !== null,
  }));
}

/** All four parts of an incident as the server holds them, with their journal heads. */
export async function incidentSnapshot(server: RunningServer, incidentId: string): Promise<Record<string, ServerDocState>> {
  const out: Record<string, ServerDocState> = {};
  for (const part of DOC_PARTS) out[part] = await serverDocState(server, docName(incidentId, part));
  return out;
}
