import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { Socket } from 'socket.io-client';
import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS } from '../../shared/model/parts';
import type { DocName } from '../../shared/model/parts';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { DECISION_HISTORY_KEY, DECISION_STATEMENT_KEY } from '../../shared/docs/decisionsDoc';
import { DECISION_STATEMENT_MAX } from '../../shared/model/decisions';
import { encodeLogEntry } from '../../shared/model/log';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { Config } from '../../server/config';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import { AnyReply, emitAck, joinRaw } from '../helpers/rawSocket';
import { getIncidentState, sessionChanges } from '../helpers/sessions';
import { waitFor } from '../helpers/testServer';
import { SecurityCtx, clientAs, documents, securitySetup, socketAs, transactionUpdate } from './securityHelpers';

interface Ctx extends SecurityCtx {
  alice: SecurityCtx['alice'];
  aliceSession: IncidentSession;
  /** Bob's bare socket, joined to every part. */
  bob: SecurityCtx['bob'];
  raw: Socket;
}

async function setup(config: Partial<Config> = {}): Promise<Ctx> {
  const ctx = await securitySetup(config);
  const aliceSession = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
  await aliceSession.whenSynced();
  aliceSession.appendLog({ text: 'Alice: messagerie coupée' });
  await aliceSession.whenAcknowledged();
  const raw = await socketAs(ctx.url, ctx.bob);
  for (const doc of Object.values(ctx.names)) await joinRaw(raw, doc);
  return { ...ctx, aliceSession, raw };
}

/** A replica of the server's document as it is now, whose next items will carry `clientId`. */
async function replicaAs(ctx: Ctx, doc: DocName, clientId?: number): Promise<Y.Doc> {
  const joined = await joinRaw(ctx.raw, doc);
  if (clientId !== undefined) joined.doc.clientID = clientId;
  return joined.doc;
}

function send(ctx: Ctx, doc: DocName, update: Uint8Array): Promise<AnyReply> {
  return emitAck(ctx.raw, EVENTS.update, { doc, update });
}

function entry(text: string, author = 'Bob'): string {
  return encodeLogEntry(buildLogEntry({ text }, author, new Date()));
}

/** The next edit of a real user still lands and is seen by everyone. */
async function aliceStillWrites(ctx: Ctx): Promise<void> {
  const e = ctx.aliceSession.appendLog({ text: 'Alice continue' });
  await ctx.aliceSession.whenAcknowledged();
  const state = await getIncidentState(ctx.url, ctx.id);
  expect(state.log.map((x) => x.id)).toContain(e.id);
  expect(state.log.find((x) => x.id === e.id)?.author).toBe('Alice');
}

