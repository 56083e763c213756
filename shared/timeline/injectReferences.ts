import type { TimelineEvent, TimelineEventOf } from './events';
import type { Task } from '../model/tasks';
import type { Decision } from '../model/decisions';

/**
 * The one source of "what refers to an exercise inject" (issue 17): a log entry that answers it
 * (`replyTo`), a task that links it (`logLinks`), a decision based on it (`basedOn`). The debrief
 * keeps the first pair of each inject, the timeline picture draws every pair in view. Pure:
 * timeline events (and the links as they stand) in, pairs out.
 */
export type ReactionKind = 'reply' | 'task' | 'decision';

export interface InjectReference {
  /** The inject's log entry id. */
  injectEntryId: string;
  /** When the inject was fired (server time). */
  injectAt: string;
  kind: ReactionKind;
  /** What refers to it: the answering entry's, task's or decision's id. */
  reactionId: string;
  /** The entry's text, the task's or decision's title when it was created. */
  text: string;
  /** The event that made it refer to the inject (the answer written, the task or decision created or linked): its time, author and lane. */
  event: TimelineEvent;
}

/**
 * The references the timeline events do not carry themselves: a task's `logLinks` and a
 * decision's `basedOn` as they stand (the live documents, or the state replayed at the journal's
 * head). They only date links a record was created with and never changed; every change of links
 * is read from the events (`task.updated` / `decision.updated`).
 */
export interface ReactionRefs {
  taskLinks?: ReadonlyMap<string, readonly string[]>;
  decisionBases?: ReadonlyMap<string, readonly string[]>;
}

/** The refs of tasks and decisions as they stand (live documents or a replayed state): only those that link something. */
export function standingLinks(tasks: ReadonlyArray<Pick<Task, 'id' | 'logLinks'>>, decisions: ReadonlyArray<Pick<Decision, 'id' | 'basedOn'>>): ReactionRefs {
  return {
    taskLinks: new Map(tasks.filter((t) => t.logLinks.length > 0).map((t) => [t.id, t.logLinks])),
    decisionBases: new Map(decisions.filter((d) => d.basedOn.length > 0).map((d) => [d.id, d.basedOn])),
  };
}

export type DecisionEvent = TimelineEventOf<'decision.proposed' | 'decision.approved' | 'decision.rejected' | 'decision.superseded' | 'decision.revoked'>;

/** An event that records a decision's state (its first one is its creation). */
export function isDecisionStatusEvent(e: TimelineEvent): e is DecisionEvent {
  return e.kind.startsWith('decision.') && e.kind !== 'decision.updated';
}

/** Whether `injectReferences` reads this event: a caller that streams events (the exports) keeps only these. */
export function readsForInjectReferences(e: TimelineEvent): boolean {
  switch (e.kind) {
    case 'log.entry':
    case 'log.amendment':
      return e.data.inject !== undefined || e.data.replyTo !== undefined;
    case 'task.created':
      return true;
    case 'task.updated':
      return e.data.changes.logLinks !== undefined;
    case 'decision.updated':
      return e.data.changes.basedOn !== undefined;
    default:
      return isDecisionStatusEvent(e);
  }
}

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A task or decision with the changes of its links, in journal order. */
interface Linked {
  kind: 'task' | 'decision';
  id: string;
  created: TimelineEvent;
  title: string;
  changes: Array<{ event: TimelineEvent; from: string[]; to: string[] }>;
}

function linkedRecords(events: readonly TimelineEvent[]): Linked[] {
  const records = new Map<string, Linked>();
  const change = (key: string, event: TimelineEvent, c: { from: unknown; to: unknown } | undefined) => {
    if (c) records.get(key)?.changes.push({ event, from: ids(c.from), to: ids(c.to) });
  };
  for (const e of events) {
    if (e.kind === 'task.created') records.set(`task|${e.data.taskId}`, { kind: 'task', id: e.data.taskId, created: e, title: e.data.title, changes: [] });
    else if (e.kind === 'task.updated') change(`task|${e.data.taskId}`, e, e.data.changes.logLinks);
    else if (e.kind === 'decision.updated') change(`decision|${e.data.decisionId}`, e, e.data.changes.basedOn);
    else if (isDecisionStatusEvent(e) && !records.has(`decision|${e.data.decisionId}`)) {
      records.set(`decision|${e.data.decisionId}`, { kind: 'decision', id: e.data.decisionId, created: e, title: e.data.title, changes: [] });
    }
  }
  return [...records.values()];
}

/**
 * Each link a task or decision made, dated by the event that made it: the links it was created
 * with are the `from` of its first change of links, or, if they never changed, its links as they
 * stand, dated by its creation; each later change dates the links it adds.
 */
function linkEvents(l: Linked, refs: ReactionRefs): Array<{ target: string; event: TimelineEvent }> {
  const standing = (l.kind === 'task' ? refs.taskLinks : refs.decisionBases)?.get(l.id) ?? [];
  const initial = l.changes.length > 0 ? l.changes[0]!.from : standing;
  const out = initial.map((target) => ({ target, event: l.created }));
  for (const c of l.changes) for (const target of c.to) if (!c.from.includes(target)) out.push({ target, event: c.event });
  return out;
}

const KIND_ORDER: Record<ReactionKind, number> = { reply: 0, task: 1, decision: 2 };

/**
 * Every (inject, reaction) pair once, at the earliest event that makes it, in server time order (a
 * tie goes to the answer, then the task, then the decision). An inject never reacts to another,
 * nor does an entry its author withdrew. Events as the timeline gives them (server time order).
 */
export function injectReferences(events: readonly TimelineEvent[], refs: ReactionRefs = {}): InjectReference[] {
  const injects = new Map<string, string>();
  for (const e of events) if (e.kind === 'log.entry' && e.data.inject) injects.set(e.data.entryId, e.at);
  if (injects.size === 0) return [];
  const pairs = new Map<string, InjectReference>();
  const add = (kind: ReactionKind, reactionId: string, injectEntryId: string, text: string, event: TimelineEvent) => {
    const injectAt = injects.get(injectEntryId);
    const key = `${kind}|${reactionId}|${injectEntryId}`;
    const known = pairs.get(key);
    if (injectAt === undefined || (known && Date.parse(known.event.at) <= Date.parse(event.at))) return;
    pairs.set(key, { injectEntryId, injectAt, kind, reactionId, text, event });
  };
  for (const e of events) {
    if ((e.kind === 'log.entry' || e.kind === 'log.amendment') && e.data.replyTo && !e.data.inject && !e.data.withdrawn) add('reply', e.data.entryId, e.data.replyTo, e.data.text, e);
  }
  for (const l of linkedRecords(events)) for (const { target, event } of linkEvents(l, refs)) add(l.kind, l.id, target, l.title, event);
  return [...pairs.values()].sort((a, b) => Date.parse(a.event.at) - Date.parse(b.event.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}
