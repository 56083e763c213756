import * as Y from 'yjs';
import { EVENTS } from '../../shared/protocol/messages';
import { ROOTS, docName } from '../../shared/model/parts';
import type { IncidentMeta, IncidentState } from '../../shared/model/incident';
import type { MissingField, RegulatoryDraft } from '../../shared/model/regulatory';
import type { Clock } from '../../shared/timeline/deadlines';
import { addOneMonth } from '../../shared/timeline/deadlines';
import type { TimelineExport } from '../../shared/timeline/exportDocument';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import { adminUser, api, createUser, setRole } from '../helpers/accounts';
import { emitAck, incidentSnapshot, joinRaw } from '../helpers/rawSocket';
import { createIncident, startTestServer, waitFor } from '../helpers/testServer';
import { sessionChanges } from '../helpers/sessions';
import { pdfText } from '../timeline/helpers/pdfText';
import { clientAs, socketAs, transactionUpdate } from '../security/securityHelpers';
import type { RunningServer } from '../../server/createServer';
import type { TestUser } from '../helpers/accounts';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

interface DraftView {
  draft: RegulatoryDraft;
  deadline: Clock | null;
  missing: MissingField[];
  complete: boolean;
}
interface Overview {
  meta: IncidentMeta;
  clocks: Clock[];
  drafts: DraftView[];
}

interface Ctx {
  server: RunningServer;
  url: string;
  id: string;
  director: TestUser;
  alice: TestUser;
}

/** A server, an incident directed by the administrator, and Alice, a member. */
async function setup(): Promise<Ctx> {
  const server = await startTestServer();
  const id = await createIncident(server.url, 'Rançongiciel — dossiers patients');
  const alice = await createUser(server.url, 'Alice Martin');
  expect((await setRole(server.url, id, alice.id, 'member')).status).toBe(200);
  return { server, url: server.url, id, director: await adminUser(server.url), alice };
}

async function open(ctx: Ctx, user: TestUser): Promise<IncidentSession> {
  const session = await clientAs(ctx.url, user).openIncident(ctx.id);
  await session.whenSynced();
  return session;
}

const overview = async (ctx: Ctx, token = ctx.alice.token) => {
  const reply = await api<Overview>(ctx.url, `/api/incidents/${ctx.id}/regulatory`, { token });
  expect(reply.status).toBe(200);
  return reply.body;
};

/** A time on the second, as a person would enter it. */
const at = (msAgo: number) => new Date(Math.floor((Date.now() - msAgo) / 1000) * 1000).toISOString();
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const COMPLETE_CNIL = {
  description: 'Chiffrement du serveur de fichiers ; exfiltration probable de dossiers patients.',
  dataCategories: 'Données de santé, identité, coordonnées',
  peopleCategories: 'Patients',
  peopleCount: 'environ 12 000',
  recordsCount: 'environ 40 000',
  dpoName: 'Claire Dubois',
  dpoContact: 'dpo@chu.example, 01 23 45 67 89',
  consequences: 'Atteinte à la confidentialité des données de santé ; risque d’hameçonnage ciblé.',
  measures: 'Isolement du serveur, réinitialisation des comptes, information des patients envisagée.',
};

