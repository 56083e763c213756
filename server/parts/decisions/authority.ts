import * as Y from 'yjs';
import { DECISION_HISTORY_KEY } from '../../../shared/docs/decisionsDoc';
import { ROOTS } from '../../../shared/model/parts';
import type { Refusal } from '../partModule';
import { onScratchCopy } from '../rules/scratchCopy';
import { applyAlone } from '../rules/updateAlone';

type Json = Record<string, unknown>;

/** What a member may write on their own: a proposal. Anything else is a decision. */
const PROPOSED = 'proposed';

/**
 * For a sender who may not decide: the update, applied to a scratch copy, must leave every
 * decision it touches with the same status, decider and decision time, and append to its history
 * nothing but proposals; a new decision must be a proposal. Judged on the result, so no Yjs
 * encoding (overwrite, re-created record, history pushed alone) gets a decision past it.
 */
export function checkDecisionAuthority(doc: Y.Doc, update: Uint8Array, touched: ReadonlySet<string>): Refusal | null {
  if (touched.size === 0) return null;
  const root = doc.getMap<unknown>(ROOTS.decisions);
  const before = new Map<string, Json | null>();
  for (const id of touched) {
    const value = root.get(id);
    before.set(id, value instanceof Y.Map ? (value.toJSON() as Json) : null);
  }
  // A member's proposals, new records only: each comes whole with the update, so it is judged
  // on the update alone, without copying a document that grows with the incident. Not when the
  // id ever had a value here (a removed proposal): an entry placed after the removed one would
  // win in the document while leaving no trace alone.
  if ([...before.keys()].every((id) => !root._map.has(id))) {
    const alone = judgeAlone(doc, update, [...before.keys()]);
    if (alone !== undefined) return alone;
  }
  return onScratchCopy(doc, update, (scratch) => {
    const after = scratch.getMap<unknown>(ROOTS.decisions);
    for (const [id, was] of before) {
      const value = after.get(id);
      // A removal is judged by the seal rules (a proposal may go, a decision may not).
      if (!(value instanceof Y.Map)) continue;
      const problem = judge(was, value.toJSON() as Json);
      if (problem) return refusal(id, problem);
    }
    return null;
  });
}

/** The verdict on new decisions from the update alone; undefined when one of them does not show there (then the scratch copy judges). */
function judgeAlone(doc: Y.Doc, update: Uint8Array, ids: string[]): Refusal | null | undefined {
  const alone = new Y.Doc();
  try {
    const root = alone.getMap<unknown>(ROOTS.decisions);
    if (!applyAlone(alone, update, doc)) return undefined;
    const records = ids.map((id) => [id, root.get(id)] as const);
    if (records.some(([, value]) => !(value instanceof Y.Map))) return undefined;
    for (const [id, value] of records) {
      const problem = judge(null, (value as Y.Map<unknown>).toJSON() as Json);
      if (problem) return refusal(id, problem);
    }
    return null;
  } catch {
    // Yjs could not integrate it alone: the scratch copy refuses what cannot apply.
    return undefined;
  } finally {
    alone.destroy();
  }
}

function judge(was: Json | null, now: Json): string | null {
  const history = (j: Json | null): Json[] => (j && Array.isArray(j[DECISION_HISTORY_KEY]) ? (j[DECISION_HISTORY_KEY] as Json[]) : []);
  if (was === null) {
    if (now.status !== PROPOSED) return `a new decision must be recorded as proposed, not ${String(now.status)}`;
    if ((now.decidedBy ?? null) !== null || (now.decidedAt ?? null) !== null) return 'a proposal names no decider';
    if (history(now).some((h) => h?.status !== PROPOSED)) return 'a proposal records no decision in its history';
    return null;
  }
  if (now.status !== was.status) return `its status cannot go from ${String(was.status)} to ${String(now.status)}`;
  if (JSON.stringify(now.decidedBy ?? null) !== JSON.stringify(was.decidedBy ?? null) || JSON.stringify(now.decidedAt ?? null) !== JSON.stringify(was.decidedAt ?? null)) {
    return 'its decider and decision time cannot change';
  }
  const old = history(was);
  const appended = history(now).slice(old.length);
  if (JSON.stringify(history(now).slice(0, old.length)) !== JSON.stringify(old)) return 'its history can only grow';
  if (appended.some((h) => h?.status !== PROPOSED)) return 'its history cannot record a decision';
  return null;
}

function refusal(id: string, problem: string): Refusal {
  return { code: 'DECISION_AUTHORITY', message: `decision ${id}: ${problem}; only a director decides in this incident` };
}
