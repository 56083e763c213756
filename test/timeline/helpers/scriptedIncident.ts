import type { IncidentSession } from '../../../client/sdk/incidentSession';
import type { IncidentState } from '../../../shared/model/incident';
import type { TimelineKind } from '../../../shared/timeline/events';
import { sessionChanges } from '../../helpers/sessions';
import { waitFor } from '../../helpers/testServer';
import { type TestUser, adminUser, setRole, testUser } from '../../helpers/accounts';
import type { Suite } from './suiteServer';

/** What the timeline must list for the script, in order. */
export interface ExpectedEvent {
  kind: TimelineKind;
  /** The author's display name, as exports print it. */
  author: string;
  /** The author's user id, as the journal (or the audit) holds it. */
  authorId: string;
  /** Checked against the event's data with toMatchObject. */
  data?: Record<string, unknown>;
}

/** What the clients saw at a moment between two steps: the state at that time must equal it. */
export interface Moment {
  at: Date;
  state: Omit<IncidentState, 'meta'> & { meta: IncidentState['meta'] };
}

export interface ScriptedIncident {
  id: string;
  expected: ExpectedEvent[];
  moments: Moment[];
  ids: Record<'e1' | 'e2' | 'a1' | 'task' | 'd1' | 'd2', string>;
  /** The accounts that played it: the administrator (who opened the incident), Alice, Bob. */
  people: { admin: TestUser; alice: TestUser; bob: TestUser };
}

/** Resolves once the clock has moved past `ms`: events of different documents then never share a millisecond. */
export async function clockPast(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setImmediate(resolve));
}

