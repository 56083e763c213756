import type { IncidentSession } from '../../../client/sdk/incidentSession';
import type { IncidentState } from '../../../shared/model/incident';
import type { TimelineKind } from '../../../shared/timeline/events';
import { sessionChanges } from '../../helpers/sessions';
import { waitFor } from '../../helpers/testServer';
import type { Suite } from './suiteServer';

/** What the timeline must list for the script, in order. */
export interface ExpectedEvent {
  kind: TimelineKind;
  author: string;
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
}

/** Resolves once the clock has moved past `ms`: events of different documents then never share a millisecond. */
export async function clockPast(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A small crisis played by two members through real SDK clients on a real server: log entries
 * and an amendment, a task assigned, moved and done, a decision proposed, approved, superseded
 * by another which is then revoked, and the incident closed. Every step is acknowledged (and
 * seen by the other member) before the next, so the journal order is the script order.
 */
export async function playScriptedIncident(suite: Suite): Promise<ScriptedIncident> {
  const { server } = suite;
  const detectedAt = new Date(Date.now() - 3_600_000).toISOString();
  const res = await fetch(`${server.url}/api/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Cyberattaque — rançongiciel au CHU', detectedAt, severity: 'critical', author: 'Régulation SAMU' }),
  });
  if (res.status !== 201) throw new Error(`create incident: ${res.status}`);
  const id = ((await res.json()) as { id: string }).id;
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
    moments.push({ at, state: { meta: alice.meta.get()!, log: alice.log.entries(), tasks: alice.tasks.list(), decisions: alice.decisions.list() } });
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

  const expected: ExpectedEvent[] = [
    { kind: 'incident.opened', author: 'Régulation SAMU', data: { title: 'Cyberattaque — rançongiciel au CHU', severity: 'critical', detectedAt } },
    { kind: 'log.entry', author: 'Alice Lefèvre', data: { entryId: e1, category: 'alert', key: true, amends: null, source: 'IOA urgences' } },
    { kind: 'log.entry', author: 'Bob Œuvray', data: { entryId: e2, category: 'communication' } },
    { kind: 'log.amendment', author: 'Alice Lefèvre', data: { entryId: a1, amends: e1 } },
    { kind: 'task.created', author: 'Bob Œuvray', data: { taskId: task, status: 'todo', priority: 'urgent', assignee: null } },
    { kind: 'task.assigned', author: 'Alice Lefèvre', data: { taskId: task, from: null, to: 'Bob Œuvray' } },
    { kind: 'task.moved', author: 'Bob Œuvray', data: { taskId: task, from: 'todo', to: 'in_progress' } },
    { kind: 'task.done', author: 'Bob Œuvray', data: { taskId: task, from: 'in_progress' } },
    { kind: 'decision.proposed', author: 'Alice Lefèvre', data: { decisionId: d1, by: 'Alice Lefèvre' } },
    { kind: 'decision.approved', author: 'Bob Œuvray', data: { decisionId: d1, by: 'Bob Œuvray', note: 'validé par le directeur' } },
    { kind: 'decision.approved', author: 'Alice Lefèvre', data: { decisionId: d2, supersedes: d1 } },
    { kind: 'decision.superseded', author: 'Alice Lefèvre', data: { decisionId: d1, supersededBy: { decisionId: d2, title: 'Rétablir la messagerie seule' } } },
    { kind: 'decision.revoked', author: 'Alice Lefèvre', data: { decisionId: d2, note: 'nouvelle alerte' } },
    { kind: 'incident.closed', author: 'Alice Lefèvre' },
  ];
  return { id, expected, moments, ids: { e1, e2, a1, task, d1, d2 } };
}
