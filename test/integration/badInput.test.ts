import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { Socket } from 'socket.io-client';
import { connectClient, createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { AnyReply, captureUpdates, connectRaw, emitAck, incidentSnapshot, joinRaw, JoinedDoc, updateWithoutDeletes } from '../helpers/rawSocket';
import { getIncidentState, sessionChanges } from '../helpers/sessions';
import { adminToken, api } from '../helpers/accounts';
import type { RunningServer } from '../../server/createServer';
import type { CrisisClient } from '../../client/sdk/crisisClient';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { encodeLogEntry } from '../../shared/model/log';
import { DECISION_HISTORY_KEY } from '../../shared/docs/decisionsDoc';
import { newId } from '../../shared/model/ids';
import { DocName, ROOTS, docName } from '../../shared/model/parts';
import type { ErrorCode } from '../../shared/protocol/errors';
import { EVENTS } from '../../shared/protocol/messages';
import { LIMITS } from '../../shared/protocol/limits';

// ---------------------------------------------------------------------------------------------
// Socket messages
// ---------------------------------------------------------------------------------------------

interface Ctx {
  server: RunningServer;
  id: string;
  aliceClient: CrisisClient;
  alice: IncidentSession;
  entryId: string;
  taskId: string;
  decisionId: string;
  raw: Socket;
  names: Record<'meta' | 'log' | 'tasks' | 'decisions', DocName>;
  /** Replicas the raw socket built from its join replies (meta is deliberately not joined). */
  replicas: Record<'log' | 'tasks' | 'decisions', JoinedDoc>;
}

async function observe(ctx: Pick<Ctx, 'server' | 'id'>) {
  return {
    docs: await incidentSnapshot(ctx.server, ctx.id),
    rest: await getIncidentState(ctx.server.url, ctx.id),
    incidents: (await api<{ incidents: unknown[] }>(ctx.server.url, '/api/incidents', { token: await adminToken(ctx.server.url) })).body.incidents,
  };
}

async function setup(): Promise<Ctx> {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const aliceClient = connectClient(server.url, 'Alice');
  const alice = await aliceClient.openIncident(id);
  await alice.whenSynced();
  const entry = alice.appendLog({ text: 'Messagerie coupée', category: 'alert', severity: 'high' });
  alice.appendLog({ text: 'Standard saturé' });
  const task = alice.createTask({ title: 'Isoler le réseau' });
  alice.moveTask(task.id, 'in_progress');
  const decision = alice.recordDecision({ title: 'Couper internet', statement: 'On coupe', rationale: 'Exfiltration' });
  alice.setDecisionStatus(decision.id, 'approved');
  await alice.whenAcknowledged();
  const names = { meta: docName(id, 'meta'), log: docName(id, 'log'), tasks: docName(id, 'tasks'), decisions: docName(id, 'decisions') };
  const raw = await connectRaw(server.url, 'Mallory');
  const replicas = { log: await joinRaw(raw, names.log), tasks: await joinRaw(raw, names.tasks), decisions: await joinRaw(raw, names.decisions) };
  return { server, id, aliceClient, alice, entryId: entry.id, taskId: task.id, decisionId: decision.id, raw, names, replicas };
}

/** The update one local transaction on a replica produces. */
function edit(replica: JoinedDoc, fn: (doc: Y.Doc) => void): Uint8Array {
  const capture = captureUpdates(replica.doc);
  try {
    replica.doc.transact(() => fn(replica.doc));
  } finally {
    capture.stop();
  }
  if (capture.updates.length !== 1) throw new Error(`expected one update, got ${capture.updates.length}`);
  return capture.updates[0]!;
}

function validEntry(text = 'entrée valide') {
  return buildLogEntry({ text }, 'Mallory', new Date());
}

function sendUpdate(ctx: Ctx, doc: DocName, update: Uint8Array): Promise<AnyReply> {
  return emitAck(ctx.raw, EVENTS.update, { doc, update });
}

/** Deterministic pseudo-random bytes (xorshift32). */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A v1 update with no structs and one delete range. */
function deleteOnlyUpdate(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // struct sections
  encoding.writeVarUint(e, 1); // delete set: one client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1); // one range
  encoding.writeVarUint(e, clock);
  encoding.writeVarUint(e, len);
  return encoding.toUint8Array(e);
}

/** The server still serves: a new SDK client writes and is acknowledged; the raw socket still works too. */
async function expectServerStillServes(ctx: Ctx, before: Awaited<ReturnType<typeof observe>>, rawStillUsable = true): Promise<void> {
  const health = await fetch(`${ctx.server.url}/healthz`);
  expect(health.status).toBe(200);
  const witness = await connectClient(ctx.server.url, 'Témoin').openIncident(ctx.id);
  await witness.whenSynced();
  expect(witness.log.entries()).toEqual(before.rest.log);
  const entry = witness.appendLog({ text: 'Toujours là' });
  await witness.whenAcknowledged();
  await waitFor(() => ctx.alice.log.find(entry.id) !== undefined, sessionChanges(ctx.alice), 'alice sees the witness entry');
  let expected = before.rest.log.length + 1;
  if (rawStillUsable) {
    const fresh = await joinRaw(ctx.raw, ctx.names.log);
    fresh.doc.getArray(ROOTS.log).push([encodeLogEntry(validEntry('après le refus'))]);
    expect(await sendUpdate(ctx, ctx.names.log, Y.encodeStateAsUpdate(fresh.doc, fresh.serverStateVector))).toEqual({ ok: true, seq: before.docs.log!.head + 2 });
    expected += 1;
  }
  const after = await getIncidentState(ctx.server.url, ctx.id);
  expect(after.log).toHaveLength(expected);
  expect(await ctx.server.store.headSeq(ctx.names.log)).toBe(before.docs.log!.head + expected - before.rest.log.length);
}

type Case = [label: string, code: ErrorCode, send: (ctx: Ctx) => Promise<AnyReply>];

const socketCases: Case[] = [
  // Undecodable updates
  ['random bytes as an update', 'UPDATE_MALFORMED', (c) => sendUpdate(c, c.names.log, pseudoRandomBytes(64, 0x9e3779b9))],
  [
    'a truncated real update',
    'UPDATE_MALFORMED',
    (c) => {
      const u = edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry())]));
      return sendUpdate(c, c.names.log, u.slice(0, Math.floor(u.length / 2)));
    },
  ],
  [
    'a real update missing its last byte',
    'UPDATE_MALFORMED',
    (c) => {
      const u = edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry())]));
      return sendUpdate(c, c.names.log, u.slice(0, u.length - 1));
    },
  ],
  // Messages that do not match the protocol
  ['doc as a number', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.update, { doc: 5, update: new Uint8Array([0, 0]) })],
  ['no update field', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.update, { doc: c.names.log })],
  ['no doc field', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.update, { update: edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry())])) })],
  ['update as a string', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.update, { doc: c.names.log, update: 'AQGBgICAAQA=' })],
  ['update as an array of numbers', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.update, { doc: c.names.log, update: [...edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry())]))] })],
  [
    'a valid update with an extra field',
    'BAD_MESSAGE',
    (c) => emitAck(c.raw, EVENTS.update, { doc: c.names.log, update: edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry())])), priority: 'high' }),
  ],
  ['a payload that is not an object', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.update, 'hello')],
  ['a join with an unknown part', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.join, { doc: `${c.id}:secrets`, stateVector: new Uint8Array([0]) })],
  ['a join with a string state vector', 'BAD_MESSAGE', (c) => emitAck(c.raw, EVENTS.join, { doc: c.names.meta, stateVector: 'AA==' })],
  ['an unknown event', 'BAD_MESSAGE', (c) => emitAck(c.raw, 'doc:explode', { doc: c.names.log })],
  // Size
  ['an update over maxUpdateBytes', 'UPDATE_TOO_LARGE', (c) => sendUpdate(c, c.names.log, new Uint8Array(LIMITS.maxUpdateBytes + 1))],
  // Valid Yjs, invalid content
  [
    'a log entry with wrong-typed fields',
    'UPDATE_INVALID_CONTENT',
    (c) => sendUpdate(c, c.names.log, edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([JSON.stringify({ ...validEntry(), text: 42, severity: 'apocalyptic' })]))),
  ],
  [
    'a log entry with an extra field',
    'UPDATE_INVALID_CONTENT',
    (c) => sendUpdate(c, c.names.log, edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([JSON.stringify({ ...validEntry(), admin: true })]))),
  ],
  [
    'a valid entry followed by an invalid one in the same update',
    'UPDATE_INVALID_CONTENT',
    (c) => sendUpdate(c, c.names.log, edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry()), JSON.stringify({ ...validEntry(), text: '' })]))),
  ],
  ['a shared map pushed into the log', 'UPDATE_INVALID_CONTENT', (c) => sendUpdate(c, c.names.log, edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([new Y.Map()])))],
  ['a write to another root of the log document', 'UPDATE_INVALID_CONTENT', (c) => sendUpdate(c, c.names.log, edit(c.replicas.log, (d) => d.getMap('admin').set('owner', 'Mallory')))],
  [
    'a task field of the wrong type',
    'UPDATE_INVALID_CONTENT',
    (c) => sendUpdate(c, c.names.tasks, edit(c.replicas.tasks, (d) => (d.getMap(ROOTS.tasks).get(c.taskId) as Y.Map<unknown>).set('status', 'on_fire'))),
  ],
  // Deletes the part forbids
  ['deleting a log entry', 'UPDATE_FORBIDDEN_DELETE', (c) => sendUpdate(c, c.names.log, edit(c.replicas.log, (d) => d.getArray(ROOTS.log).delete(0, 1)))],
  [
    'deleting a log entry by a hand-made delete set',
    'UPDATE_FORBIDDEN_DELETE',
    (c) => {
      const item = (c.replicas.log.doc.getArray(ROOTS.log) as unknown as { _start: Y.Item })._start;
      return sendUpdate(c, c.names.log, deleteOnlyUpdate(item.id.client, item.id.clock, 1));
    },
  ],
  ['removing a task', 'UPDATE_FORBIDDEN_DELETE', (c) => sendUpdate(c, c.names.tasks, edit(c.replicas.tasks, (d) => d.getMap(ROOTS.tasks).delete(c.taskId)))],
  ['overwriting a task slot (delete declared)', 'UPDATE_FORBIDDEN_DELETE', (c) => sendUpdate(c, c.names.tasks, edit(c.replicas.tasks, (d) => d.getMap(ROOTS.tasks).set(c.taskId, new Y.Map())))],
  [
    'replacing a decision history (delete declared)',
    'UPDATE_FORBIDDEN_DELETE',
    (c) => sendUpdate(c, c.names.decisions, edit(c.replicas.decisions, (d) => (d.getMap(ROOTS.decisions).get(c.decisionId) as Y.Map<unknown>).set(DECISION_HISTORY_KEY, new Y.Array()))),
  ],
  // Missing dependencies
  [
    'an update whose earlier updates the server never saw (clock gap)',
    'UPDATE_MISSING_DEPENDENCIES',
    (c) => {
      const log = c.replicas.log.doc.getArray(ROOTS.log);
      edit(c.replicas.log, () => log.push([encodeLogEntry(validEntry('jamais envoyée'))]));
      return sendUpdate(c, c.names.log, edit(c.replicas.log, () => log.push([encodeLogEntry(validEntry('envoyée'))])));
    },
  ],
  [
    'an entry placed after an entry of another client the server never saw',
    'UPDATE_MISSING_DEPENDENCIES',
    (c) => {
      const other = new Y.Doc();
      Y.applyUpdate(other, Y.encodeStateAsUpdate(c.replicas.log.doc));
      other.getArray(ROOTS.log).push([encodeLogEntry(validEntry('inconnue du serveur'))]);
      Y.applyUpdate(c.replicas.log.doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(c.replicas.log.doc)));
      return sendUpdate(c, c.names.log, edit(c.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry('après l’inconnue'))])));
    },
  ],
  ['deleting items the server never saw', 'UPDATE_MISSING_DEPENDENCIES', (c) => sendUpdate(c, c.names.log, deleteOnlyUpdate(987_654, 0, 3))],
  // Routing
  [
    'an update to a document not joined',
    'NOT_JOINED',
    (c) => {
      const meta = new Y.Doc();
      meta.getMap(ROOTS.meta).set('title', 'Piraté');
      return sendUpdate(c, c.names.meta, Y.encodeStateAsUpdate(meta));
    },
  ],
  ['presence for a document not joined', 'NOT_JOINED', (c) => emitAck(c.raw, EVENTS.awareness, { doc: c.names.meta, update: new Uint8Array([0]) })],
  [
    'joining an incident that does not exist',
    'NOT_FOUND',
    async (c) => {
      const ghost = newId();
      const reply = await emitAck(c.raw, EVENTS.join, { doc: docName(ghost, 'log'), stateVector: new Uint8Array([0]) });
      expect(c.server.rooms.peek(docName(ghost, 'log'))).toBeUndefined();
      expect(await c.server.store.getIncident(ghost)).toBeNull();
      expect(await c.server.store.headSeq(docName(ghost, 'log'))).toBe(0);
      return reply;
    },
  ],
];

