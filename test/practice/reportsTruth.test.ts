import { ComputedDraftSchema, type ComputedDraft } from '../../shared/model/reportDraft';
import type { IncidentState } from '../../shared/model/incident';
import { connectClient, createIncident, startTestServer } from '../helpers/testServer';
import { api, testUser } from '../helpers/accounts';

/**
 * Issue 13, item 8: a situation-report draft a director can sign. Each decision appears once,
 * by its status at the window's end (superseded and revoked marked, with what replaced them by
 * title); refuted entries are not facts; an amended entry appears once, in its last wording; a
 * decision's history names what superseded it by title.
 */

jest.setTimeout(60_000);

async function draftOf(url: string, token: string, id: string): Promise<ComputedDraft> {
  const reply = await api(url, `/api/incidents/${id}/reports/draft?lang=fr`, { token });
  expect(reply.status).toBe(200);
  return ComputedDraftSchema.parse(reply.body);
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

async function cell() {
  const server = await startTestServer();
  const url = server.url;
  const id = await createIncident(url, 'Rançongiciel au CHU');
  const user = await testUser(url, 'Alice Lefèvre');
  const alice = await connectClient(url, 'Alice Lefèvre').openIncident(id);
  await alice.whenSynced();
  return { url, id, token: user.token, alice };
}

describe('the situation-report draft tells the situation as it stood (issue 13 item 8)', () => {
  test('each decision is in exactly one section, by its status at the end; superseded and revoked are marked, the replacement named by title', async () => {
    const { url, id, token, alice } = await cell();
    const approvedLater = alice.recordDecision({ title: 'Passer en mode dégradé', status: 'proposed' });
    await alice.whenAcknowledged();
    alice.setDecisionStatus(approvedLater.id, 'approved');
    const replaced = alice.recordDecision({ title: 'Couper tout internet', status: 'approved' });
    await alice.whenAcknowledged();
    const replacement = alice.recordDecision({ title: 'Couper internet sauf la régulation SAMU', status: 'approved', supersedes: replaced.id });
    const revoked = alice.recordDecision({ title: 'Fermer les urgences', status: 'approved' });
    await alice.whenAcknowledged();
    alice.setDecisionStatus(revoked.id, 'revoked', 'urgences rouvertes');
    const awaited = alice.recordDecision({ title: 'Porter plainte', status: 'proposed' });
    const rejected = alice.recordDecision({ title: 'Payer la rançon', status: 'proposed' });
    await alice.whenAcknowledged();
    alice.setDecisionStatus(rejected.id, 'rejected');
    await alice.whenAcknowledged();

    const draft = await draftOf(url, token, id);
    const lists = { approved: draft.decisions.approved, proposed: draft.decisions.proposed, rejected: draft.decisions.rejected };
    const where = (decisionId: string) => Object.entries(lists).filter(([, l]) => l.some((d) => d.decisionId === decisionId)).map(([k]) => k);
    expect(where(approvedLater.id)).toEqual(['approved']);
    expect(where(replaced.id)).toEqual(['approved']);
    expect(where(replacement.id)).toEqual(['approved']);
    expect(where(revoked.id)).toEqual(['approved']);
    expect(where(awaited.id)).toEqual(['proposed']);
    expect(where(rejected.id)).toEqual(['rejected']);
    expect(draft.decisions.approved.find((d) => d.decisionId === replaced.id)).toMatchObject({ status: 'superseded', replacedBy: { decisionId: replacement.id, title: 'Couper internet sauf la régulation SAMU' } });
    expect(draft.decisions.approved.find((d) => d.decisionId === revoked.id)).toMatchObject({ status: 'revoked', replacedBy: null });
    expect(draft.decisions.pending.map((d) => d.decisionId)).toEqual([awaited.id]);

    // The text: every decision once across the whole draft, marks where due.
    const text = Object.values(draft.sections).join('\n');
    for (const title of ['Passer en mode dégradé', 'Fermer les urgences', 'Porter plainte', 'Payer la rançon']) expect({ title, n: count(text, title) }).toEqual({ title, n: 1 });
    expect(count(text, '- ')).toBeGreaterThan(0);
    expect(draft.sections.decisions).toContain('Couper tout internet [remplacée par «\u202FCouper internet sauf la régulation SAMU\u202F»]');
    expect(draft.sections.decisions).toContain('Fermer les urgences [révoquée]');
    expect(draft.sections.decisions).not.toContain('Porter plainte');
    expect(draft.sections.needs).toContain('Porter plainte');
    expect(draft.sections.needs).not.toContain('Passer en mode dégradé');
  });

  test('a refuted entry is not a fact, and an amended entry appears once, in its last wording', async () => {
    const { url, id, token, alice } = await cell();
    const rumour = alice.appendLog({ text: 'Fuite de données patients confirmée', category: 'alert', severity: 'critical' });
    const first = alice.appendLog({ text: 'Serveur de fichiers chiffré', category: 'information' });
    await alice.whenAcknowledged();
    alice.setVerification(rumour.id, 'refuted', 'aucune exfiltration constatée');
    const amended = alice.amend(first.id, { text: 'Serveurs de fichiers et PACS chiffrés', category: 'information' });
    await alice.whenAcknowledged();

    const draft = await draftOf(url, token, id);
    expect(draft.log.map((l) => l.entryId)).toEqual([amended.id]);
    expect(draft.refuted.map((l) => l.entryId)).toEqual([rumour.id]);
    const text = Object.values(draft.sections).join('\n');
    expect(text).not.toContain('Fuite de données patients confirmée');
    expect(text).not.toContain('Serveur de fichiers chiffré');
    expect(count(text, 'Serveurs de fichiers et PACS chiffrés')).toBe(1);
  });

  test("a decision's history names what superseded it by title, not by id, in the record and in the timeline", async () => {
    const { url, id, token, alice } = await cell();
    const replaced = alice.recordDecision({ title: 'Couper tout internet', status: 'approved' });
    await alice.whenAcknowledged();
    const replacement = alice.recordDecision({ title: 'Couper internet sauf la régulation SAMU', status: 'approved', supersedes: replaced.id });
    await alice.whenAcknowledged();

    const state = await api<IncidentState>(url, `/api/incidents/${id}`, { token });
    const history = state.body.decisions.find((d) => d.id === replaced.id)!.history;
    expect(history.at(-1)).toMatchObject({ status: 'superseded', note: 'superseded by "Couper internet sauf la régulation SAMU"' });
    expect(JSON.stringify(history)).not.toContain(replacement.id);

    const md = await (await fetch(`${url}/api/incidents/${id}/timeline?format=md`, { headers: { authorization: `Bearer ${token}` } })).text();
    const line = md.split('\n').find((l) => l.includes('Couper tout internet') && l.includes('remplacée'))!;
    expect(line).toContain('Couper internet sauf la régulation SAMU');
    expect(line).not.toContain(replacement.id);
  });
});
