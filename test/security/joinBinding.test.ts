import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { EVENTS } from '../../shared/protocol/messages';
import { DOC_PARTS, ROOTS, type DocName } from '../../shared/model/parts';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { encodeLogEntry } from '../../shared/model/log';
import { api } from '../helpers/accounts';
import { until } from '../helpers/poll';
import { MAX_JOIN_BINDINGS } from '../../server/session/connectionSession';
import { AnyReply, emitAck, toBytes } from '../helpers/rawSocket';
import { clientAs, documents, securitySetup, socketAs, transactionUpdate, type SecurityCtx, type SessionUser } from './securityHelpers';

/**
 * A writer names its Yjs client id at join (`clientId`), and the server binds it to them then
 * (in the background: the answer does not wait), so their first edit does not wait for the
 * database. The binding follows the rule of a first edit's: only a writing member's, only an id
 * nobody holds and that has no items yet.
 */

/** Waits until the database holds `client` of `doc` as `user`'s. */
async function boundTo(ctx: SecurityCtx, doc: DocName, client: number, user: SessionUser): Promise<void> {
  await until(async () => (await ctx.server.security.accounts.clientOwners(doc, [client])).get(client) === user.id, `client id ${client} bound to ${user.name}`);
}

/** Joins `doc` on `socket` naming `clientId`; the replica built from the answer writes under that id. */
async function joinNaming(socket: Socket, doc: DocName, clientId: unknown): Promise<{ reply: AnyReply; replica: Y.Doc }> {
  const reply = await emitAck(socket, EVENTS.join, { doc, stateVector: Y.encodeStateVector(new Y.Doc()), clientId });
  const replica = new Y.Doc();
  if (reply.ok) for (const u of reply.updates as unknown[]) Y.applyUpdate(replica, toBytes(u));
  if (typeof clientId === 'number') replica.clientID = clientId;
  return { reply, replica };
}

/** Appends a log entry by `author` to `replica` and sends it; the server's answer. */
function appendAs(socket: Socket, doc: DocName, replica: Y.Doc, author: string, text: string): Promise<AnyReply> {
  const update = transactionUpdate(replica, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(buildLogEntry({ text }, author, new Date()))]));
  return emitAck(socket, EVENTS.update, { doc, update });
}

/** A client id no test has used. */
function freshId(): number {
  return Math.floor(Math.random() * 0xffff_fff0) + 1;
}

async function sockets(ctx: SecurityCtx, ...users: SessionUser[]): Promise<Socket[]> {
  return Promise.all(users.map((u) => socketAs(ctx.url, u)));
}

const FORBIDDEN_CLIENT = { ok: false, error: expect.objectContaining({ code: 'UPDATE_FORBIDDEN_CLIENT' }) };