describe('bad socket messages are refused with their code and change nothing', () => {
  test.each(socketCases)('%s → %s', async (_label, code, send) => {
    const ctx = await setup();
    const before = await observe(ctx);
    const reply = await send(ctx);
    expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code, message: expect.any(String) }) });
    if (!reply.ok) expect(Object.keys(reply.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
    expect(JSON.stringify(reply)).not.toMatch(/\bat .+:\d+:\d+|stack/i);
    expect(await observe(ctx)).toEqual(before);
    expect(ctx.raw.connected).toBe(true);
    await expectServerStillServes(ctx, before);
  });

  test('fifty pseudo-random updates are all refused as undecodable or unanchored, and change nothing', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    const codes = new Map<string, number>();
    for (let seed = 1; seed <= 50; seed++) {
      const reply = await sendUpdate(ctx, ctx.names.log, pseudoRandomBytes(8 + ((seed * 37) % 300), seed * 2_654_435_761));
      expect(reply.ok).toBe(false);
      if (!reply.ok) codes.set(reply.error.code, (codes.get(reply.error.code) ?? 0) + 1);
    }
    expect([...codes.keys()].every((c) => ['UPDATE_MALFORMED', 'UPDATE_MISSING_DEPENDENCIES'].includes(c))).toBe(true);
    expect(await observe(ctx)).toEqual(before);
    await expectServerStillServes(ctx, before);
  });

  test('a refused message sent without an ack comes back as a doc:error event', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    const error = new Promise<unknown>((resolve) => ctx.raw.once(EVENTS.error, resolve));
    ctx.raw.emit(EVENTS.update, { doc: ctx.names.log, update: 'not bytes' });
    expect(await error).toMatchObject({ code: 'BAD_MESSAGE', message: expect.any(String) });
    expect(await observe(ctx)).toEqual(before);
    await expectServerStillServes(ctx, before);
  });

  test('client messages named after server-to-client events are refused like any unknown event, not left unanswered', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    const replies = await Promise.all(
      [EVENTS.error, EVENTS.sessionEnd, EVENTS.draining].map((event) =>
        emitAck(ctx.raw, event, { doc: ctx.names.log }, 2_000).then(
          (reply) => ({ event, reply }),
          (err: unknown) => ({ event, reply: String(err) }),
        ),
      ),
    );
    expect(replies).toEqual([
      { event: EVENTS.error, reply: { ok: false, error: expect.objectContaining({ code: 'BAD_MESSAGE' }) } },
      { event: EVENTS.sessionEnd, reply: { ok: false, error: expect.objectContaining({ code: 'BAD_MESSAGE' }) } },
      { event: EVENTS.draining, reply: { ok: false, error: expect.objectContaining({ code: 'BAD_MESSAGE' }) } },
    ]);
    expect(await observe(ctx)).toEqual(before);
  });

  test('a frame over maxFrameBytes drops that connection only; the server and other clients carry on', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    const aliceDrops: string[] = [];
    ctx.aliceClient.socket.on('disconnect', (reason) => aliceDrops.push(reason));
    const big = await connectRaw(ctx.server.url, 'Gros', { reconnection: false });
    await joinRaw(big, ctx.names.log);
    const dropped = new Promise<string>((resolve) => big.once('disconnect', resolve));
    big.emit(EVENTS.update, { doc: ctx.names.log, update: new Uint8Array(LIMITS.maxFrameBytes + 1024) });
    expect(['transport close', 'transport error']).toContain(await dropped);
    expect(big.connected).toBe(false);
    expect(await observe(ctx)).toEqual(before);
    expect(ctx.raw.connected).toBe(true);
    await expectServerStillServes(ctx, before);
    expect(aliceDrops).toEqual([]);
    expect(ctx.aliceClient.status).toBe('live');
  });
});

