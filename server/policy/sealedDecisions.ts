import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import { DECISION_HISTORY_KEY } from '../../shared/docs/decisionsDoc';
import type { DecisionStatus } from '../../shared/model/decisions';
import type { GuardRefusal } from '../documents/guard/updateGuard';

/** Statuses after which a decision is sealed. */
const SEALED: readonly DecisionStatus[] = ['approved', 'superseded', 'revoked'];
/** The only ways a sealed decision still moves, each recorded in its history. */
const NEXT: Partial<Record<DecisionStatus, readonly DecisionStatus[]>> = { approved: ['superseded', 'revoked'], superseded: ['revoked'] };

type Json = Record<string, unknown>;

/**
 * A decision is sealed once approved: nobody may change its fields or its statement, nor remove
 * it, whatever Yjs trick an update uses (overwrites without a declared delete, text edits, a
 * replaced history). The only change left is a status move to superseded or revoked, recorded
 * by an appended history entry. Checked by applying the update to a scratch copy of the
 * document and comparing every sealed decision before and after: whatever the encoding, what
 * matters is the result. The copy is made only when a sealed decision exists.
 */
export function checkSealedDecisions(doc: Y.Doc, update: Uint8Array): GuardRefusal | null {
  const before = sealedDecisions(doc);
  if (before.size === 0) return null;
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    try {
      Y.applyUpdate(scratch, update);
    } catch {
      // Yjs could not integrate it: it would fail on the real document too. Refuse it untouched.
      return { code: 'UPDATE_MALFORMED', message: 'the update could not be applied' };
    }
    const root = scratch.getMap<unknown>(ROOTS.decisions);
    for (const [id, was] of before) {
      const now = root.get(id);
      if (!(now instanceof Y.Map)) return sealed(id, 'it can no longer be removed');
      const problem = compare(was, now.toJSON() as Json);
      if (problem) return sealed(id, problem);
    }
    return null;
  } finally {
    scratch.destroy();
  }
}

function sealedDecisions(doc: Y.Doc): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [id, value] of doc.getMap<unknown>(ROOTS.decisions).entries()) {
    if (!(value instanceof Y.Map)) continue;
    const json = value.toJSON() as Json;
    const history = Array.isArray(json[DECISION_HISTORY_KEY]) ? (json[DECISION_HISTORY_KEY] as Json[]) : [];
    if (SEALED.includes(json.status as DecisionStatus) || history.some((h) => h?.status === 'approved')) out.set(id, json);
  }
  return out;
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

function sealed(id: string, why: string): GuardRefusal {
  return { code: 'UPDATE_SEALED', message: `decision ${id} is sealed: ${why}` };
}