describe('a client id named at join', () => {
  test("binds a member's SDK copy before its first edit: nobody else may write under it", async () => {
    const ctx = await securitySetup();
    const session = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await session.whenSynced();
    const aliceId = session.syncs.log.doc.clientID;
    await boundTo(ctx, ctx.names.log, aliceId, ctx.alice);
    const [bob] = await sockets(ctx, ctx.bob);
    const before = await documents(ctx);
    const { replica } = await joinNaming(bob!, ctx.names.log, undefined);
    replica.clientID = aliceId;
    expect(await appendAs(bob!, ctx.names.log, replica, 'Bob', 'sous l’identifiant d’Alice')).toEqual(FORBIDDEN_CLIENT);
    expect(await documents(ctx)).toEqual(before);
    // Alice's own first edit goes under it.
    const entry = session.appendLog({ text: 'Alice: premier point' });
    await session.whenAcknowledged();
    expect(session.log.entries().map((e) => e.id)).toContain(entry.id);
    expect([...session.syncs.log.doc.store.clients.keys()]).toEqual([aliceId]);
  });

  test("a member's wall screen (opened read-only) names no id: nothing is bound for it", async () => {
    const ctx = await securitySetup();
    // Alice's desk and her wall screen, on two connections: the desk's id is bound, the screen's never.
    const desk = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    // Connected first, as the web client's shared connection is: the copies join as they are made.
    const wallClient = clientAs(ctx.url, ctx.alice);
    if (!wallClient.socket.connected) await new Promise<void>((resolve) => wallClient.socket.once('connect', () => resolve()));
    const wall = await wallClient.openIncident(ctx.id, { readOnly: true });
    await Promise.all([desk.whenSynced(), wall.whenSynced()]);
    await boundTo(ctx, ctx.names.log, desk.syncs.log.doc.clientID, ctx.alice);
    for (const part of DOC_PARTS) expect(await ctx.server.security.accounts.clientOwners(ctx.names[part], [wall.syncs[part].doc.clientID])).toEqual(new Map());
    expect(wall.syncs.log.writable).toBe(false);
  });

  test('a raw join binds it too; the joiner then writes under it', async () => {
    const ctx = await securitySetup();
    const [alice, bob] = await sockets(ctx, ctx.alice, ctx.bob);
    const id = freshId();
    const joined = await joinNaming(alice!, ctx.names.log, id);
    expect(joined.reply.ok).toBe(true);
    await boundTo(ctx, ctx.names.log, id, ctx.alice);
    const bobs = await joinNaming(bob!, ctx.names.log, undefined);
    bobs.replica.clientID = id;
    expect(await appendAs(bob!, ctx.names.log, bobs.replica, 'Bob', 'usurpation')).toEqual(FORBIDDEN_CLIENT);
    expect(await appendAs(alice!, ctx.names.log, joined.replica, 'Alice', 'point 1')).toMatchObject({ ok: true });
  });

  test("an observer's join binds nothing: a member's first edit may still take the id", async () => {
    const ctx = await securitySetup();
    const [olga, bob] = await sockets(ctx, ctx.olga, ctx.bob);
    const id = freshId();
    expect((await joinNaming(olga!, ctx.names.log, id)).reply.ok).toBe(true);
    const bobs = await joinNaming(bob!, ctx.names.log, undefined);
    bobs.replica.clientID = id;
    expect(await appendAs(bob!, ctx.names.log, bobs.replica, 'Bob', 'point de Bob')).toMatchObject({ ok: true });
  });

  test("a join naming another user's id joins all the same, and the id stays theirs", async () => {
    const ctx = await securitySetup();
    const [alice, bob] = await sockets(ctx, ctx.alice, ctx.bob);
    const id = freshId();
    const alices = await joinNaming(alice!, ctx.names.log, id);
    await boundTo(ctx, ctx.names.log, id, ctx.alice);
    const bobs = await joinNaming(bob!, ctx.names.log, id);
    expect(bobs.reply.ok).toBe(true);
    expect(await appendAs(bob!, ctx.names.log, bobs.replica, 'Bob', 'usurpation')).toEqual(FORBIDDEN_CLIENT);
    expect(await appendAs(alice!, ctx.names.log, alices.replica, 'Alice', 'point 1')).toMatchObject({ ok: true });
  });

  test("a join naming an id that already has items nobody owns (the server's own writes) binds nothing", async () => {
    const ctx = await securitySetup();
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/log`, { token: ctx.alice.token, body: { text: 'par REST' } })).status).toBe(201);
    const [bob] = await sockets(ctx, ctx.bob);
    const probe = await joinNaming(bob!, ctx.names.log, undefined);
    const serverId = [...probe.replica.store.clients.keys()][0]!;
    const before = await documents(ctx);
    const bobs = await joinNaming(bob!, ctx.names.log, serverId);
    expect(bobs.reply.ok).toBe(true);
    expect(await appendAs(bob!, ctx.names.log, bobs.replica, 'Bob', 'sous l’identité du serveur')).toEqual(FORBIDDEN_CLIENT);
    expect(await documents(ctx)).toEqual(before);
  });

  test.each([[-1], [1.5], [2 ** 32], ['12'], [null]])('%j is refused with BAD_MESSAGE and joins nothing', async (clientId) => {
    const ctx = await securitySetup();
    const [bob] = await sockets(ctx, ctx.bob);
    const { reply } = await joinNaming(bob!, ctx.names.log, clientId);
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    const update = transactionUpdate(new Y.Doc(), (d) => d.getArray(ROOTS.log).push([encodeLogEntry(buildLogEntry({ text: 'x' }, 'Bob', new Date()))]));
    expect(await emitAck(bob!, EVENTS.update, { doc: ctx.names.log, update })).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
  });

  test(`one connection has at most ${MAX_JOIN_BINDINGS} ids bound at join; past that, a first edit binds as before`, async () => {
    const ctx = await securitySetup();
    const [bob, alice] = await sockets(ctx, ctx.bob, ctx.alice);
    const ids = Array.from({ length: MAX_JOIN_BINDINGS + 1 }, () => freshId());
    for (const id of ids) expect((await joinNaming(bob!, ctx.names.log, id)).reply.ok).toBe(true);
    // The last within the limit was bound to Bob; the one past it was not, so Alice's first edit takes it.
    const last = ids[MAX_JOIN_BINDINGS - 1]!;
    await boundTo(ctx, ctx.names.log, last, ctx.bob);
    const alices = await joinNaming(alice!, ctx.names.log, undefined);
    alices.replica.clientID = last;
    expect(await appendAs(alice!, ctx.names.log, alices.replica, 'Alice', 'sous un id de Bob')).toEqual(FORBIDDEN_CLIENT);
    // A copy without the refused entry.
    const again = await joinNaming(alice!, ctx.names.log, undefined);
    again.replica.clientID = ids[MAX_JOIN_BINDINGS]!;
    expect(await appendAs(alice!, ctx.names.log, again.replica, 'Alice', 'point 1')).toMatchObject({ ok: true });
  });
});