/**
 * Yjs deletes the previous value of a map key when it integrates a new value for that key,
 * whether or not the update lists that delete. The guard only checks the deletes an update
 * lists, so leaving them out gets past it.
 */
describe('overwriting a map slot without declaring the delete is refused like the declared delete', () => {
  test('a task cannot be removed by overwriting its slot', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    const replica = ctx.replicas.tasks;
    replica.doc.getMap(ROOTS.tasks).set(ctx.taskId, new Y.Map());
    const reply = await sendUpdate(ctx, ctx.names.tasks, updateWithoutDeletes(replica.doc, replica.serverStateVector));
    expect(reply).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_DELETE' } });
    const after = await observe(ctx);
    expect(after.rest.tasks.map((t) => t.id)).toEqual([ctx.taskId]);
    expect(after).toEqual(before);
  });

  test('a decision history cannot be wiped by overwriting its slot', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    expect(before.rest.decisions[0]!.history.map((h) => h.status)).toEqual(['proposed', 'approved']);
    const replica = ctx.replicas.decisions;
    (replica.doc.getMap(ROOTS.decisions).get(ctx.decisionId) as Y.Map<unknown>).set(DECISION_HISTORY_KEY, new Y.Array());
    const reply = await sendUpdate(ctx, ctx.names.decisions, updateWithoutDeletes(replica.doc, replica.serverStateVector));
    expect(reply).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_DELETE' } });
    const after = await observe(ctx);
    expect(after.rest.decisions[0]!.history.map((h) => h.status)).toEqual(['proposed', 'approved']);
    expect(after).toEqual(before);
  });
});

