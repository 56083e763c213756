import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS, docName } from '../../shared/model/parts';
import type { DocName } from '../../shared/model/parts';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { encodeLogEntry, type LogEntry } from '../../shared/model/log';
import { api } from '../helpers/accounts';
import { AnyReply, emitAck, joinRaw } from '../helpers/rawSocket';
import { getIncidentState } from '../helpers/sessions';
import { SecurityCtx, clientAs, securitySetup, socketAs, transactionUpdate } from './securityHelpers';
import { evidenceSnapshot } from './evidenceSnapshot';

/** Issue 13, item 1: the fields that say where a record lives and when it was written are the server's. */

function send(raw: Socket, doc: DocName, update: Uint8Array): Promise<AnyReply> {
  return emitAck(raw, EVENTS.update, { doc, update });
}

async function forge(raw: Socket, doc: DocName, edit: (d: Y.Doc) => void): Promise<AnyReply> {
  const replica = (await joinRaw(raw, doc)).doc;
  return send(raw, doc, transactionUpdate(replica, edit));
}

function entryLine(fields: Partial<LogEntry>, author = 'Bob'): string {
  return encodeLogEntry({ ...buildLogEntry({ text: 'Bob écrit' }, author, new Date()), ...fields });
}

async function withAliceWriting(ctx: SecurityCtx) {
  const session = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
  await session.whenSynced();
  const entry = session.appendLog({ text: 'Alice: messagerie coupée' });
  const task = session.createTask({ title: 'Isoler le réseau' });
  await session.whenAcknowledged();
  return { session, entry, task };
}

