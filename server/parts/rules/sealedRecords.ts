import * as Y from 'yjs';
import type { Refusal } from '../partModule';
import { onScratchCopy } from './scratchCopy';

export type Json = Record<string, unknown>;

/** Which records of a part's root map are sealed, and what may still change in them. */
export interface SealRule {
  /** The root map holding the records, keyed by id. */
  root: string;
  isSealed(record: Json): boolean;
  /** Null when the change from `was` to `now` is allowed, else why not. */
  compare(was: Json, now: Json): string | null;
  /** The refusal message, e.g. `decision <id> is sealed: <why>`. */
  refusal(id: string, why: string): string;
}

/**
 * Sealed records stay as they are whatever Yjs trick an update uses (an overwrite without a
 * declared delete, text edits, a removed and re-created record): the update is applied to a
 * scratch copy of the document and every sealed record compared before and after. Whatever the
 * encoding, what matters is the result. The copy is made only when the update reaches a sealed record.
 */
export function checkSealedRecords(doc: Y.Doc, update: Uint8Array, rule: SealRule, touched: ReadonlySet<string>): Refusal | null {
  const before = new Map<string, Json>();
  const root = doc.getMap<unknown>(rule.root);
  // Only the records the update reaches (the guard placed every item): a keystroke in a draft
  // does not copy the document because some other record is sealed.
  for (const id of touched) {
    const value = root.get(id);
    if (!(value instanceof Y.Map)) continue;
    const json = value.toJSON() as Json;
    if (rule.isSealed(json)) before.set(id, json);
  }
  if (before.size === 0) return null;
  return onScratchCopy(doc, update, (scratch) => {
    const after = scratch.getMap<unknown>(rule.root);
    for (const [id, was] of before) {
      const now = after.get(id);
      const problem = now instanceof Y.Map ? rule.compare(was, now.toJSON() as Json) : 'it can no longer be removed';
      if (problem) return { code: 'UPDATE_SEALED', message: rule.refusal(id, problem) };
    }
    return null;
  });
}

/** Nothing of the record may change: every key the same, none added or removed. */
export function frozen(was: Json, now: Json): string | null {
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (JSON.stringify(was[key]) !== JSON.stringify(now[key])) return `its ${key} can no longer change`;
  }
  return null;
}
