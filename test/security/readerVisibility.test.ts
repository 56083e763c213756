import * as Y from 'yjs';
import type { Socket } from 'socket.io-client';
import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { encodeLogEntry } from '../../shared/model/log';
import { VERIFICATIONS_ROOT } from '../../shared/model/verification';
import { DECISION_HISTORY_KEY } from '../../shared/docs/decisionsDoc';
import { TaskBoardDoc } from '../../shared/docs/taskBoardDoc';
import { AnyReply, emitAck, joinRaw } from '../helpers/rawSocket';
import { getIncidentState } from '../helpers/sessions';
import { SecurityCtx, clientAs, documents, securitySetup, socketAs, transactionUpdate } from './securityHelpers';

/**
 * One reader for everything (issue 13, item 2): an update that puts a record where the shared
 * reader does not look (a map key on the log's array, a nested position, the other root's
 * array) is refused with UPDATE_INVISIBLE, and nothing changes: documents, REST state,
 * `?at=`, handover, every export and the report draft stay as they were.
 */
jest.setTimeout(90_000);

interface Ctx extends SecurityCtx {
  raw: Socket;
}

async function setup(): Promise<Ctx> {
  const ctx = await securitySetup();
  const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
  await alice.whenSynced();
  alice.appendLog({ text: 'Alice: messagerie coupée' });
  alice.recordDecision({ title: 'Basculer en mode dégradé', statement: 'On bascule', status: 'proposed' });
  await alice.whenAcknowledged();
  const raw = await socketAs(ctx.url, ctx.bob);
  for (const doc of Object.values(ctx.names)) await joinRaw(raw, doc);
  return { ...ctx, raw };
}

function send(ctx: Ctx, doc: string, update: Uint8Array): Promise<AnyReply> {
  return emitAck(ctx.raw, EVENTS.update, { doc, update });
}

const SECRET = 'INVISIBLE-ENTRY-SECRET';

function forgedEntry(): string {
  return encodeLogEntry(buildLogEntry({ text: SECRET }, 'Bob', new Date()));
}

/** Everything a reader can get: REST state, `?at=` now, handover, every export format, the report draft. */
async function everything(ctx: Ctx): Promise<Record<string, string>> {
  const get = async (path: string) => {
    const res = await fetch(`${ctx.url}${path}`, { headers: { authorization: `Bearer ${ctx.alice.token}` } });
    expect({ path, status: res.status }).toEqual({ path, status: 200 });
    return res.text();
  };
  const out: Record<string, string> = {};
  out.state = JSON.stringify(await getIncidentState(ctx.url, ctx.id));
  out.at = await get(`/api/incidents/${ctx.id}?at=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`);
  out.handover = await get(`/api/incidents/${ctx.id}/handover?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
  for (const format of ['json', 'csv', 'md', 'html']) out[format] = await get(`/api/incidents/${ctx.id}/timeline?format=${format}`);
  out.draft = await get(`/api/incidents/${ctx.id}/reports/draft?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
  return out;
}

test('a log entry written where the reader does not look is refused with UPDATE_INVISIBLE, and no view, export or draft shows it', async () => {
  const ctx = await setup();
  const before = await documents(ctx);
  const seen = await everything(ctx);

  // A map key on the entries array: Yjs keeps it in the array's map part, which no array read sees.
  const asMapKey = transactionUpdate(new Y.Doc(), (d) => d.getMap(ROOTS.log).set('hidden', forgedEntry()));
  expect(await send(ctx, ctx.names.log, asMapKey)).toEqual({ ok: false, error: expect.objectContaining({ code: 'UPDATE_INVISIBLE' }) });

  // A map key on the verification records' array, holding an entry.
  const onVerifications = transactionUpdate(new Y.Doc(), (d) => d.getMap(VERIFICATIONS_ROOT).set('hidden', forgedEntry()));
  expect(await send(ctx, ctx.names.log, onVerifications)).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^UPDATE_(INVISIBLE|INVALID_CONTENT)$/) } });

  // A decision's history entry written under a key of the history list (nested position).
  const replica = (await joinRaw(ctx.raw, ctx.names.decisions)).doc;
  const decisionId = [...replica.getMap(ROOTS.decisions).keys()][0]!;
  const nested = transactionUpdate(replica, (d) => {
    const history = (d.getMap(ROOTS.decisions).get(decisionId) as Y.Map<unknown>).get(DECISION_HISTORY_KEY) as Y.Array<unknown>;
    Y.Map.prototype.set.call(history as unknown as Y.Map<unknown>, 'hidden', { status: 'approved', at: new Date().toISOString(), by: 'Bob', note: SECRET });
  });
  expect(await send(ctx, ctx.names.decisions, nested)).toEqual({ ok: false, error: expect.objectContaining({ code: 'UPDATE_INVISIBLE' }) });

  // A task with a title only: every field is valid alone, the record is not one the board reads.
  const halfTask = transactionUpdate((await joinRaw(ctx.raw, ctx.names.tasks)).doc, (d) => {
    const task = new Y.Map<unknown>();
    d.getMap(ROOTS.tasks).set(newId(), task);
    task.set('title', SECRET);
  });
  expect(await send(ctx, ctx.names.tasks, halfTask)).toEqual({ ok: false, error: expect.objectContaining({ code: 'UPDATE_INVISIBLE' }) });

  expect(await documents(ctx)).toEqual(before);
  const after = await everything(ctx);
  for (const [what, text] of Object.entries(after)) expect({ what, secret: text.includes(SECRET) }).toEqual({ what, secret: false });
  expect(after.state).toEqual(seen.state);
  expect(after.at).toEqual(seen.at);
  // The chronology itself is the same, event for event (the production time aside).
  const events = (json: string) => (JSON.parse(json) as { events: unknown[] }).events;
  expect(events(after.json!)).toEqual(events(seen.json!));
});

test('a writer with earlier items is judged the same: its complete records pass, a half record is refused and changes nothing', async () => {
  const ctx = await setup();
  // Yjs integrates a writer's items in clock order only: from its second update on, the record
  // check must not depend on having the writer's earlier items at hand.
  const replica = (await joinRaw(ctx.raw, ctx.names.tasks)).doc;
  const task = (title: string) => transactionUpdate(replica, (d) => void new TaskBoardDoc(d).create({ title }, 'Bob', new Date()));
  expect(await send(ctx, ctx.names.tasks, task('Rappeler les patients du jour'))).toMatchObject({ ok: true });
  expect(await send(ctx, ctx.names.tasks, task('Imprimer les plannings papier'))).toMatchObject({ ok: true });
  expect(replica.getMap(ROOTS.tasks).size).toBe(2);
  const before = await documents(ctx);

  const halfTask = transactionUpdate(replica, (d) => {
    const half = new Y.Map<unknown>();
    d.getMap(ROOTS.tasks).set(newId(), half);
    half.set('title', SECRET);
  });
  expect(await send(ctx, ctx.names.tasks, halfTask)).toEqual({ ok: false, error: expect.objectContaining({ code: 'UPDATE_INVISIBLE' }) });
  expect(await documents(ctx)).toEqual(before);
});
