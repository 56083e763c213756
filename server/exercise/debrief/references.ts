import type { ReactionKind } from '../../../shared/exercise/debrief';
import type { TimelineEvent, TimelineEventOf } from '../../../shared/timeline/events';
import type { Task } from '../../../shared/model/tasks';
import type { Decision } from '../../../shared/model/decisions';

/** One time the cell referred to a log entry: an entry answering it, a task linking it, a decision based on it. */
export interface Reference {
  kind: ReactionKind;
  /** The entry's, task's or decision's id. */
  id: string;
  /** The log entry referred to. */
  target: string;
  at: string;
  author: string;
  authorId: string;
  text: string;
}

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Log entries that answer another (`replyTo`); injects themselves never count as the cell's reaction, nor an entry its author withdrew. */
function logReferences(events: TimelineEvent[]): Reference[] {
  const out: Reference[] = [];
  for (const e of events) {
    if ((e.kind !== 'log.entry' && e.kind !== 'log.amendment') || !e.data.replyTo || e.data.inject || e.data.withdrawn) continue;
    out.push({ kind: 'log', id: e.data.entryId, target: e.data.replyTo, at: e.at, author: e.author, authorId: e.authorId, text: e.data.text });
  }
  return out;
}

interface Linked {
  kind: 'task' | 'decision';
  id: string;
  created: TimelineEvent;
  title: string;
  /** The changes of its links, in journal order: `{ from, to }` as the replay saw them. */
  changes: Array<{ event: TimelineEvent; from: string[]; to: string[] }>;
}

/**
 * The links of tasks (`logLinks`) and decisions (`basedOn`) over time, from the timeline: the
 * links a record adds are dated by that record; the links a task or decision was created with
 * are the `from` of its first change of links, or, if they never changed, its links at the
 * journal's head (`atHead`), dated by its creation.
 */
function linkReferences(linked: Iterable<Linked>, atHead: Map<string, string[]>): Reference[] {
  const out: Reference[] = [];
  for (const l of linked) {
    const ref = (target: string, event: TimelineEvent): Reference => ({ kind: l.kind, id: l.id, target, at: event.at, author: event.author, authorId: event.authorId, text: l.title });
    const initial = l.changes.length > 0 ? l.changes[0]!.from : (atHead.get(l.id) ?? []);
    for (const target of initial) out.push(ref(target, l.created));
    for (const c of l.changes) for (const target of c.to) if (!c.from.includes(target)) out.push(ref(target, c.event));
  }
  return out;
}

function taskLinks(events: TimelineEvent[]): Linked[] {
  const tasks = new Map<string, Linked>();
  for (const e of events) {
    if (e.kind === 'task.created') tasks.set(e.data.taskId, { kind: 'task', id: e.data.taskId, created: e, title: e.data.title, changes: [] });
    else if (e.kind === 'task.updated' && e.data.changes.logLinks) tasks.get(e.data.taskId)?.changes.push({ event: e, from: ids(e.data.changes.logLinks.from), to: ids(e.data.changes.logLinks.to) });
  }
  return [...tasks.values()];
}

export type DecisionEvent = TimelineEventOf<'decision.proposed' | 'decision.approved' | 'decision.rejected' | 'decision.superseded' | 'decision.revoked'>;

export function isDecisionStatusEvent(e: TimelineEvent): e is DecisionEvent {
  return e.kind.startsWith('decision.') && e.kind !== 'decision.updated';
}

function decisionLinks(events: TimelineEvent[]): Linked[] {
  const decisions = new Map<string, Linked>();
  for (const e of events) {
    if (isDecisionStatusEvent(e) && !decisions.has(e.data.decisionId)) decisions.set(e.data.decisionId, { kind: 'decision', id: e.data.decisionId, created: e, title: e.data.title, changes: [] });
    else if (e.kind === 'decision.updated' && e.data.changes.basedOn) decisions.get(e.data.decisionId)?.changes.push({ event: e, from: ids(e.data.changes.basedOn.from), to: ids(e.data.changes.basedOn.to) });
  }
  return [...decisions.values()];
}

/** Every reference of the cell to a log entry, from the timeline (in server time order) and the tasks and decisions at the journal's head. */
export function referencesOf(events: TimelineEvent[], tasksAtHead: Task[], decisionsAtHead: Decision[]): Reference[] {
  return [
    ...logReferences(events),
    ...linkReferences(taskLinks(events), new Map(tasksAtHead.map((t) => [t.id, t.logLinks]))),
    ...linkReferences(decisionLinks(events), new Map(decisionsAtHead.map((d) => [d.id, d.basedOn]))),
  ];
}

const KIND_ORDER: Record<ReactionKind, number> = { log: 0, task: 1, decision: 2 };

/** The earliest reference to `entryId` (server time; a tie goes to the log, then tasks, then decisions). */
export function firstReference(references: Reference[], entryId: string): Reference | null {
  let best: Reference | null = null;
  for (const r of references) {
    if (r.target !== entryId) continue;
    if (!best || Date.parse(r.at) < Date.parse(best.at) || (r.at === best.at && KIND_ORDER[r.kind] < KIND_ORDER[best.kind])) best = r;
  }
  return best;
}