test('the director records the awareness times; each clock and each draft carries its deadline (72 h, NIS2 24 h / 72 h / +1 month, health now)', async () => {
  const ctx = await setup();
  const aware = at(2 * HOUR);
  const nis2Aware = at(3 * HOUR);
  const set = await api<IncidentMeta>(ctx.url, `/api/incidents/${ctx.id}/regulatory/clocks`, { method: 'PUT', token: ctx.director.token, body: { breachAwareAt: aware, nis2: true, nis2AwareAt: nis2Aware, healthSector: true } });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ breachAwareAt: aware, nis2: true, nis2AwareAt: nis2Aware, healthSector: true });

  const { clocks, meta } = await overview(ctx);
  const clock = (id: string) => clocks.find((c) => c.id === id)!;
  expect(clocks.map((c) => c.id)).toEqual(['cnil-72h', 'nis2-24h', 'nis2-72h', 'nis2-final', 'health']);
  expect(clock('cnil-72h')).toMatchObject({ from: aware, due: plus(aware, 72 * HOUR), estimated: false, immediate: false, metAt: null });
  expect(clock('nis2-24h')).toMatchObject({ from: nis2Aware, due: plus(nis2Aware, 24 * HOUR), estimated: false });
  expect(clock('nis2-72h')).toMatchObject({ due: plus(nis2Aware, 72 * HOUR) });
  // Not sent yet: one month after the notification's deadline, flagged as an estimate.
  expect(clock('nis2-final')).toMatchObject({ from: plus(nis2Aware, 72 * HOUR), due: addOneMonth(plus(nis2Aware, 72 * HOUR)), estimated: true });
  expect(clock('health')).toMatchObject({ immediate: true, due: meta.detectedAt });
  // Calendar months, clamped: 31 January + 1 month is the last day of February.
  expect(addOneMonth('2026-01-31T10:00:00.000Z')).toBe('2026-02-28T10:00:00.000Z');
  expect(addOneMonth('2028-01-31T10:00:00.000Z')).toBe('2028-02-29T10:00:00.000Z');
  expect(addOneMonth('2026-12-15T23:30:00.000Z')).toBe('2027-01-15T23:30:00.000Z');

  // Drafts made in Alice's browser (the SDK), one of each kind.
  const alice = await open(ctx, ctx.alice);
  const kinds = ['cnil_initial', 'cnil_complementary', 'health_incident', 'nis2_early_warning', 'nis2_notification', 'nis2_final'] as const;
  const made = Object.fromEntries(kinds.map((kind) => [kind, alice.createDraft({ kind, description: 'Chiffrement des serveurs' }).id]));
  await alice.whenAcknowledged();
  const { drafts } = await overview(ctx);
  const view = (kind: (typeof kinds)[number]) => drafts.find((d) => d.draft.id === made[kind])!;
  expect(view('cnil_initial').deadline).toMatchObject({ id: 'cnil-72h', due: plus(aware, 72 * HOUR) });
  expect(view('nis2_early_warning').deadline).toMatchObject({ id: 'nis2-24h', due: plus(nis2Aware, 24 * HOUR) });
  expect(view('nis2_notification').deadline).toMatchObject({ id: 'nis2-72h', due: plus(nis2Aware, 72 * HOUR) });
  expect(view('nis2_final').deadline).toMatchObject({ id: 'nis2-final' });
  expect(view('health_incident').deadline).toMatchObject({ id: 'health', immediate: true });
  expect(view('cnil_complementary').deadline).toBeNull();
  // The four mandatory items of a CNIL notification, named one by one when missing.
  expect(view('cnil_initial').missing).toEqual(['dataCategories', 'peopleCategories', 'peopleCount', 'recordsCount', 'dpoName', 'dpoContact', 'consequences', 'measures']);
  expect(view('cnil_complementary').missing).toContain('complements');
  expect(view('health_incident').missing).toEqual(['organisation', 'declarant', 'foundAt', 'scope', 'systemsAffected', 'dataAffected', 'careImpact', 'handlingStatus']);
  expect(view('nis2_early_warning').missing).toEqual(['organisation', 'declarant', 'suspectedMalicious', 'crossBorderImpact']);
  for (const d of drafts) expect(d).toMatchObject({ complete: false, draft: { status: 'draft', createdBy: 'Alice Martin' } });

  // Timeline exports state every deadline, computed the same way.
  const exported = await api<TimelineExport>(ctx.url, `/api/incidents/${ctx.id}/timeline?format=json`, { token: ctx.alice.token });
  expect(exported.body.deadlines.map((d) => [d.id, d.due])).toEqual(clocks.map((c) => [c.id, c.due]));
  // The awareness time shows in the timeline as an incident change.
  expect(exported.body.events.find((e) => e.kind === 'incident.updated')).toMatchObject({ data: { changes: { breachAwareAt: { from: null, to: aware } } } });
  expect(exported.body.events.filter((e) => e.kind === 'regulatory.drafted')).toHaveLength(6);
});