/** Gives a role (or removes the member when `role` is null) as `by`, and checks the server agreed. */
async function membership(suite: Suite, incidentId: string, member: TestUser, role: 'director' | 'member' | null, by: TestUser): Promise<void> {
  const url = suite.server.url;
  if (role !== null) {
    const reply = await setRole(url, incidentId, member.id, role, by.token);
    if (reply.status !== 200) throw new Error(`set ${member.name} ${role}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return;
  }
  const res = await fetch(`${url}/api/incidents/${incidentId}/members/${member.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${by.token}` } });
  if (res.status !== 200 && res.status !== 204) throw new Error(`remove ${member.name}: ${res.status} ${await res.text()}`);
}

/**
 * A small crisis played by two members through real SDK clients on a real server: the
 * administrator opens the incident and makes Alice a director and Bob a member; log entries
 * and an amendment, a task assigned, moved and done; Alice makes Bob a director, who approves
 * a decision, which is superseded by another which is then revoked; the incident is closed and
 * Alice removes Bob. Every step is acknowledged (and seen by the other member) before the
 * next, so the journal order is the script order.
 */
export async function playScriptedIncident(suite: Suite): Promise<ScriptedIncident> {
  const { server } = suite;
  const detectedAt = new Date(Date.now() - 3_600_000).toISOString();
  const res = await suite.fetch('/api/incidents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Cyberattaque — rançongiciel au CHU', detectedAt, severity: 'critical' }),
  });
  if (res.status !== 201) throw new Error(`create incident: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  const admin = await adminUser(server.url);
  const aliceUser = await testUser(server.url, 'Alice Lefèvre');
  const bobUser = await testUser(server.url, 'Bob Œuvray');
  await membership(suite, id, aliceUser, 'director', admin);
  await membership(suite, id, bobUser, 'member', admin);
  const alice = await suite.client('Alice Lefèvre').openIncident(id);
  const bob = await suite.client('Bob Œuvray').openIncident(id);
  await Promise.all([alice.whenSynced(), bob.whenSynced()]);

  const moments: Moment[] = [];
  let last = Date.now();
  /** Runs one step, waits for its acknowledgement and for the other member to see it. */
  const step = async (who: IncidentSession, other: IncidentSession, act: () => void, seen: () => boolean): Promise<void> => {
    await clockPast(last);
    act();
    await who.whenAcknowledged();
    await waitFor(seen, sessionChanges(other), 'the other member sees the step');
    last = Date.now();
  };
  const snapshot = async (): Promise<void> => {
    await clockPast(last);
    const at = new Date();
    moments.push({ at, state: { meta: alice.meta.get()!, log: alice.log.entries(), tasks: alice.tasks.list(), decisions: alice.decisions.list(), reports: alice.reports.list() } });
    await clockPast(at.getTime());
  };

  await snapshot();
  let e1 = '';
  await step(alice, bob, () => {
    e1 = alice.appendLog({ text: 'Écrans bloqués aux urgences : message de rançon — « vos fichiers sont chiffrés »…', category: 'alert', severity: 'critical', key: true, eventAt: new Date(Date.now() - 600_000).toISOString(), source: 'IOA urgences' }).id;
  }, () => bob.log.length === 1);
  let e2 = '';
  await step(bob, alice, () => {
    e2 = bob.appendLog({ text: 'Standard : appels patients en hausse', category: 'communication' }).id;
  }, () => alice.log.length === 2);
  let a1 = '';
  await step(alice, bob, () => {
    a1 = alice.amend(e1, { text: 'Correction : écrans bloqués aux urgences ET en radiologie', category: 'alert', severity: 'critical' }).id;
  }, () => bob.log.length === 3);
  await snapshot();
  let task = '';
  await step(bob, alice, () => {
    task = bob.createTask({ title: 'Isoler le réseau d’imagerie', priority: 'urgent' }).id;
  }, () => alice.tasks.get(task) !== null);
  await step(alice, bob, () => alice.assignTask(task, 'Bob Œuvray'), () => bob.tasks.get(task)?.assignee === 'Bob Œuvray');
  await step(bob, alice, () => bob.moveTask(task, 'in_progress'), () => alice.tasks.get(task)?.status === 'in_progress');
  await snapshot();
  await step(bob, alice, () => bob.moveTask(task, 'done'), () => alice.tasks.get(task)?.status === 'done');
  await clockPast(last);
  await membership(suite, id, bobUser, 'director', aliceUser);
  last = Date.now();
  let d1 = '';
  await step(alice, bob, () => {
    d1 = alice.recordDecision({ title: 'Couper l’accès internet', statement: 'On coupe tous les flux sortants', rationale: 'Exfiltration en cours' }).id;
  }, () => bob.decisions.get(d1) !== null);
  await step(bob, alice, () => bob.setDecisionStatus(d1, 'approved', 'validé par le directeur'), () => alice.decisions.get(d1)?.status === 'approved');
  await snapshot();
  let d2 = '';
  await step(alice, bob, () => {
    d2 = alice.recordDecision({ title: 'Rétablir la messagerie seule', statement: 'Flux SMTP uniquement, filtrés', status: 'approved', supersedes: d1 }).id;
  }, () => bob.decisions.get(d1)?.status === 'superseded');
  await step(alice, bob, () => alice.setDecisionStatus(d2, 'revoked', 'nouvelle alerte'), () => bob.decisions.get(d2)?.status === 'revoked');
  await step(alice, bob, () => alice.meta.close(alice.now()), () => bob.meta.get()?.status === 'closed');
  await snapshot();
  await membership(suite, id, bobUser, null, aliceUser);

  const A = { author: 'Alice Lefèvre', authorId: aliceUser.id };
  const B = { author: 'Bob Œuvray', authorId: bobUser.id };
  const ADMIN = { author: 'Administrator', authorId: admin.id };
  const expected: ExpectedEvent[] = [
    { kind: 'incident.opened', ...ADMIN, data: { title: 'Cyberattaque — rançongiciel au CHU', severity: 'critical', detectedAt } },
    // The creator becomes director as the incident is made (audit time just after the journal's).
    { kind: 'member.joined', ...ADMIN, data: { member: 'Administrator', memberId: admin.id, role: 'director', previousRole: null } },
    { kind: 'member.joined', ...ADMIN, data: { member: 'Alice Lefèvre', memberId: aliceUser.id, role: 'director', previousRole: null } },
    { kind: 'member.joined', ...ADMIN, data: { member: 'Bob Œuvray', memberId: bobUser.id, role: 'member', previousRole: null } },
    { kind: 'log.entry', ...A, data: { entryId: e1, category: 'alert', key: true, amends: null, source: 'IOA urgences' } },
    { kind: 'log.entry', ...B, data: { entryId: e2, category: 'communication' } },
    { kind: 'log.amendment', ...A, data: { entryId: a1, amends: e1 } },
    { kind: 'task.created', ...B, data: { taskId: task, status: 'todo', priority: 'urgent', assignee: null } },
    { kind: 'task.assigned', ...A, data: { taskId: task, from: null, to: 'Bob Œuvray' } },
    { kind: 'task.moved', ...B, data: { taskId: task, from: 'todo', to: 'in_progress' } },
    { kind: 'task.done', ...B, data: { taskId: task, from: 'in_progress' } },
    { kind: 'member.role_changed', ...A, data: { member: 'Bob Œuvray', memberId: bobUser.id, role: 'director', previousRole: 'member' } },
    { kind: 'decision.proposed', ...A, data: { decisionId: d1, by: 'Alice Lefèvre' } },
    { kind: 'decision.approved', ...B, data: { decisionId: d1, by: 'Bob Œuvray', note: 'validé par le directeur' } },
    { kind: 'decision.approved', ...A, data: { decisionId: d2, supersedes: d1 } },
    { kind: 'decision.superseded', ...A, data: { decisionId: d1, supersededBy: { decisionId: d2, title: 'Rétablir la messagerie seule' } } },
    { kind: 'decision.revoked', ...A, data: { decisionId: d2, note: 'nouvelle alerte' } },
    { kind: 'incident.closed', ...A },
    { kind: 'member.left', ...A, data: { member: 'Bob Œuvray', memberId: bobUser.id, role: 'director', previousRole: 'director' } },
  ];
  return { id, expected, moments, ids: { e1, e2, a1, task, d1, d2 }, people: { admin, alice: aliceUser, bob: bobUser } };
}
