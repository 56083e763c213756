import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { io as ioClient } from 'socket.io-client';
import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS, docName } from '../../shared/model/parts';
import type { DocName } from '../../shared/model/parts';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { encodeLogEntry } from '../../shared/model/log';
import type { Config } from '../../server/config';
import { adminToken, api } from '../helpers/accounts';
import { AnyReply, emitAck, joinRaw } from '../helpers/rawSocket';
import { getIncidentState } from '../helpers/sessions';
import { onTeardown } from '../helpers/testServer';
import { poll } from '../helpers/poll';
import { SecurityCtx, clientAs, securitySetup, socketAs, transactionUpdate } from './securityHelpers';
import { evidenceSnapshot } from './evidenceSnapshot';

/** Issue 13, item 5: budgets per member and per incident; refusals QUOTA_EXCEEDED change nothing. */

async function appendAs(raw: Socket, doc: DocName, author: string, text: string, count = 1): Promise<AnyReply> {
  const replica = (await joinRaw(raw, doc)).doc;
  const lines = Array.from({ length: count }, (_, i) => encodeLogEntry(buildLogEntry({ text: `${text} ${i}` }, author, new Date())));
  return emitAck(raw, EVENTS.update, { doc, update: transactionUpdate(replica, (d) => d.getArray(ROOTS.log).push(lines)) });
}

async function setup(config: Partial<Config>): Promise<SecurityCtx & { bobRaw: Socket }> {
  const ctx = await securitySetup(config);
  return { ...ctx, bobRaw: await socketAs(ctx.url, ctx.bob) };
}

const quota = { ok: false, error: expect.objectContaining({ code: 'QUOTA_EXCEEDED' }) };

