import { HANDOVER_ENTRIES_LISTED, HANDOVER_OPEN_ALERTS_LISTED, HandoverSchema, type Handover } from '../../shared/protocol/handover';
import { api } from '../helpers/accounts';
import { clientAs, securitySetup } from '../security/securityHelpers';
import { startTestServer, tempDir } from '../helpers/testServer';
import { poll } from '../helpers/poll';

async function handover(url: string, id: string, token: string, query = ''): Promise<Handover> {
  const reply = await api(url, `/api/incidents/${id}/handover${query}`, { token });
  expect(reply.status).toBe(200);
  return HandoverSchema.parse(reply.body);
}

/** Resolves once the server has recorded a visit of `userId` later than `after` (written on leaving, announced to nobody: polled). */
async function visitRecorded(server: Awaited<ReturnType<typeof securitySetup>>['server'], id: string, userId: string, after: Date | null): Promise<Date> {
  const at = await poll(() => server.visits.get(id, userId), (v) => v !== null && (!after || v > after), { label: 'the visit to be recorded', intervalMs: 10 });
  return at!;
}

describe('shift handover', () => {
  test('lists exactly what others changed between my leaving and my return', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    // Before Bob's shift ends: an entry, an alert, a task of Bob's, a task of Alice's, a decision.
    const seenEntry = alice.appendLog({ text: 'Messagerie coupée' });
    const oldAlert = alice.appendLog({ text: 'Connexions suspectes vers l’extérieur', category: 'alert' });
    const lifted = alice.appendLog({ text: 'Alerte antivirus', category: 'alert' });
    const bobsTask = alice.createTask({ title: 'Isoler le PACS', assignee: 'Bob' });
    const alicesTask = alice.createTask({ title: 'Appeler l’ANSSI', assignee: 'Alice' });
    const untouched = alice.createTask({ title: 'Inventaire' });
    const decision = alice.recordDecision({ title: 'Couper internet', statement: 'On coupe' });
    await alice.whenAcknowledged();

    // Bob comes, looks, and leaves: the server records when.
    expect((await handover(ctx.url, ctx.id, ctx.bob.token)).sinceSource).toBe('incidentOpened');
    const bobClient = clientAs(ctx.url, ctx.bob);
    const bob = await bobClient.openIncident(ctx.id);
    await bob.whenSynced();
    bobClient.close();
    const left = await visitRecorded(ctx.server, ctx.id, ctx.bob.id, null);

    // While he is away: N changes by others.
    const e1 = alice.appendLog({ text: 'Sauvegardes intactes', key: true });
    const newAlert = alice.appendLog({ text: 'Nouveau poste chiffré au bloc', category: 'alert', severity: 'high' });
    alice.amend(lifted.id, { text: 'Alerte antivirus levée : faux positif', category: 'information' });
    alice.setVerification(seenEntry.id, 'confirmed', 'vu avec la DSI');
    alice.moveTask(bobsTask.id, 'in_progress');
    alice.updateTask(alicesTask.id, { priority: 'urgent' });
    const newTask = alice.createTask({ title: 'Prévenir la CNIL', assignee: 'Bob' });
    alice.setDecisionStatus(decision.id, 'approved', 'validé par le directeur');
    await alice.whenAcknowledged();

    const h = await handover(ctx.url, ctx.id, ctx.bob.token);
    expect(h.sinceSource).toBe('lastVisit');
    expect(h.since).toBe(left.toISOString());
    expect(h.entries.map((x) => x.entry.id)).toEqual([e1.id, newAlert.id, expect.any(String)]);
    expect(h.entries[2]!.entry.amends).toBe(lifted.id);
    expect(h.verifications.map((v) => [v.entryId, v.from, v.state, v.by, v.note])).toEqual([[seenEntry.id, 'to_check', 'confirmed', 'Alice', 'vu avec la DSI']]);
    // Bob's tasks first; the untouched one is not there.
    expect(h.tasks.map((t) => [t.task.id, t.assignedToMe])).toEqual(
      expect.arrayContaining([
        [bobsTask.id, true],
        [newTask.id, true],
        [alicesTask.id, false],
      ]),
    );
    expect(h.tasks).toHaveLength(3);
    expect(h.tasks.slice(0, 2).every((t) => t.assignedToMe)).toBe(true);
    expect(h.tasks.find((t) => t.task.id === bobsTask.id)!.changes).toEqual(['task.moved']);
    expect(h.tasks.find((t) => t.task.id === newTask.id)!.changes).toEqual(['task.created']);
    expect(h.tasks.some((t) => t.task.id === untouched.id)).toBe(false);
    expect(h.decisions.map((d) => [d.decision.id, d.changes])).toEqual([[decision.id, ['decision.approved']]]);
    // Open alerts whatever their age: the old one and the new one, not the lifted one.
    expect(h.openAlerts.map((a) => [a.entry.id, a.isNew])).toEqual([
      [oldAlert.id, false],
      [newAlert.id, true],
    ]);
    expect(h.openAlertCount).toBe(2);

    // A refuted alert is closed.
    alice.setVerification(oldAlert.id, 'refuted');
    await alice.whenAcknowledged();
    expect((await handover(ctx.url, ctx.id, ctx.bob.token)).openAlerts.map((a) => a.entry.id)).toEqual([newAlert.id]);

    // The since-time can be chosen: from the start, everything is listed.
    const all = await handover(ctx.url, ctx.id, ctx.bob.token, `?since=${encodeURIComponent('2000-01-01T00:00:00.000Z')}`);
    expect(all.sinceSource).toBe('query');
    expect(all.entries.map((x) => x.entry.id)).toEqual(expect.arrayContaining([seenEntry.id, oldAlert.id, e1.id]));
    expect(all.tasks).toHaveLength(4);

    // "I leave now", explicitly: nothing new since.
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/visit`, { method: 'POST', token: ctx.bob.token })).status).toBe(204);
    const empty = await handover(ctx.url, ctx.id, ctx.bob.token);
    expect([empty.entries, empty.verifications, empty.tasks, empty.decisions]).toEqual([[], [], [], []]);
    expect(empty.openAlerts.map((a) => a.entry.id)).toEqual([newAlert.id]);
  });

  test('an alert written after I left is new, whatever the clock of the one who wrote it', async () => {
    const ctx = await securitySetup();
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    const before = alice.appendLog({ text: 'Portail patients lent', category: 'alert' });
    await alice.whenAcknowledged();
    const bobClient = clientAs(ctx.url, ctx.bob);
    await (await bobClient.openIncident(ctx.id)).whenSynced();
    bobClient.close();
    await visitRecorded(ctx.server, ctx.id, ctx.bob.id, null);
    // Alice's estimate of the server clock (from her join's round trip) runs a minute behind.
    alice.syncs.log.clockOffsetMs -= 60_000;
    const after = alice.appendLog({ text: 'Portail patients arrêté', category: 'alert' });
    await alice.whenAcknowledged();
    const h = await handover(ctx.url, ctx.id, ctx.bob.token);
    expect(h.sinceSource).toBe('lastVisit');
    expect(h.entries.map((x) => x.entry.id)).toEqual([after.id]);
    // (Listed oldest first by their written times, so in no order worth asserting here.)
    expect(new Map(h.openAlerts.map((a) => [a.entry.id, a.isNew]))).toEqual(
      new Map([
        [before.id, false],
        [after.id, true],
      ]),
    );
  });

  test('a long incident lists its latest open alerts and counts them all', async () => {
    const ctx = await securitySetup();
    const extra = 7;
    const written = [];
    // Written by the server (an import, the paper kit): the cell's own budgets are not what is tested here.
    for (let i = 0; i < HANDOVER_OPEN_ALERTS_LISTED + extra; i++) written.push(await ctx.server.incidents.appendLog(ctx.id, { text: `Poste chiffré n° ${i}`, category: 'alert' }, 'Alice'));
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    alice.amend(written.at(-1)!.id, { text: 'Poste n° 106 : faux positif', category: 'information' });
    alice.setVerification(written.at(-2)!.id, 'refuted');
    await alice.whenAcknowledged();
    const h = await handover(ctx.url, ctx.id, ctx.bob.token);
    expect(h.openAlertCount).toBe(HANDOVER_OPEN_ALERTS_LISTED + extra - 2);
    // The latest still open, oldest first.
    expect(h.openAlerts.map((a) => a.entry.id)).toEqual(written.slice(extra - 2, -2).map((e) => e.id));
  });

  test('a first handover on a long incident lists the latest entries and verifications and counts them all', async () => {
    const ctx = await securitySetup();
    const extra = 9;
    const written = [];
    // Written by the server (an import, the paper kit): the cell's own budgets are not what is tested here.
    for (let i = 0; i < HANDOVER_ENTRIES_LISTED + extra; i++) written.push(await ctx.server.incidents.appendLog(ctx.id, { text: `Relevé n° ${i}` }, 'Alice'));
    const alice = await clientAs(ctx.url, ctx.alice).openIncident(ctx.id);
    await alice.whenSynced();
    for (const e of written) alice.setVerification(e.id, 'confirmed');
    await alice.whenAcknowledged();
    // Bob never came: since the incident's opening, every entry and every verification.
    const h = await handover(ctx.url, ctx.id, ctx.bob.token);
    expect(h.sinceSource).toBe('incidentOpened');
    expect(h.entryCount).toBe(HANDOVER_ENTRIES_LISTED + extra);
    expect(h.entries.map((x) => x.entry.id)).toEqual(written.slice(-HANDOVER_ENTRIES_LISTED).map((e) => e.id));
    expect(h.entries.every((x) => x.verification === 'confirmed')).toBe(true);
    expect(h.verificationCount).toBe(written.length);
    expect(h.verifications.map((v) => v.entryId)).toEqual(written.slice(-HANDOVER_ENTRIES_LISTED).map((e) => e.id));
  });

  test('bad input and strangers are refused', async () => {
    const ctx = await securitySetup();
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/handover?since=yesterday`, { token: ctx.bob.token })).body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/handover?until=x`, { token: ctx.bob.token })).status).toBe(400);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/handover`, { token: ctx.nina.token })).status).toBe(403);
    expect((await api(ctx.url, `/api/incidents/${ctx.id}/visit`, { method: 'POST', token: ctx.nina.token })).status).toBe(403);
    expect(await ctx.server.visits.get(ctx.id, ctx.nina.id)).toBeNull();
  });

  test('a server shutting down is not everyone leaving', async () => {
    const dataDir = tempDir();
    const ctx = await securitySetup({ dataDir });
    const bob = await clientAs(ctx.url, ctx.bob).openIncident(ctx.id);
    await bob.whenSynced();
    await ctx.server.close();
    const again = await startTestServer({ dataDir });
    expect(await again.visits.get(ctx.id, ctx.bob.id)).toBeNull();
  });
});