/**
 * A Uint8Array is often a view on a larger buffer (subarray, Buffer pools, driver buffers). The
 * wire must carry the bytes of the view, not the whole buffer behind it.
 */
describe('binary payloads travel as exactly the bytes of the view', () => {
  function inLargerBuffer(bytes: Uint8Array): Uint8Array {
    const backing = new Uint8Array(bytes.length + 64).fill(0xee);
    backing.set(bytes, 32);
    return backing.subarray(32, 32 + bytes.length);
  }

  test('a valid update passed as a view of a larger buffer is accepted as that update', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    const entry = validEntry('envoyée comme vue');
    const update = edit(ctx.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(entry)]));
    const reply = await sendUpdate(ctx, ctx.names.log, inLargerBuffer(update));
    expect(reply).toEqual({ ok: true, seq: before.docs.log!.head + 1 });
    const after = await getIncidentState(ctx.server.url, ctx.id);
    expect(after.log).toEqual([...before.rest.log, entry]);
  });

  test('a truncated update passed as a view is refused as malformed, not completed from the bytes behind it', async () => {
    const ctx = await setup();
    const before = await observe(ctx);
    const update = edit(ctx.replicas.log, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(validEntry('tronquée'))]));
    const reply = await sendUpdate(ctx, ctx.names.log, update.subarray(0, update.length - 1));
    expect(reply).toMatchObject({ ok: false, error: { code: 'UPDATE_MALFORMED' } });
    expect(await observe(ctx)).toEqual(before);
  });
});
