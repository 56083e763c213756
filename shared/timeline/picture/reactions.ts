import type { TimelineEvent } from '../events';
import { type LaneId, laneOf } from './collector';

/**
 * An exercise's injects and the cell's reactions to them, for the picture: a line from each
 * inject to each thing that refers to it — a log entry that answers it (`replyTo`), a task linked
 * to it (`logLinks`), a decision based on it (`basedOn`). Pure: events in, pairs out.
 */
export type ReactionKind = 'reply' | 'task' | 'decision';

export interface InjectReaction {
  /** The inject's log entry id. */
  injectEntryId: string;
  injectMs: number;
  /** What reacts: the answering entry's, task's or decision's id. */
  reactionId: string;
  kind: ReactionKind;
  /** When the reaction referred to the inject (the answer written, the task or decision created or linked). */
  reactionMs: number;
  reactionLane: LaneId;
}

/**
 * The references the timeline events do not carry themselves: a task's `logLinks` and a
 * decision's `basedOn` as they stand (from the live documents or a replayed state). Links added
 * after creation are also read from the events (`task.updated` / `decision.updated` changes).
 */
export interface ReactionRefs {
  taskLinks?: ReadonlyMap<string, readonly string[]>;
  decisionBases?: ReadonlyMap<string, readonly string[]>;
}

const DECISION_OPENERS = new Set(['decision.proposed', 'decision.approved', 'decision.rejected', 'decision.superseded', 'decision.revoked']);

/** Ids in `changes[field].to` and not in its `from` (an update that adds links). */
function addedIds(changes: Record<string, { from: unknown; to: unknown }>, field: string): string[] {
  const change = changes[field];
  if (!change || !Array.isArray(change.to)) return [];
  const before = new Set(Array.isArray(change.from) ? change.from : []);
  return change.to.filter((id): id is string => typeof id === 'string' && !before.has(id));
}

/** Every (inject, reaction) pair once, at the first event that makes it, in time order (events as the timeline orders them). */
export function injectReactions(events: readonly TimelineEvent[], refs: ReactionRefs = {}): InjectReaction[] {
  const injects = new Map<string, number>();
  for (const e of events) if (e.kind === 'log.entry' && e.data.inject) injects.set(e.data.entryId, Date.parse(e.at));
  if (injects.size === 0) return [];
  // Links that an update added: the pair dates from that update, not from the creation.
  const addedLater = new Set<string>();
  for (const e of events) {
    if (e.kind === 'task.updated') for (const id of addedIds(e.data.changes, 'logLinks')) addedLater.add(`task|${e.data.taskId}|${id}`);
    if (e.kind === 'decision.updated') for (const id of addedIds(e.data.changes, 'basedOn')) addedLater.add(`decision|${e.data.decisionId}|${id}`);
  }
  const pairs: InjectReaction[] = [];
  const seen = new Set<string>();
  const add = (e: TimelineEvent, kind: ReactionKind, reactionId: string, injectEntryId: string) => {
    const injectMs = injects.get(injectEntryId);
    const key = `${kind}|${reactionId}|${injectEntryId}`;
    if (injectMs === undefined || seen.has(key)) return;
    seen.add(key);
    pairs.push({ injectEntryId, injectMs, reactionId, kind, reactionMs: Date.parse(e.at), reactionLane: laneOf(e) });
  };
  const createdDecisions = new Set<string>();
  for (const e of events) {
    if ((e.kind === 'log.entry' || e.kind === 'log.amendment') && e.data.replyTo) add(e, 'reply', e.data.entryId, e.data.replyTo);
    else if (e.kind === 'task.created') {
      for (const id of refs.taskLinks?.get(e.data.taskId) ?? []) if (!addedLater.has(`task|${e.data.taskId}|${id}`)) add(e, 'task', e.data.taskId, id);
    } else if (e.kind === 'task.updated') for (const id of addedIds(e.data.changes, 'logLinks')) add(e, 'task', e.data.taskId, id);
    else if (DECISION_OPENERS.has(e.kind) && 'decisionId' in e.data && !createdDecisions.has(e.data.decisionId)) {
      const decisionId = e.data.decisionId;
      createdDecisions.add(decisionId);
      for (const id of refs.decisionBases?.get(decisionId) ?? []) if (!addedLater.has(`decision|${decisionId}|${id}`)) add(e, 'decision', decisionId, id);
    } else if (e.kind === 'decision.updated') for (const id of addedIds(e.data.changes, 'basedOn')) add(e, 'decision', e.data.decisionId, id);
  }
  return pairs.sort((a, b) => a.reactionMs - b.reactionMs);
}
