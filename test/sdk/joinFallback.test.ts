import * as Y from 'yjs';
import { z } from 'zod';
import { DocSync, type Refusal } from '../../client/sdk/docSync';
import { nodeInflater } from '../../client/sdk/inflateNode';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { docName } from '../../shared/model/parts';
import { EVENTS } from '../../shared/protocol/messages';
import type { WireError } from '../../shared/protocol/errors';
import { MemoryServer, MemorySocket, refusal } from './memorySocket';

/**
 * A rolling upgrade puts pages of the new release in front of nodes of the previous one
 * (docs/DEPLOYMENT.md). Those parse a join strictly, and a field they do not know yet is
 * BAD_MESSAGE: without a way back, the page would never join there.
 */
const NAME = docName('incident00000001', 'log');

/** The join as a server before `accept` and `clientId` parsed it (commit 3fa0839, shared/protocol/messages.ts). */
const OlderJoinSchema = z.object({ doc: z.string(), stateVector: z.instanceof(Uint8Array) }).strict();

/** Answers the oldest join as that server did: BAD_MESSAGE for a field it does not know, else the state. */
function answerAsOlderServer(socket: MemorySocket, server: MemoryServer): void {
  const join = socket.unanswered(EVENTS.join)[0]!;
  if (OlderJoinSchema.safeParse(join.payload).success) server.answerJoin();
  else socket.answer(EVENTS.join, refusal('BAD_MESSAGE'));
}

const opened: DocSync[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close())); // a copy's presence keeps a timer until it is closed

function writer(inflater: typeof nodeInflater | null = nodeInflater, writable = true): { socket: MemorySocket; server: MemoryServer; sync: DocSync; rejected: WireError[] } {
  const socket = new MemorySocket();
  const server = new MemoryServer(socket);
  const sync = new DocSync(NAME, new Y.Doc(), socket, inflater, writable);
  opened.push(sync);
  const rejected: WireError[] = [];
  sync.on('rejected', (error: WireError, _refusal: Refusal) => rejected.push(error));
  return { socket, server, sync, rejected };
}

const joins = (socket: MemorySocket) => socket.emitted.filter((m) => m.event === EVENTS.join).map((m) => Object.keys(m.payload as object).sort());

test('a node of the previous release refuses the newer fields: the page joins again without them, writes, and names them again on its next connection', () => {
  const { socket, server, sync, rejected } = writer();
  socket.connect();
  answerAsOlderServer(socket, server);
  expect(sync.isSynced).toBe(false);
  answerAsOlderServer(socket, server);
  expect(joins(socket)).toEqual([
    ['accept', 'clientId', 'doc', 'stateVector'],
    ['doc', 'stateVector'],
  ]);
  expect(sync.isSynced).toBe(true);
  expect(rejected).toEqual([]);

  new LogDoc(sync.doc).append(buildLogEntry({ text: 'écrit pendant la montée de version' }, 'Alice', new Date()));
  server.acceptUpdate();
  expect(sync.pendingCount).toBe(0);
  expect(new LogDoc(server.doc).entries().map((e) => e.text)).toEqual(['écrit pendant la montée de version']);

  // The next connection may reach a node of the new release.
  socket.drop();
  socket.connect();
  expect(joins(socket)[2]).toEqual(['accept', 'clientId', 'doc', 'stateVector']);
  server.answerJoin();
  expect(sync.isSynced).toBe(true);
});

test('the plain join holds for the rest of the connection: a join after a "not now" pause asks for nothing newer', () => {
  jest.useFakeTimers();
  try {
    const { socket, server, sync } = writer();
    socket.connect();
    answerAsOlderServer(socket, server);
    answerAsOlderServer(socket, server);
    new LogDoc(sync.doc).append(buildLogEntry({ text: 'refusée pour l’instant' }, 'Alice', new Date()));
    server.refuseUpdate('RATE_LIMITED');
    jest.advanceTimersByTime(1_000);
    expect(joins(socket)).toEqual([['accept', 'clientId', 'doc', 'stateVector'], ['doc', 'stateVector'], ['doc', 'stateVector']]);
    answerAsOlderServer(socket, server);
    server.acceptUpdate();
    expect(sync.pendingCount).toBe(0);
  } finally {
    jest.useRealTimers();
  }
});

test('a join that asked for nothing newer is not sent again on BAD_MESSAGE: the refusal is reported', () => {
  const { socket, rejected } = writer(null, false);
  socket.connect();
  expect(joins(socket)).toEqual([['doc', 'stateVector']]);
  socket.answer(EVENTS.join, refusal('BAD_MESSAGE'));
  expect(socket.count(EVENTS.join)).toBe(1);
  expect(rejected.map((e) => e.code)).toEqual(['BAD_MESSAGE']);
});

test('a plain join refused as malformed too is reported once, and not sent again', () => {
  const { socket, sync, rejected } = writer();
  socket.connect();
  socket.answer(EVENTS.join, refusal('BAD_MESSAGE'));
  socket.answer(EVENTS.join, refusal('BAD_MESSAGE'));
  expect(rejected.map((e) => e.code)).toEqual(['BAD_MESSAGE']);
  expect(socket.count(EVENTS.join)).toBe(2);
  expect(sync.isSynced).toBe(false);
});

test('any other refusal of the join is not retried plainly', () => {
  const { socket, rejected } = writer();
  socket.connect();
  socket.answer(EVENTS.join, refusal('FORBIDDEN'));
  expect(rejected.map((e) => e.code)).toEqual(['FORBIDDEN']);
  expect(socket.count(EVENTS.join)).toBe(1);
});