describe('authorship cannot be forged', () => {
  test("an update carrying items under another user's client id is refused, and changes nothing", async () => {
    const ctx = await setup();
    const aliceId = ctx.aliceSession.syncs.log.doc.clientID;
    const before = await documents(ctx);
    const forged = transactionUpdate(await replicaAs(ctx, ctx.names.log, aliceId), (d) => d.getArray(ROOTS.log).push([entry('Bob se fait passer pour Alice')]));
    expect(await send(ctx, ctx.names.log, forged)).toEqual({ ok: false, error: expect.objectContaining({ code: 'UPDATE_FORBIDDEN_CLIENT' }) });
    // Nor under the server's own client id (items it wrote on someone's behalf: here a REST post).
    const rest = await (await import('../helpers/accounts')).api(ctx.url, `/api/incidents/${ctx.id}/log`, { token: ctx.alice.token, body: { text: 'par REST' } });
    expect(rest.status).toBe(201);
    const afterRest = await documents(ctx);
    expect(afterRest.meta).toEqual(before.meta);
    const logReplica = await joinRaw(ctx.raw, ctx.names.log);
    const restClient = [...logReplica.doc.store.clients.keys()].find((c) => c !== aliceId)!;
    logReplica.doc.clientID = restClient;
    const underServer = transactionUpdate(logReplica.doc, (d) => d.getArray(ROOTS.log).push([entry('sous l’identité du serveur')]));
    expect(await send(ctx, ctx.names.log, underServer)).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_CLIENT' } });
    expect(await documents(ctx)).toEqual(afterRest);
    expect(afterRest.log!.head).toBe(before.log!.head + 1);
    await aliceStillWrites(ctx);
  });

  test('a record whose author field names someone else is refused, and provenance fields never change', async () => {
    const ctx = await setup();
    const before = await documents(ctx);
    const log = await replicaAs(ctx, ctx.names.log);
    expect(await send(ctx, ctx.names.log, transactionUpdate(log, (d) => d.getArray(ROOTS.log).push([entry('signé Alice', 'Alice')])))).toMatchObject({
      ok: false,
      error: { code: 'UPDATE_FORBIDDEN_AUTHOR' },
    });
    const task = ctx.aliceSession.createTask({ title: 'Isoler le réseau' });
    await ctx.aliceSession.whenAcknowledged();
    const afterTask = await documents(ctx);
    for (const [field, value] of [['createdBy', 'Bob'], ['createdAt', new Date(0).toISOString()], ['id', 'abcdefgh12345678']] as const) {
      const tasks = await replicaAs(ctx, ctx.names.tasks);
      const map = tasks.getMap(ROOTS.tasks).get(task.id) as Y.Map<unknown>;
      expect(await send(ctx, ctx.names.tasks, transactionUpdate(tasks, () => map.set(field, value)))).toMatchObject({ ok: false, error: { code: 'UPDATE_SEALED' } });
    }
    expect(await documents(ctx)).toEqual(afterTask);
    // Editing an ordinary field of Alice's task is fine for a member.
    const fresh = await replicaAs(ctx, ctx.names.tasks);
    expect(await send(ctx, ctx.names.tasks, transactionUpdate(fresh, (d) => (d.getMap(ROOTS.tasks).get(task.id) as Y.Map<unknown>).set('status', 'in_progress')))).toMatchObject({ ok: true });
    const after = await documents(ctx);
    expect(after.log).toEqual(afterTask.log);
    expect(afterTask.log).toEqual({ ...before.log });
    // The journal names the user who sent each accepted update.
    const records = await ctx.server.store.readJournal(ctx.names.tasks, 0);
    expect(records.map((r) => r.author)).toEqual([ctx.alice.id, ctx.bob.id]);
  });

  test('a field set and removed in one transaction cannot clear it: the record would vanish and its provenance be written anew', async () => {
    const ctx = await setup();
    const task = ctx.aliceSession.createTask({ title: 'Isoler le PACS' });
    await ctx.aliceSession.whenAcknowledged();
    const before = await documents(ctx);
    // Yjs encodes "set then delete" as a new, already deleted item at the key (or, crafted, as a
    // value the same update deletes): both would leave the key without a value.
    for (const field of ['createdBy', 'title', 'status']) {
      const tasks = await replicaAs(ctx, ctx.names.tasks);
      const map = tasks.getMap(ROOTS.tasks).get(task.id) as Y.Map<unknown>;
      const update = transactionUpdate(tasks, () => {
        map.set(field, 'x');
        map.delete(field);
      });
      expect(await send(ctx, ctx.names.tasks, update)).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_DELETE' } });
    }
    expect(await documents(ctx)).toEqual(before);
    expect((await getIncidentState(ctx.url, ctx.id)).tasks.map((t) => [t.id, t.createdBy])).toEqual([[task.id, 'Alice']]);
    // A field written twice in one transaction (what an offline client's resync looks like) still lands.
    const tasks = await replicaAs(ctx, ctx.names.tasks);
    const map = tasks.getMap(ROOTS.tasks).get(task.id) as Y.Map<unknown>;
    const twice = transactionUpdate(tasks, () => {
      map.set('status', 'in_progress');
      map.set('status', 'blocked');
    });
    const r = await send(ctx, ctx.names.tasks, twice);
    expect(r).toMatchObject({ ok: true });
    expect((await getIncidentState(ctx.url, ctx.id)).tasks.find((t) => t.id === task.id)?.status).toBe('blocked');
    await aliceStillWrites(ctx);
  });

  test('text drafted together is bounded: a decision statement cannot grow past its limit', async () => {
    const ctx = await setup();
    const decision = ctx.aliceSession.recordDecision({ title: 'Bascule en mode dégradé', statement: 'Début.' });
    await ctx.aliceSession.whenAcknowledged();
    const before = await documents(ctx);
    const decisions = await replicaAs(ctx, ctx.names.decisions);
    const statement = (decisions.getMap(ROOTS.decisions).get(decision.id) as Y.Map<unknown>).get(DECISION_STATEMENT_KEY) as Y.Text;
    const huge = transactionUpdate(decisions, () => statement.insert(statement.length, 'x'.repeat(DECISION_STATEMENT_MAX)));
    expect(await send(ctx, ctx.names.decisions, huge)).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
    expect(await documents(ctx)).toEqual(before);
    // Up to the limit is fine.
    const fresh = await replicaAs(ctx, ctx.names.decisions);
    const text = (fresh.getMap(ROOTS.decisions).get(decision.id) as Y.Map<unknown>).get(DECISION_STATEMENT_KEY) as Y.Text;
    expect(await send(ctx, ctx.names.decisions, transactionUpdate(fresh, () => text.insert(text.length, ' Suite.')))).toMatchObject({ ok: true });
  });

  test('presence may not speak for another user, nor under another name', async () => {
    const ctx = await setup();
    const aliceMetaId = ctx.aliceSession.syncs.meta.doc.clientID;
    ctx.aliceSession.setPresence({ name: 'Alice', view: 'log' });
    // Binding happens through documents; make Alice's meta client id known by a write of hers elsewhere is not needed:
    // her log client id is bound, so presence for it is refused to Bob.
    const aliceLogId = ctx.aliceSession.syncs.log.doc.clientID;
    const forged = (clientId: number, name: string) => {
      const doc = new Y.Doc();
      doc.clientID = clientId;
      const awareness = new Awareness(doc);
      awareness.setLocalState({ name, view: 'log' });
      const update = encodeAwarenessUpdate(awareness, [clientId]);
      awareness.destroy();
      return update;
    };
    expect(await emitAck(ctx.raw, EVENTS.awareness, { doc: ctx.names.log, update: forged(aliceLogId, 'Bob') })).toMatchObject({ ok: false, error: { code: 'AWARENESS_INVALID' } });
    expect(await emitAck(ctx.raw, EVENTS.awareness, { doc: ctx.names.meta, update: forged(123_456, 'Alice') })).toMatchObject({ ok: false, error: { code: 'AWARENESS_INVALID' } });
    expect(await emitAck(ctx.raw, EVENTS.awareness, { doc: ctx.names.meta, update: forged(123_456, 'Bob') })).toEqual({ ok: true });
    void aliceMetaId;
  });
});

