import type { Suite } from '../../timeline/helpers/suiteServer';
import { adminUser, setRole, testUser } from '../../helpers/accounts';
import type { IncidentSession } from '../../../client/sdk/incidentSession';

/**
 * An incident with something of every kind the exports print: log entries (key alert, amendment,
 * verification), tasks in several states, decisions proposed, approved, superseded and revoked,
 * a published situation report, every regulatory clock and a notification draft. Everything
 * typed is made of neutral tokens (codes, names) so that any French or English word found in an
 * export was written by the exports themselves.
 */
export interface SeededIncident {
  id: string;
  reportId: string;
  draftId: string;
  /** Every instant the exports may print, as ISO strings (from the test's start to its end and the deadlines). */
  startedAt: number;
}

async function acked(session: IncidentSession, act: () => void): Promise<void> {
  act();
  await session.whenAcknowledged();
}

export async function seedIncident(suite: Suite): Promise<SeededIncident> {
  const startedAt = Date.now();
  const url = suite.server.url;
  const detectedAt = new Date(startedAt - 3_600_000).toISOString();
  const res = await suite.fetch('/api/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'PACS-7 / VLAN-3', detectedAt, severity: 'high' }) });
  if (res.status !== 201) throw new Error(`create incident: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  const admin = await adminUser(url);
  const ada = await testUser(url, 'Ada Nova');
  const zed = await testUser(url, 'Zed Ortiz');
  for (const [user, role] of [[ada, 'director'], [zed, 'member']] as const) {
    const reply = await setRole(url, id, user.id, role, admin.token);
    if (reply.status !== 200) throw new Error(`set role: ${reply.status}`);
  }
  const s = await suite.client('Ada Nova').openIncident(id);
  await s.whenSynced();
  await acked(s, () => s.setRegulatoryClocks({ nis2: true, healthSector: true }));
  let entry = '';
  await acked(s, () => {
    entry = s.appendLog({ text: 'PACS-7 X-42', category: 'alert', severity: 'critical', key: true, source: 'SAMU 75', eventAt: new Date(startedAt - 600_000).toISOString() }).id;
  });
  await acked(s, () => s.appendLog({ text: 'VLAN-3 ok', category: 'communication', severity: 'low' }));
  await acked(s, () => s.amend(entry, { text: 'PACS-7 X-43', category: 'alert', severity: 'critical', key: true }));
  await acked(s, () => s.setVerification(entry, 'confirmed', 'Zed Ortiz'));
  let task = '';
  await acked(s, () => {
    task = s.createTask({ title: 'VLAN-3 ACL', priority: 'urgent' }).id;
  });
  await acked(s, () => s.assignTask(task, 'Zed Ortiz'));
  await acked(s, () => s.moveTask(task, 'in_progress'));
  await acked(s, () => s.moveTask(task, 'done'));
  await acked(s, () => s.createTask({ title: 'PACS-7 SAN', priority: 'high', status: 'blocked' }));
  let d1 = '';
  await acked(s, () => {
    d1 = s.recordDecision({ title: 'VLAN-3 OFF', statement: 'ACL 12', rationale: 'X-42' }).id;
  });
  await acked(s, () => s.setDecisionStatus(d1, 'approved', 'OK-1'));
  let d2 = '';
  await acked(s, () => {
    d2 = s.recordDecision({ title: 'VLAN-3 SMTP', statement: 'ACL 25', status: 'approved', supersedes: d1 }).id;
  });
  await acked(s, () => s.setDecisionStatus(d2, 'revoked', 'X-44'));
  await acked(s, () => s.recordDecision({ title: 'PACS-7 RESET', statement: 'ACL 99', status: 'proposed' }));
  let reportId = '';
  await acked(s, () => {
    reportId = s.createReport({ windowFrom: detectedAt, windowTo: new Date().toISOString(), sections: { conditions: 'PACS-7 X-43', actionsInProgress: 'VLAN-3 ACL', actionsDone: '', decisions: 'VLAN-3 SMTP', needs: 'SAN-2' } }).id;
  });
  await acked(s, () => s.publishReport(reportId, new Date(Date.now() + 7_200_000).toISOString()));
  const draft = await suite.fetch(`/api/incidents/${id}/regulatory`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'cnil_initial', organisation: 'CHU-9', description: 'PACS-7' }) });
  if (draft.status !== 201) throw new Error(`create draft: ${draft.status} ${await draft.text()}`);
  const draftId = ((await draft.json()) as { draft: { id: string } }).draft.id;
  return { id, reportId, draftId, startedAt };
}
