import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS } from '../../shared/model/parts';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { encodeLogEntry } from '../../shared/model/log';
import { adminToken, api, createIncidentAsAdmin, setRole } from '../helpers/accounts';
import { emitAck, joinRaw } from '../helpers/rawSocket';
import { sessionChanges } from '../helpers/sessions';
import { waitFor } from '../helpers/testServer';
import { clientAs, documents, securitySetup, socketAs, transactionUpdate } from './securityHelpers';

describe('roles per incident, enforced on every socket event and REST call', () => {
  test("an observer reads, but its raw Yjs update is refused and changes nothing; so is its REST post", async () => {
    const ctx = await securitySetup();
    const socket = await socketAs(ctx.url, ctx.olga);
    const replica = await joinRaw(socket, ctx.names.log);
    const before = await documents(ctx);
    const update = transactionUpdate(replica.doc, (d) => d.getArray(ROOTS.log).push([encodeLogEntry(buildLogEntry({ text: 'Observatrice' }, 'Olga', new Date()))]));
    expect(await emitAck(socket, EVENTS.update, { doc: ctx.names.log, update })).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    const meta = await joinRaw(socket, ctx.names.meta);
    const metaUpdate = transactionUpdate(meta.doc, (d) => d.getMap(ROOTS.meta).set('status', 'closed'));
    expect(await emitAck(socket, EVENTS.update, { doc: ctx.names.meta, update: metaUpdate })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const rest = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}/log`, { token: ctx.olga.token, body: { text: 'par REST' } });
    expect([rest.status, rest.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await documents(ctx)).toEqual(before);
    // Reading is allowed.
    expect((await api(ctx.url, `/api/incidents/${ctx.id}`, { token: ctx.olga.token })).status).toBe(200);
    // Through the SDK too: the edit is rejected for good, never acknowledged as durable.
    const session = await clientAs(ctx.url, ctx.olga).openIncident(ctx.id);
    await session.whenSynced();
    const rejected = new Promise((resolve) => session.onRejected(resolve));
    session.appendLog({ text: 'via le SDK' });
    expect(await rejected).toMatchObject({ code: 'FORBIDDEN' });
    expect(await documents(ctx)).toEqual(before);
  });

  test('a user who is not a member cannot join, read or list the incident, nor receive its updates', async () => {
    const ctx = await securitySetup();
    const socket = await socketAs(ctx.url, ctx.nina);
    const received: string[] = [];
    socket.onAny((event: string) => received.push(event));
    const before = await documents(ctx);
    for (const doc of Object.values(ctx.names)) {
      expect(await emitAck(socket, EVENTS.join, { doc, stateVector: new Uint8Array([0]) })).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
    }
    expect(await emitAck(socket, EVENTS.update, { doc: ctx.names.log, update: new Uint8Array([0, 0]) })).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    const get = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}`, { token: ctx.nina.token });
    expect([get.status, get.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api<{ incidents: unknown[] }>(ctx.url, '/api/incidents', { token: ctx.nina.token })).body.incidents).toEqual([]);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/members`, { token: ctx.nina.token })).status).toBe(403);
    // Alice writes; Nina's socket gets nothing of it.
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    alice.appendLog({ text: 'Confidentiel' });
    await alice.whenAcknowledged();
    await emitAck(socket, EVENTS.leave, { doc: ctx.names.log });
    expect(received).toEqual([]);
    const after = await documents(ctx);
    expect(after.meta).toEqual(before.meta);
    expect(after.log!.head).toBe(before.log!.head + 1);
  });

  test('only directors manage members; an incident keeps a director; the creator is its director', async () => {
    const ctx = await securitySetup();
    const admin = await adminToken(ctx.url);
    const byAlice = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}/members/${ctx.nina.id}`, { method: 'PUT', token: ctx.alice.token, body: { role: 'director' } });
    expect([byAlice.status, byAlice.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const members = await api<{ members: Array<{ displayName: string; role: string }> }>(ctx.url, `/api/incidents/${ctx.id}/members`, { token: ctx.alice.token });
    expect(members.body.members.map((m) => [m.displayName, m.role])).toEqual([
      ['Administrator', 'director'],
      ['Alice', 'member'],
      ['Bob', 'member'],
      ['Olga', 'observer'],
    ]);
    const adminId = (await api<{ user: { id: string } }>(ctx.url, '/api/auth/me', { token: admin })).body.user.id;
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/members/${adminId}`, { method: 'DELETE', token: admin })).status).toBe(409);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/members/${ctx.alice.id}`, { method: 'PUT', token: admin, body: { role: 'director' } })).status).toBe(200);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/members/${ctx.nina.id}`, { method: 'PUT', token: ctx.alice.token, body: { role: 'observer' } })).status).toBe(200);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/members/${ctx.nina.id}`, { method: 'PUT', token: ctx.alice.token, body: { role: 'owner' } })).status).toBe(400);
    // Whoever creates an incident directs it.
    const created = await api<{ id: string }>(ctx.url, '/api/incidents', { token: ctx.bob.token, body: { title: 'Panne électrique' } });
    expect(created.status).toBe(201);
    const own = await api<{ members: Array<{ userId: string; role: string }> }>(ctx.url, `/api/incidents/${created.body.id}/members`, { token: ctx.bob.token });
    expect(own.body.members).toEqual([expect.objectContaining({ userId: ctx.bob.id, role: 'director' })]);
    // Directors (and only they) read the incident's audit trail.
    const audit = await api<{ events: Array<{ action: string; detail: Record<string, unknown> | null }> }>(ctx.url, `/api/incidents/${ctx.id}/audit`, { token: ctx.alice.token });
    expect(audit.status).toBe(200);
    expect(audit.body.events.filter((e) => e.action === 'member.set').map((e) => e.detail?.role)).toEqual(['director', 'member', 'member', 'observer', 'director', 'observer']);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/audit`, { token: ctx.bob.token })).status).toBe(403);
  });

  test("a removed member is told why at once and leaves the incident's documents; its connection keeps serving its other incidents", async () => {
    const ctx = await securitySetup();
    const otherId = await createIncidentAsAdmin(ctx.url, 'Autre incident');
    expect((await setRole(ctx.url, otherId, ctx.bob.id, 'member')).status).toBe(200);
    const client = clientAs(ctx.url, ctx.bob);
    const bob = await client.openIncident(ctx.id);
    const bobElsewhere = await client.openIncident(otherId);
    await Promise.all([bob.whenSynced(), bobElsewhere.whenSynced()]);
    const ends: Array<{ code: string; incidentId?: string }> = [];
    const told = new Promise<void>((resolve) =>
      client.onEnd((e) => {
        ends.push(e);
        resolve();
      }),
    );
    const before = await documents(ctx);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/members/${ctx.bob.id}`, { method: 'DELETE', token: await adminToken(ctx.url) })).status).toBe(204);
    await told;
    expect(ends).toEqual([expect.objectContaining({ code: 'REMOVED_FROM_INCIDENT', incidentId: ctx.id })]);
    expect(client.incidentEnd(ctx.id)).toMatchObject({ code: 'REMOVED_FROM_INCIDENT' });
    // The connection stays, and serves the other incident.
    expect(client.status).toBe('live');
    expect(client.socket.connected).toBe(true);
    bobElsewhere.appendLog({ text: 'Toujours là' });
    await bobElsewhere.whenAcknowledged();
    // The removed incident's documents were left: a raw join on the same connection is refused.
    expect(await emitAck(client.socket, EVENTS.join, { doc: ctx.names.log, stateVector: new Uint8Array([0]) })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await documents(ctx)).toEqual(before);
    // The audit trail shows the removal and the access ended.
    const audit = await api<{ events: Array<{ action: string }> }>(ctx.url, `/api/incidents/${ctx.id}/audit`, { token: await adminToken(ctx.url) });
    expect(audit.body.events.map((e) => e.action)).toEqual(expect.arrayContaining(['member.remove', 'socket.closed', 'join.refused']));
  });

  test('a member demoted to observer has its next update refused without reconnecting', async () => {
    const ctx = await securitySetup();
    const bob = await clientAs(ctx.url, ctx.bob).openIncident(ctx.id);
    await bob.whenSynced();
    bob.appendLog({ text: 'Avant' });
    await bob.whenAcknowledged();
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/members/${ctx.bob.id}`, { method: 'PUT', token: await adminToken(ctx.url), body: { role: 'observer' } })).status).toBe(200);
    const before = await documents(ctx);
    const rejected = new Promise((resolve) => bob.onRejected(resolve));
    bob.appendLog({ text: 'Après' });
    expect(await rejected).toMatchObject({ code: 'FORBIDDEN' });
    expect(await documents(ctx)).toEqual(before);
    await waitFor(() => bob.pendingCount === 0, sessionChanges(bob), 'refused edit no longer pending');
  });
});