describe('no forged history', () => {
  test("an update with an inflated clock is refused, and a real user's next edit still lands", async () => {
    const ctx = await setup();
    const before = await documents(ctx);
    const aliceId = ctx.aliceSession.syncs.log.doc.clientID;
    // Under Alice's id, skipping ahead: would make the server drop her next real items as already known.
    const ahead = await replicaAs(ctx, ctx.names.log, aliceId);
    transactionUpdate(ahead, (d) => d.getArray(ROOTS.log).push([entry('x'.repeat(500))]));
    const inflated = transactionUpdate(ahead, (d) => d.getArray(ROOTS.log).push([entry('après le saut')]));
    expect(await send(ctx, ctx.names.log, inflated)).toMatchObject({ ok: false, error: { code: 'UPDATE_MISSING_DEPENDENCIES' } });
    // Under Bob's own id, same trick.
    const own = await replicaAs(ctx, ctx.names.log);
    transactionUpdate(own, (d) => d.getArray(ROOTS.log).push([entry('jamais envoyée')]));
    expect(await send(ctx, ctx.names.log, transactionUpdate(own, (d) => d.getArray(ROOTS.log).push([entry('envoyée')])))).toMatchObject({ ok: false, error: { code: 'UPDATE_MISSING_DEPENDENCIES' } });
    // A tiny update claiming an absurd length (a deleted run of 2^30 items).
    expect(await send(ctx, ctx.names.log, deletedRunUpdate(777_777, 0, 2 ** 30))).toMatchObject({ ok: false, error: { code: 'UPDATE_MALFORMED' } });
    expect(await documents(ctx)).toEqual(before);
    await aliceStillWrites(ctx);
  });

  test('an update with missing dependencies is refused and never stored, not even as pending', async () => {
    const ctx = await setup();
    const before = await documents(ctx);
    const base = await replicaAs(ctx, ctx.names.log);
    // Carl's entry exists only on Bob's side; Bob's entry is placed after it.
    const carl = new Y.Doc();
    Y.applyUpdate(carl, Y.encodeStateAsUpdate(base));
    const carlUpdate = transactionUpdate(carl, (d) => d.getArray(ROOTS.log).push([entry('de Carl')]));
    Y.applyUpdate(base, carlUpdate);
    const dependent = transactionUpdate(base, (d) => d.getArray(ROOTS.log).push([entry('après Carl')]));
    expect(await send(ctx, ctx.names.log, dependent)).toMatchObject({ ok: false, error: { code: 'UPDATE_MISSING_DEPENDENCIES' } });
    const after = await documents(ctx);
    expect(after).toEqual(before);
    expect(after.log!.pendingStructs).toBe(false);
    // When the dependency arrives, only it is applied: the refused update was not kept aside.
    expect(await send(ctx, ctx.names.log, carlUpdate)).toMatchObject({ ok: true });
    const state = await getIncidentState(ctx.url, ctx.id);
    expect(state.log.map((e) => e.text)).toEqual(expect.arrayContaining(['de Carl']));
    expect(state.log.map((e) => e.text)).not.toContain('après Carl');
    expect((await documents(ctx)).log!.pendingStructs).toBe(false);
  });
});

