import type { TimelineEvent } from '../events';
import { type ReactionKind, type ReactionRefs, injectReferences } from '../injectReferences';
import { type LaneId, laneOf } from './collector';

export type { ReactionKind, ReactionRefs } from '../injectReferences';

/**
 * An exercise's injects and the cell's reactions to them, for the picture: a line from each
 * inject to each thing that refers to it (shared/timeline/injectReferences.ts, the one source the
 * debrief reads too), placed on the reaction's lane.
 */
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

/** Every (inject, reaction) pair once, in time order, with the ends the picture draws. */
export function injectReactions(events: readonly TimelineEvent[], refs: ReactionRefs = {}): InjectReaction[] {
  return injectReferences(events, refs).map((r) => ({
    injectEntryId: r.injectEntryId,
    injectMs: Date.parse(r.injectAt),
    reactionId: r.reactionId,
    kind: r.kind,
    reactionMs: Date.parse(r.event.at),
    reactionLane: laneOf(r.event),
  }));
}
