import type * as Y from 'yjs';
import { ROOTS } from '../../../shared/model/parts';
import { DECISION_HISTORY_KEY } from '../../../shared/docs/decisionsDoc';
import type { DecisionStatus } from '../../../shared/model/decisions';
import type { Refusal } from '../partModule';
import { type Json, type SealRule, checkSealedRecords } from '../rules/sealedRecords';

/** Statuses after which a decision is sealed. */
const SEALED: readonly DecisionStatus[] = ['approved', 'superseded', 'revoked'];
/** The only ways a sealed decision still moves, each recorded in its history. */
const NEXT: Partial<Record<DecisionStatus, readonly DecisionStatus[]>> = { approved: ['superseded', 'revoked'], superseded: ['revoked'] };

/**
 * A decision is sealed once approved: nobody may change its fields or its statement, nor remove
 * it. The only change left is a status move to superseded or revoked, recorded by an appended
 * history entry.
 */
const APPROVED_DECISIONS: SealRule = {
  root: ROOTS.decisions,
  isSealed(decision) {
    const history = Array.isArray(decision[DECISION_HISTORY_KEY]) ? (decision[DECISION_HISTORY_KEY] as Json[]) : [];
    return SEALED.includes(decision.status as DecisionStatus) || history.some((h) => h?.status === 'approved');
  },
  compare,
  refusal: (id, why) => `decision ${id} is sealed: ${why}`,
};

export function checkSealedDecisions(doc: Y.Doc, update: Uint8Array, touched: ReadonlySet<string>): Refusal | null {
  return checkSealedRecords(doc, update, APPROVED_DECISIONS, touched);
}

function compare(was: Json, now: Json): string | null {
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (key === 'status' || key === DECISION_HISTORY_KEY) continue;
    if (JSON.stringify(was[key]) !== JSON.stringify(now[key])) return `its ${key} can no longer change`;
  }
  const oldHistory = (was[DECISION_HISTORY_KEY] as Json[] | undefined) ?? [];
  const newHistory = (now[DECISION_HISTORY_KEY] as Json[] | undefined) ?? [];
  if (JSON.stringify(newHistory.slice(0, oldHistory.length)) !== JSON.stringify(oldHistory)) return 'its history can only grow';
  const appended = newHistory.slice(oldHistory.length);
  const from = was.status as DecisionStatus;
  const to = now.status as DecisionStatus;
  if (appended.some((h) => !(NEXT.approved ?? []).includes(h?.status as DecisionStatus))) return 'only a move to superseded or revoked may be added to its history';
  if (from !== to) {
    if (!(NEXT[from] ?? []).includes(to)) return `its status cannot go from ${from} to ${to}`;
    if (!appended.some((h) => h?.status === to)) return `a move to ${to} must be recorded in its history`;
  } else if (appended.length > 0) {
    return 'its history cannot record a move its status does not show';
  }
  return null;
}