describe('shapes that would make Yjs fail half-way are refused before anything is applied (found by the fuzz test)', () => {
  function struct(client: number, clock: number, write: (e: encoding.Encoder) => void): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
    write(e);
    encoding.writeVarUint(e, 0);
    return encoding.toUint8Array(e);
  }

  test('a zero-length struct, and a resent item whose neighbours are later items of its own client', async () => {
    const ctx = await setup();
    const alice = ctx.aliceSession.syncs.log.doc.clientID;
    // Enough of Alice's items that a 3-long struct at clock 0 is a pure resend (Yjs then skips it, after looking its neighbours up).
    for (let i = 0; i < 4; i++) ctx.aliceSession.appendLog({ text: `encore ${i}` });
    await ctx.aliceSession.whenAcknowledged();
    expect(Y.getState(ctx.aliceSession.syncs.log.doc.store, alice)).toBeGreaterThanOrEqual(3);
    const before = await documents(ctx);
    const emptyGc = struct(alice, 1, (e) => {
      encoding.writeUint8(e, 0); // GC
      encoding.writeVarUint(e, 0); // of length 0
    });
    const forwardRefs = struct(alice, 0, (e) => {
      encoding.writeUint8(e, 4 | 0x80 | 0x40); // ContentString, with origin and right origin
      encoding.writeVarUint(e, alice);
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, alice);
      encoding.writeVarUint(e, 1_000);
      encoding.writeVarString(e, 'xyz');
    });
    for (const update of [emptyGc, forwardRefs]) {
      expect(await send(ctx, ctx.names.log, update)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^UPDATE_(MALFORMED|MISSING_DEPENDENCIES)$/) } });
      expect(await send(ctx, ctx.names.decisions, update)).toMatchObject({ ok: false });
    }
    expect(await documents(ctx)).toEqual(before);
    await aliceStillWrites(ctx);
    const fresh = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await fresh.whenSynced();
    expect(fresh.log.length).toBe(ctx.aliceSession.log.length);
  });
});