describe('server-owned fields (issue 13, item 1)', () => {
  test("a director of one incident cannot make another incident's summary say anything (UPDATE_WRONG_PLACE)", async () => {
    const ctx = await securitySetup();
    // Nina is a member of nothing here; she creates her own incident, which she directs.
    const own = await api<{ id: string }>(ctx.url, '/api/incidents', { token: ctx.nina.token, body: { title: 'Incident de Nina' } });
    expect(own.status).toBe(201);
    const before = await evidenceSnapshot(ctx);
    const raw = await socketAs(ctx.url, ctx.nina);
    const reply = await forge(raw, docName(own.body.id, 'meta'), (d) => {
      const meta = d.getMap(ROOTS.meta);
      meta.set('id', ctx.id);
      meta.set('title', 'Fausse alerte, rien à signaler');
      meta.set('status', 'closed');
      meta.set('severity', 'low');
      meta.set('detectedAt', '2020-01-01T00:00:00.000Z');
      meta.set('nis2', false);
      meta.set('healthSector', false);
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'UPDATE_WRONG_PLACE' } });
    expect(await evidenceSnapshot(ctx)).toEqual(before);
    // Nina's own incident still reads as hers, under its own id.
    const mine = await getIncidentState(ctx.url, own.body.id).catch(() => null);
    if (mine) expect(mine.meta.id).toBe(own.body.id);
    const list = await api<{ incidents: Array<{ id: string; title: string }> }>(ctx.url, '/api/incidents', { token: ctx.nina.token });
    expect(list.body.incidents.find((m) => m.id === own.body.id)?.title).toBe('Incident de Nina');
    // Her ordinary edit of her own incident's title still lands.
    expect(await forge(raw, docName(own.body.id, 'meta'), (d) => d.getMap(ROOTS.meta).set('title', 'Incident de Nina (suite)'))).toMatchObject({ ok: true });
  });

  test("a new record reusing a colleague's id is refused (UPDATE_DUPLICATE_ID), and changes nothing", async () => {
    const ctx = await securitySetup();
    const { session, entry, task } = await withAliceWriting(ctx);
    const before = await evidenceSnapshot(ctx);
    const raw = await socketAs(ctx.url, ctx.bob);
    // A log entry under Alice's entry's id, and two entries sharing a fresh id in one update.
    expect(await forge(raw, ctx.names.log, (d) => d.getArray(ROOTS.log).push([entryLine({ id: entry.id, text: 'réécrit par Bob' })]))).toMatchObject({ ok: false, error: { code: 'UPDATE_DUPLICATE_ID' } });
    expect(await forge(raw, ctx.names.log, (d) => d.getArray(ROOTS.log).push([entryLine({ id: 'bobdouble000001' }), entryLine({ id: 'bobdouble000001', text: 'bis' })]))).toMatchObject({
      ok: false,
      error: { code: 'UPDATE_DUPLICATE_ID' },
    });
    // A task map put again at Alice's task's key would replace the task and its provenance: a removal, refused.
    expect(
      await forge(raw, ctx.names.tasks, (d) => {
        const replacement = new Y.Map<unknown>();
        d.getMap(ROOTS.tasks).set(task.id, replacement);
        for (const [k, v] of Object.entries({ ...task, title: 'Tâche de Bob', createdBy: 'Bob', createdAt: new Date().toISOString() })) replacement.set(k, v);
      }),
    ).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_DELETE' } });
    // Two new tasks under one id in one update (two replicas merged): one would silently hide the other.
    const twins = await Promise.all(
      ['Première', 'Seconde'].map(async (title) => {
        const replica = (await joinRaw(raw, ctx.names.tasks)).doc;
        return transactionUpdate(replica, (d) => {
          const t = new Y.Map<unknown>();
          d.getMap(ROOTS.tasks).set('bobtwins0000001', t);
          for (const [k, v] of Object.entries({ ...task, id: 'bobtwins0000001', title, createdBy: 'Bob', createdAt: new Date().toISOString() })) t.set(k, v);
        });
      }),
    );
    expect(await send(raw, ctx.names.tasks, Y.mergeUpdates(twins))).toMatchObject({ ok: false, error: { code: 'UPDATE_DUPLICATE_ID' } });
    expect(await evidenceSnapshot(ctx)).toEqual(before);
    // A fresh id is fine; so is a resend whose first items the server has (Yjs merges a client's
    // consecutive entries into one struct): only what is new is judged.
    const replica = (await joinRaw(raw, ctx.names.log)).doc;
    expect(await send(raw, ctx.names.log, transactionUpdate(replica, (d) => d.getArray(ROOTS.log).push([entryLine({ text: 'premier' })])))).toMatchObject({ ok: true });
    transactionUpdate(replica, (d) => d.getArray(ROOTS.log).push([entryLine({ text: 'second' })]));
    expect(await send(raw, ctx.names.log, Y.encodeStateAsUpdate(replica))).toMatchObject({ ok: true });
    expect((await getIncidentState(ctx.url, ctx.id)).log.filter((e) => e.author === 'Bob').map((e) => e.text)).toEqual(['premier', 'second']);
    session.close();
  });

  test('recorded times are the server\'s within a small window (UPDATE_BAD_TIME); event times stay the writer\'s', async () => {
    const ctx = await securitySetup();
    const { session } = await withAliceWriting(ctx);
    const before = await evidenceSnapshot(ctx);
    const raw = await socketAs(ctx.url, ctx.bob);
    for (const recordedAt of ['2099-01-01T00:00:00.000Z', '2026-01-15T08:00:00.000Z', new Date(Date.now() + 3_600_000).toISOString()]) {
      expect(await forge(raw, ctx.names.log, (d) => d.getArray(ROOTS.log).push([entryLine({ recordedAt })]))).toMatchObject({ ok: false, error: { code: 'UPDATE_BAD_TIME' } });
    }
    expect(
      await forge(raw, ctx.names.tasks, (d) => {
        const t = new Y.Map<unknown>();
        d.getMap(ROOTS.tasks).set('bobtask00000001', t);
        for (const [k, v] of Object.entries({ id: 'bobtask00000001', title: 'Antidatée', status: 'todo', assignee: null, dueAt: null, createdBy: 'Bob', createdAt: '2099-01-01T00:00:00.000Z' })) t.set(k, v);
      }),
    ).toMatchObject({ ok: false, error: { code: 'UPDATE_BAD_TIME' } });
    expect(await evidenceSnapshot(ctx)).toEqual(before);
    // When it happened stays the writer's: an event of last January, recorded now, is accepted.
    const late = entryLine({ eventAt: '2026-01-15T08:00:00.000Z', text: 'constaté en janvier' });
    expect(await forge(raw, ctx.names.log, (d) => d.getArray(ROOTS.log).push([late]))).toMatchObject({ ok: true });
    const state = await getIncidentState(ctx.url, ctx.id);
    expect(state.log.find((e) => e.text === 'constaté en janvier')?.eventAt).toBe('2026-01-15T08:00:00.000Z');
    session.close();
  });
});
