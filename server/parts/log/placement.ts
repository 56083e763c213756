import * as Y from 'yjs';
import { ROOTS } from '../../../shared/model/parts';
import { parseJsonObject } from '../../../shared/model/common';
import { VERIFICATIONS_ROOT } from '../../../shared/model/verification';
import type { InsertCheck, RecordedTimeWindow } from '../partModule';
import { badTime, duplicate } from '../rules/placement';
import { observeAppended } from '../../../shared/docs/logDoc';

/**
 * A new log entry may not carry an id the log already has (or has had), nor two new entries
 * share one id in an update (`UPDATE_DUPLICATE_ID`), and its `recordedAt` is the server's time
 * (`UPDATE_BAD_TIME`, rules/placement.ts). One per update: it remembers the ids the update
 * brings, and counts in `count` the entries and verification records it adds, for the budgets.
 */
export function logPlacementRules(now: Date, window: RecordedTimeWindow, count: { records: number }): InsertCheck {
  const seen = new Set<string>();
  return (container, _key, content) => {
    const [root] = container.path;
    if (root === ROOTS.log && container.path.length === 1 && content.kind === 'values') {
      const known = container.live instanceof Y.Array ? logIds(container.live) : null;
      for (const raw of content.values) {
        const entry = parseJsonObject(raw);
        const id = entry?.id;
        if (typeof id !== 'string') continue; // the shape rules refuse it
        if (seen.has(id) || known?.has(id)) return duplicate(`log entry ${id}`);
        seen.add(id);
        count.records += 1;
        const late = badTime(now, window, `log entry ${id}: recordedAt`, entry?.recordedAt);
        if (late) return late;
      }
      return null;
    }
    if (root === VERIFICATIONS_ROOT && content.kind === 'values') count.records += content.values.length;
    return null;
  };
}

/**
 * Every id the live log has held since it was loaded, kept up to date by an observer: the check
 * runs for each entry of each update, and a scan of a 100,000-entry log would not do. Ids of
 * withdrawn entries stay in the set (never reused).
 */
const LOG_IDS = new WeakMap<Y.Array<unknown>, Set<string>>();

function logIds(log: Y.Array<unknown>): Set<string> {
  let ids = LOG_IDS.get(log);
  if (ids) return ids;
  const set = new Set<string>();
  const add = (raw: unknown) => {
    const id = typeof raw === 'string' ? parseJsonObject(raw)?.id : undefined;
    if (typeof id === 'string') set.add(id);
  };
  for (const raw of log.toArray()) add(raw);
  // From the transaction's state vectors, not `event.changes`: that walks the whole log at every update.
  observeAppended(log, (values) => values.forEach(add));
  LOG_IDS.set(log, set);
  ids = set;
  return ids;
}