test('a member cannot set the awareness time: REST refused, socket update refused, document unchanged; the director can from the client', async () => {
  const ctx = await setup();
  const before = await incidentSnapshot(ctx.server, ctx.id);
  const rest = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}/regulatory/clocks`, { method: 'PUT', token: ctx.alice.token, body: { breachAwareAt: at(0) } });
  expect([rest.status, rest.body.error.code]).toEqual([403, 'FORBIDDEN']);
  const socket = await socketAs(ctx.url, ctx.alice);
  const meta = await joinRaw(socket, docName(ctx.id, 'meta'));
  const update = transactionUpdate(meta.doc, (d) => d.getMap(ROOTS.meta).set('breachAwareAt', at(0)));
  expect(await emitAck(socket, EVENTS.update, { doc: docName(ctx.id, 'meta'), update })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const session = await open(ctx, ctx.alice);
  const rejected = new Promise((resolve) => session.onRejected(resolve));
  session.setRegulatoryClocks({ breachAwareAt: at(0) });
  expect(await rejected).toMatchObject({ code: 'FORBIDDEN' });
  expect(await incidentSnapshot(ctx.server, ctx.id)).toEqual(before);
  expect((await overview(ctx)).meta.breachAwareAt).toBeUndefined();

  // The director, through the same client code: accepted, and the clock follows.
  const director = await open(ctx, ctx.director);
  const aware = at(HOUR);
  director.setRegulatoryClocks({ breachAwareAt: aware });
  await director.whenAcknowledged();
  expect((await overview(ctx)).clocks[0]).toMatchObject({ id: 'cnil-72h', from: aware, due: plus(aware, 72 * HOUR), estimated: false });
  // A value of the wrong shape is refused even from the director.
  const directorSocket = await socketAs(ctx.url, ctx.director);
  const replica = await joinRaw(directorSocket, docName(ctx.id, 'meta'));
  const bad = transactionUpdate(replica.doc, (d) => d.getMap(ROOTS.meta).set('nis2', 'oui'));
  expect(await emitAck(directorSocket, EVENTS.update, { doc: docName(ctx.id, 'meta'), update: bad })).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
});

test('a draft says which mandatory fields it lacks (API, Markdown, PDF); sending it seals it and writes the log entry', async () => {
  const ctx = await setup();
  await api(ctx.url, `/api/incidents/${ctx.id}/regulatory/clocks`, { method: 'PUT', token: ctx.director.token, body: { breachAwareAt: at(HOUR) } });
  const created = await api<DraftView>(ctx.url, `/api/incidents/${ctx.id}/regulatory`, { token: ctx.alice.token, body: { kind: 'cnil_initial', ...COMPLETE_CNIL, dpoContact: '' } });
  expect(created.status).toBe(201);
  const draftId = created.body.draft.id;
  expect(created.body).toMatchObject({ missing: ['dpoContact'], complete: false, draft: { createdBy: 'Alice Martin', status: 'draft' } });

  const mdText = async () => {
    const res = await fetch(`${ctx.url}/api/incidents/${ctx.id}/regulatory/${draftId}?format=md`, { headers: { authorization: `Bearer ${ctx.alice.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    return { text: await res.text(), head: res.headers.get('x-journal-head')! };
  };
  const draftMd = await mdText();
  expect(draftMd.text).toMatch(/^# Notification CNIL initiale/);
  expect(draftMd.text).toContain('INCOMPLET — mentions obligatoires manquantes\u202F: Coordonnées du DPO');
  expect(draftMd.text).toContain('## Coordonnées du DPO — MANQUANT');
  expect(draftMd.head).toMatch(/^\d+(-\d+){5}:[0-9a-f]{64}$/);
  expect(draftMd.text).toContain(draftMd.head);

  // Incomplete: sending is refused, with the missing field named; nothing changes.
  const refused = await api<{ error: { code: string; message: string } }>(ctx.url, `/api/incidents/${ctx.id}/regulatory/${draftId}/send`, { token: ctx.alice.token, body: { via: 'téléservice CNIL' } });
  expect([refused.status, refused.body.error.code]).toEqual([400, 'BAD_REQUEST']);
  expect(refused.body.error.message).toContain('dpoContact');

  // Completed in the browser, then sent.
  const alice = await open(ctx, ctx.alice);
  alice.updateDraft(draftId, { dpoContact: COMPLETE_CNIL.dpoContact });
  await alice.whenAcknowledged();
  const sent = await api<DraftView>(ctx.url, `/api/incidents/${ctx.id}/regulatory/${draftId}/send`, { token: ctx.alice.token, body: { via: 'téléservice CNIL', reference: 'CNIL-2026-0042' } });
  expect(sent.status).toBe(200);
  expect(sent.body).toMatchObject({ complete: true, missing: [], draft: { status: 'sent', sentBy: 'Alice Martin', sentVia: 'téléservice CNIL', reference: 'CNIL-2026-0042' } });
  const clocks = (await overview(ctx)).clocks;
  expect(clocks[0]).toMatchObject({ id: 'cnil-72h', metAt: sent.body.draft.sentAt });

  // The log entry, written under Alice's name, journaled like any other.
  const state = (await api<IncidentState>(ctx.url, `/api/incidents/${ctx.id}`, { token: ctx.alice.token })).body;
  const entry = state.log.find((e) => e.text.includes('Notification CNIL initiale envoyée via téléservice CNIL'));
  expect(entry).toMatchObject({ category: 'communication', author: 'Alice Martin', key: true, eventAt: sent.body.draft.sentAt });
  expect(entry!.text).toContain('réf. CNIL-2026-0042');

  // Sealed: a change from the client is refused and changes nothing; a second send too.
  await waitFor(() => alice.regulatory.get(draftId)?.status === 'sent', sessionChanges(alice), 'the sent status reaches Alice');
  const before = await incidentSnapshot(ctx.server, ctx.id);
  const rejected = new Promise((resolve) => alice.onRejected(resolve));
  alice.updateDraft(draftId, { consequences: 'changé après envoi' });
  expect(await rejected).toMatchObject({ code: 'UPDATE_SEALED' });
  const again = await api<{ error: { code: string } }>(ctx.url, `/api/incidents/${ctx.id}/regulatory/${draftId}/send`, { token: ctx.alice.token, body: { via: 'courrier' } });
  expect([again.status, again.body.error.code]).toEqual([422, 'UPDATE_SEALED']);
  expect((await incidentSnapshot(ctx.server, ctx.id)).regulatory).toEqual(before.regulatory);
  expect((await overview(ctx)).drafts[0]!.draft.consequences).toBe(COMPLETE_CNIL.consequences);

  // Exports of the sent draft: Markdown and PDF state the deadline, the completeness and the journal head.
  const sentMd = await mdText();
  expect(sentMd.text).toContain('envoyée le');
  expect(sentMd.text).toContain('CNIL-2026-0042');
  expect(sentMd.text).toContain('complet\u202F: toutes les mentions obligatoires sont renseignées');
  expect(sentMd.text).toContain('Notification CNIL (72 h)\u202F: au plus tard le');
  const pdfRes = await fetch(`${ctx.url}/api/incidents/${ctx.id}/regulatory/${draftId}?format=pdf`, { headers: { authorization: `Bearer ${ctx.alice.token}` } });
  expect(pdfRes.headers.get('content-type')).toBe('application/pdf');
  const pdf = Buffer.from(await pdfRes.arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const { pages } = await pdfText(pdf);
  const text = pages.join('\n');
  expect(text).toContain('Notification CNIL initiale');
  expect(text).toContain('Coordonnées du DPO');
  expect(text).toContain('dpo@chu.example');
  expect(text).toContain(pdfRes.headers.get('x-journal-head')!.slice(0, 20));

  // The timeline has the draft and its sending.
  const exported = await api<TimelineExport>(ctx.url, `/api/incidents/${ctx.id}/timeline?format=json`, { token: ctx.alice.token });
  const regulatory = exported.body.events.filter((e) => e.kind.startsWith('regulatory.'));
  expect(regulatory.map((e) => e.kind)).toEqual(['regulatory.drafted', 'regulatory.sent']);
  expect(regulatory[1]).toMatchObject({ author: 'Alice Martin', eventAt: sent.body.draft.sentAt, data: { draftId, draftKind: 'cnil_initial', sentVia: 'téléservice CNIL', reference: 'CNIL-2026-0042' } });
});

test('clients cannot mark a draft sent themselves, nor write a draft under another name; prefill reads the incident', async () => {
  const ctx = await setup();
  const socket = await socketAs(ctx.url, ctx.alice);
  const name = docName(ctx.id, 'regulatory');
  // Each forged update comes from a fresh replica (a new Yjs client id), so none depends on a refused one.
  const forged = async (fields: Record<string, unknown>) =>
    transactionUpdate((await joinRaw(socket, name)).doc, (d) => {
      const map = new Y.Map<unknown>();
      d.getMap(ROOTS.regulatory).set('draft0000001', map);
      for (const [k, v] of Object.entries({ id: 'draft0000001', kind: 'cnil_initial', status: 'draft', createdBy: 'Alice Martin', createdAt: new Date().toISOString(), ...fields })) map.set(k, v);
    });
  const before = await incidentSnapshot(ctx.server, ctx.id);
  expect(await emitAck(socket, EVENTS.update, { doc: name, update: await forged({ status: 'sent' }) })).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
  expect(await emitAck(socket, EVENTS.update, { doc: name, update: await forged({ sentVia: 'moi' }) })).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
  expect(await emitAck(socket, EVENTS.update, { doc: name, update: await forged({ createdBy: 'Bob' }) })).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_AUTHOR' } });
  expect(await emitAck(socket, EVENTS.update, { doc: name, update: await forged({ kind: 'cnil_final' }) })).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
  expect(await emitAck(socket, EVENTS.update, { doc: name, update: await forged({ peopleCount: 12000 }) })).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
  expect(await incidentSnapshot(ctx.server, ctx.id)).toEqual(before);

  // Prefill: title, times, key facts (not refuted), measures from done tasks and approved decisions.
  const alice = await open(ctx, ctx.alice);
  alice.appendLog({ text: 'Serveur de fichiers chiffré', key: true, verification: 'confirmed' });
  alice.appendLog({ text: 'Rumeur : sauvegardes touchées', key: true, verification: 'refuted' });
  alice.appendLog({ text: 'Café renversé' });
  const task = alice.createTask({ title: 'Isoler le VLAN serveurs' });
  alice.moveTask(task.id, 'done');
  alice.recordDecision({ title: 'Couper l’accès Internet', status: 'approved' });
  await alice.whenAcknowledged();
  const prefill = await api<Record<string, string>>(ctx.url, `/api/incidents/${ctx.id}/regulatory/prefill?kind=cnil_initial`, { token: ctx.alice.token });
  expect(prefill.status).toBe(200);
  expect(prefill.body.description).toContain('Rançongiciel — dossiers patients');
  expect(prefill.body.description).toContain('Serveur de fichiers chiffré');
  expect(prefill.body.description).not.toContain('Rumeur');
  expect(prefill.body.description).not.toContain('Café');
  expect(prefill.body.measures).toContain('Isoler le VLAN serveurs');
  expect(prefill.body.measures).toContain('Couper l’accès Internet');
  expect(prefill.body.handlingStatus).toBeUndefined(); // not a field of CNIL notifications
  const health = await api<Record<string, string>>(ctx.url, `/api/incidents/${ctx.id}/regulatory/prefill?kind=health_incident`, { token: ctx.alice.token });
  expect(health.body.handlingStatus).toContain('en cours');
  expect((await api(ctx.url, `/api/incidents/${ctx.id}/regulatory/prefill?kind=nope`, { token: ctx.alice.token })).status).toBe(400);
});

test('the NIS2 final report counts from the notification actually sent, in the API and the export alike; a late CNIL notification must say why; a complementary one starts from the initial', async () => {
  const ctx = await setup();
  const nis2Aware = at(30 * HOUR);
  const breachAware = at(80 * HOUR);
  await api(ctx.url, `/api/incidents/${ctx.id}/regulatory/clocks`, { method: 'PUT', token: ctx.director.token, body: { nis2: true, nis2AwareAt: nis2Aware, breachAwareAt: breachAware } });
  const post = (body: Record<string, unknown>) => api<DraftView>(ctx.url, `/api/incidents/${ctx.id}/regulatory`, { token: ctx.alice.token, body });
  const notification = await post({ kind: 'nis2_notification', organisation: 'CHU', declarant: 'RSSI, 01 00 00 00 00', description: 'Rançongiciel', severityImpact: 'Élevée', suspectedMalicious: 'Oui', crossBorderImpact: 'Non' });
  expect(notification.body.complete).toBe(true);
  const send = (draftId: string, body: Record<string, unknown>) => api<DraftView & { error?: { code: string; message: string } }>(ctx.url, `/api/incidents/${ctx.id}/regulatory/${draftId}/send`, { token: ctx.alice.token, body });
  // A sending time ahead of now is refused.
  const future = await send(notification.body.draft.id, { via: 'portail ANSSI', sentAt: new Date(Date.now() + 3 * HOUR).toISOString() });
  expect([future.status, future.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
  // Nor one before the draft was created (here an hour before): refused, nothing sealed.
  const backdated = await send(notification.body.draft.id, { via: 'portail ANSSI', sentAt: at(HOUR) });
  expect([backdated.status, backdated.body.error?.code, backdated.body.error?.message]).toEqual([400, 'BAD_REQUEST', expect.stringContaining('before the draft was created')]);
  expect((await api<DraftView>(ctx.url, `/api/incidents/${ctx.id}/regulatory/${notification.body.draft.id}`, { token: ctx.alice.token })).body.draft).toMatchObject({ status: 'draft', sentAt: null });
  // A time given with an offset is kept in one spelling (UTC, milliseconds).
  const sentAt = at(0);
  const withOffset = new Date(Date.parse(sentAt) + 2 * HOUR).toISOString().replace('.000Z', '+02:00');
  expect((await send(notification.body.draft.id, { via: 'portail ANSSI', reference: 'ANSSI-7', sentAt: withOffset })).status).toBe(200);
  expect((await api<DraftView>(ctx.url, `/api/incidents/${ctx.id}/regulatory/${notification.body.draft.id}`, { token: ctx.alice.token })).body.draft.sentAt).toBe(sentAt);

  const { clocks } = await overview(ctx);
  const final = clocks.find((c) => c.id === 'nis2-final')!;
  expect(final).toMatchObject({ from: sentAt, due: addOneMonth(sentAt), estimated: false, metAt: null });
  expect(clocks.find((c) => c.id === 'nis2-72h')).toMatchObject({ metAt: sentAt });
  const exported = await api<TimelineExport>(ctx.url, `/api/incidents/${ctx.id}/timeline?format=json`, { token: ctx.alice.token });
  expect(exported.body.deadlines.map((d) => [d.id, d.due])).toEqual(clocks.map((c) => [c.id, c.due]));
  const md = await (await fetch(`${ctx.url}/api/incidents/${ctx.id}/timeline?format=md`, { headers: { authorization: `Bearer ${ctx.alice.token}` } })).text();
  expect(md).toContain('NIS2 — rapport final (1 mois)');

  // Aware 80 h ago: a CNIL notification now is late and must give the reasons for the delay.
  const late = await post({ kind: 'cnil_initial', ...COMPLETE_CNIL });
  expect(late.body.missing).toEqual(['delayReason']);
  const refused = await send(late.body.draft.id, { via: 'téléservice CNIL' });
  expect([refused.status, refused.body.error?.message]).toEqual([400, expect.stringContaining('delayReason')]);
  const alice = await open(ctx, ctx.alice);
  alice.updateDraft(late.body.draft.id, { delayReason: 'Périmètre de la fuite établi seulement après analyse forensique.' });
  await alice.whenAcknowledged();
  expect((await send(late.body.draft.id, { via: 'téléservice CNIL', reference: 'CNIL-9' })).status).toBe(200);

  // The complementary notification is prefilled from the initial one, and linked to it.
  const prefill = await api<Record<string, string>>(ctx.url, `/api/incidents/${ctx.id}/regulatory/prefill?kind=cnil_complementary`, { token: ctx.alice.token });
  expect(prefill.body).toMatchObject({ complements: late.body.draft.id, dpoContact: COMPLETE_CNIL.dpoContact, peopleCount: COMPLETE_CNIL.peopleCount, measures: COMPLETE_CNIL.measures });
  const complementary = await post({ kind: 'cnil_complementary', ...prefill.body });
  expect(complementary.body).toMatchObject({ deadline: null, draft: { complements: late.body.draft.id } });
  // The NIS2 final report draft takes the contact details of the earlier drafts.
  const finalPrefill = await api<Record<string, string>>(ctx.url, `/api/incidents/${ctx.id}/regulatory/prefill?kind=nis2_final`, { token: ctx.alice.token });
  expect(finalPrefill.body).toMatchObject({ organisation: 'CHU', declarant: 'RSSI, 01 00 00 00 00' });
});