describe('sealed records', () => {
  test('an approved decision cannot be changed or removed by any crafted update; only superseded/revoked moves, with history', async () => {
    const ctx = await setup();
    const decision = ctx.aliceSession.recordDecision({ title: 'Couper internet', statement: 'On coupe tout', rationale: 'Exfiltration' });
    ctx.aliceSession.setDecisionStatus(decision.id, 'approved');
    await ctx.aliceSession.whenAcknowledged();
    const before = await documents(ctx);
    const attempts: Array<[string, (map: Y.Map<unknown>, root: Y.Map<unknown>) => void]> = [
      ['rewrite the statement', (m) => (m.get(DECISION_STATEMENT_KEY) as Y.Text).insert(0, 'Ne pas ')],
      ['erase the statement', (m) => (m.get(DECISION_STATEMENT_KEY) as Y.Text).delete(0, 3)],
      ['change the rationale', (m) => m.set('rationale', 'Par précaution')],
      ['change the title', (m) => m.set('title', 'Garder internet')],
      ['move it back to proposed', (m) => m.set('status', 'proposed')],
      ['change who approved it', (m) => m.set('decidedBy', 'Bob')],
      ['revoke it without recording the move', (m) => m.set('status', 'revoked')],
      [
        'record a move its status does not show',
        (m) => (m.get(DECISION_HISTORY_KEY) as Y.Array<unknown>).push([{ status: 'revoked', at: new Date().toISOString(), by: 'Bob', note: null }]),
      ],
      ['remove the decision', (_m, root) => root.delete(decision.id)],
    ];
    for (const [label, change] of attempts) {
      const replica = await replicaAs(ctx, ctx.names.decisions);
      const root = replica.getMap<unknown>(ROOTS.decisions);
      const update = transactionUpdate(replica, () => change(root.get(decision.id) as Y.Map<unknown>, root));
      const reply = await send(ctx, ctx.names.decisions, update);
      expect({ label, reply }).toEqual({ label, reply: { ok: false, error: expect.objectContaining({ code: expect.stringMatching(/^UPDATE_(SEALED|FORBIDDEN_DELETE)$/) }) } });
      expect(await documents(ctx)).toEqual(before);
    }
    // The one move left: revoked, recorded in the history by whoever does it.
    const replica = await replicaAs(ctx, ctx.names.decisions);
    const map = replica.getMap<unknown>(ROOTS.decisions).get(decision.id) as Y.Map<unknown>;
    const revoke = transactionUpdate(replica, () => {
      map.set('status', 'revoked');
      (map.get(DECISION_HISTORY_KEY) as Y.Array<unknown>).push([{ status: 'revoked', at: new Date().toISOString(), by: 'Bob', note: 'levée du risque' }]);
    });
    expect(await send(ctx, ctx.names.decisions, revoke)).toMatchObject({ ok: true });
    const state = await getIncidentState(ctx.url, ctx.id);
    expect(state.decisions[0]).toMatchObject({ status: 'revoked', statement: 'On coupe tout', rationale: 'Exfiltration', decidedBy: 'Alice' });
    expect(state.decisions[0]!.history.map((h) => h.status)).toEqual(['proposed', 'approved', 'revoked']);
  });

  test('a log entry can be withdrawn by its author within the grace period, then it is sealed', async () => {
    const ctx = await setup({ logSealGraceSeconds: 120 });
    const aliceEntryItem = async () => (await replicaAs(ctx, ctx.names.log)).getArray(ROOTS.log);
    // Bob posts an entry with a typo, then withdraws it at once: allowed.
    const replica = await replicaAs(ctx, ctx.names.log);
    expect(await send(ctx, ctx.names.log, transactionUpdate(replica, (d) => d.getArray(ROOTS.log).push([entry('Standrad saturé')])))).toMatchObject({ ok: true });
    const withdraw = transactionUpdate(replica, (d) => d.getArray(ROOTS.log).delete(1, 1));
    expect(await send(ctx, ctx.names.log, withdraw)).toMatchObject({ ok: true });
    // Alice's entry is not Bob's to withdraw.
    const before = await documents(ctx);
    const other = await aliceEntryItem();
    expect(await send(ctx, ctx.names.log, transactionUpdate(other.doc!, () => other.delete(0, 1)))).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_DELETE' } });
    expect(await documents(ctx)).toEqual(before);
  });

  test('with no grace period a log entry is sealed as soon as it is posted, even for its author', async () => {
    const ctx = await setup({ logSealGraceSeconds: 0 });
    const replica = await replicaAs(ctx, ctx.names.log);
    expect(await send(ctx, ctx.names.log, transactionUpdate(replica, (d) => d.getArray(ROOTS.log).push([entry('définitif')])))).toMatchObject({ ok: true });
    const before = await documents(ctx);
    expect(await send(ctx, ctx.names.log, transactionUpdate(replica, (d) => d.getArray(ROOTS.log).delete(1, 1)))).toMatchObject({ ok: false, error: { code: 'UPDATE_SEALED' } });
    expect(await send(ctx, ctx.names.log, deleteOnly(replica.clientID, 0, 1))).toMatchObject({ ok: false, error: { code: 'UPDATE_SEALED' } });
    expect(await documents(ctx)).toEqual(before);
    await waitFor(() => ctx.aliceSession.log.length === 2, sessionChanges(ctx.aliceSession), 'alice sees both entries');
  });
});

/** A v1 update with one struct: a run of `len` deleted items of `client` from `clock` (ContentDeleted). */
function deletedRunUpdate(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client section
  encoding.writeVarUint(e, 1); // one struct
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 1); // info: ContentDeleted, no origins, so the parent follows
  encoding.writeVarUint(e, 1); // parent given as a root type name
  encoding.writeVarString(e, 'entries');
  encoding.writeVarUint(e, len);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

/** A v1 update with no structs and one delete range. */
function deleteOnly(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clock);
  encoding.writeVarUint(e, len);
  return encoding.toUint8Array(e);
}