describe('budgets (issue 13, item 5)', () => {
  test("a member's bytes per minute on a part: past the budget, valid updates are refused and nothing changes; colleagues carry on", async () => {
    const ctx = await setup({ budgetMemberBytesPerMinute: 40_000 });
    const big = 'x'.repeat(9_000);
    const replies: AnyReply[] = [];
    for (let i = 0; i < 5; i++) replies.push(await appendAs(ctx.bobRaw, ctx.names.log, 'Bob', big));
    expect(replies.slice(0, 4).every((r) => r.ok)).toBe(true);
    expect(replies[4]).toMatchObject(quota);
    const before = await evidenceSnapshot(ctx);
    expect(await appendAs(ctx.bobRaw, ctx.names.log, 'Bob', big)).toMatchObject(quota);
    expect(await evidenceSnapshot(ctx)).toEqual(before);
    // Alice has her own budget.
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    const e = alice.appendLog({ text: 'Alice continue' });
    await alice.whenAcknowledged();
    expect((await getIncidentState(ctx.url, ctx.id)).log.map((x) => x.id)).toContain(e.id);
    alice.close();
  });

  test('records per minute per member and per incident, and the size of one record', async () => {
    const ctx = await setup({ budgetMemberRecordsPerMinute: 3, budgetIncidentRecordsPerMinute: 5, budgetRecordBytes: 4_096 });
    expect(await appendAs(ctx.bobRaw, ctx.names.log, 'Bob', 'un', 3)).toMatchObject({ ok: true });
    let before = await evidenceSnapshot(ctx);
    expect(await appendAs(ctx.bobRaw, ctx.names.log, 'Bob', 'quatrième')).toMatchObject(quota);
    expect(await evidenceSnapshot(ctx)).toEqual(before);
    // The incident's budget: Alice may write 2 more, then the incident is full for the minute.
    const aliceRaw = await socketAs(ctx.url, ctx.alice);
    expect(await appendAs(aliceRaw, ctx.names.log, 'Alice', 'Alice', 2)).toMatchObject({ ok: true });
    before = await evidenceSnapshot(ctx);
    expect(await appendAs(aliceRaw, ctx.names.log, 'Alice', 'de trop')).toMatchObject(quota);
    // One record bigger than its cap is refused whatever the budget left (on another part).
    const tasks = (await joinRaw(aliceRaw, ctx.names.tasks)).doc;
    const huge = transactionUpdate(tasks, (d) => {
      // A whole task (the shared reader would refuse a partial one first), over the cap by its description.
      const t = new Y.Map<unknown>();
      d.getMap(ROOTS.tasks).set('alicetask000001', t);
      const task = { id: 'alicetask000001', title: 'Grosse tâche', description: 'y'.repeat(9_000), status: 'todo', assignee: null, dueAt: null, priority: 'normal', order: 1, logLinks: [], decisionLinks: [], createdBy: 'Alice', createdAt: new Date().toISOString() };
      for (const [k, v] of Object.entries(task)) t.set(k, v);
    });
    expect(await emitAck(aliceRaw, EVENTS.update, { doc: ctx.names.tasks, update: huge })).toMatchObject(quota);
    expect(await evidenceSnapshot(ctx)).toEqual(before);
  });

  test('one record over its size cap is refused even beside small records that bring the average under it', async () => {
    const ctx = await setup({ budgetRecordBytes: 4_096 });
    const replica = (await joinRaw(ctx.bobRaw, ctx.names.log)).doc;
    const now = new Date();
    const lines = [encodeLogEntry(buildLogEntry({ text: 'x'.repeat(9_000) }, 'Bob', now)), ...['a', 'b', 'c', 'd'].map((t) => encodeLogEntry(buildLogEntry({ text: t }, 'Bob', now)))];
    const before = await evidenceSnapshot(ctx);
    const reply = await emitAck(ctx.bobRaw, EVENTS.update, { doc: ctx.names.log, update: transactionUpdate(replica, (d) => d.getArray(ROOTS.log).push(lines)) });
    expect(reply).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED', message: expect.stringContaining('a record may take at most 4096 bytes') } });
    expect(await evidenceSnapshot(ctx)).toEqual(before);
  });

  test('incidents created per user per day', async () => {
    const ctx = await securitySetup({ budgetIncidentsPerDay: 2 });
    for (const title of ['un', 'deux']) expect((await api(ctx.url, '/api/incidents', { token: ctx.nina.token, body: { title } })).status).toBe(201);
    const list = await api(ctx.url, '/api/incidents', { token: await adminToken(ctx.url) });
    const refused = await api<{ error: { code: string } }>(ctx.url, '/api/incidents', { token: ctx.nina.token, body: { title: 'trois' } });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('QUOTA_EXCEEDED');
    expect((await api(ctx.url, '/api/incidents', { token: await adminToken(ctx.url) })).body).toEqual(list.body);
  });

  test('documents joined per socket', async () => {
    const ctx = await setup({ budgetDocsPerSocket: 4 });
    const before = await evidenceSnapshot(ctx);
    const parts = Object.values(ctx.names);
    for (const doc of parts.slice(0, 4)) await joinRaw(ctx.bobRaw, doc);
    const fifth = await emitAck(ctx.bobRaw, EVENTS.join, { doc: parts[4], stateVector: Y.encodeStateVector(new Y.Doc()) });
    expect(fifth).toMatchObject(quota);
    // Joining one it holds again is fine; leaving one makes room.
    await joinRaw(ctx.bobRaw, parts[0]!);
    expect(await emitAck(ctx.bobRaw, EVENTS.leave, { doc: parts[0] })).toMatchObject({ ok: true });
    await joinRaw(ctx.bobRaw, parts[4]!);
    expect(await evidenceSnapshot(ctx)).toEqual(before);
  });

  test('refused joins and failed handshakes are aggregated per source and window in the audit trail', async () => {
    const ctx = await securitySetup({ auditAggregateSeconds: 2 });
    const token = await adminToken(ctx.url);
    const auditOf = async (action: string) =>
      (await api<{ events: Array<{ action: string; actor: string | null; detail: { count?: number } | null }> }>(ctx.url, '/api/audit?limit=1000', { token })).body.events.filter((e) => e.action === action);
    const baseline = (await auditOf('socket.refused')).length;
    // Nina has no role in the incident: 200 refused joins.
    const nina = await socketAs(ctx.url, ctx.nina);
    for (let i = 0; i < 200; i++) {
      const r = await emitAck(nina, EVENTS.join, { doc: docName(ctx.id, 'log'), stateVector: Y.encodeStateVector(new Y.Doc()) });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // 40 handshakes with a wrong token from one address.
    for (let i = 0; i < 40; i++) {
      const s = ioClient(ctx.url, { transports: ['websocket'], auth: { token: 'nope', protocol: 1 }, reconnection: false, forceNew: true });
      onTeardown(() => void s.close());
      await new Promise<void>((resolve) => s.once('connect_error', () => resolve()));
      s.close();
    }
    const sum = (rows: Array<{ detail: { count?: number } | null }>) => rows.reduce((n, e) => n + (e.detail?.count ?? 1), 0);
    // Refusals are counted per window and written in batches: poll the trail.
    const { joins, handshakes } = await poll(
      async () => ({ joins: await auditOf('join.refused'), handshakes: await auditOf('socket.refused') }),
      (a) => sum(a.joins) >= 200 && sum(a.handshakes) >= 40,
      { label: 'the refused joins and handshakes in the audit trail', timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(sum(joins)).toBe(200);
    expect(sum(handshakes)).toBe(40 + baseline);
    // A handful of rows, not one per attempt (at most two per source per window).
    expect(joins.length).toBeLessThan(50);
    expect(handshakes.length - baseline).toBeLessThan(20);
  });
});
