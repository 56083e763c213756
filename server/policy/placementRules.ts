import * as Y from 'yjs';
import { ROOTS, type DocPart } from '../../shared/model/parts';
import { parseJsonObject } from '../../shared/model/common';
import { VERIFICATIONS_ROOT } from '../../shared/model/verification';
import type { GuardHooks, GuardRefusal } from '../documents/guard/updateGuard';

/** How far a recorded time may stray from the server's clock (issue 13, item 1). */
export interface RecordedTimeWindow {
  /** Ahead of the server's clock: the SDK writes on a server-corrected clock, so only drift. */
  aheadMs: number;
  /** Behind it: an edit made offline reaches the server late, but not days late. */
  behindMs: number;
}

/** Parts whose records are a root map keyed by id (a record is created as a new map at its key). */
const RECORD_PARTS: ReadonlySet<DocPart> = new Set<DocPart>(['tasks', 'decisions', 'reports', 'regulatory']);

/**
 * Fields that say where a record lives and when it was written are the server's, not the
 * writer's (issue 13, item 1):
 * - the metadata's `id` names the incident of the document it is in (`UPDATE_WRONG_PLACE`),
 *   since the incident list is derived from it;
 * - a record's id is unique within its part and never reused: a new log entry may not carry
 *   an id the log already has (or has had), nor two new records share one id in an update
 *   (`UPDATE_DUPLICATE_ID`; a record map put over an existing one is a removal, refused by the
 *   part's rules as UPDATE_FORBIDDEN_DELETE);
 * - a log entry's `recordedAt` and a new record's `createdAt` are within `window` of the
 *   server's clock (`UPDATE_BAD_TIME`). Event times (`eventAt`, `dueAt`, `foundAt`…) stay the
 *   writer's: they say when something happened, which may be long before.
 * One instance per update (it remembers the ids the update brings, and counts in `count` the
 * log entries and verification records it adds, for the budgets).
 */
export function placementHooks(part: DocPart, incidentId: string, now: Date, window: RecordedTimeWindow, count: { records: number } = { records: 0 }): NonNullable<GuardHooks['checkInsert']> {
  const seen = new Set<string>();
  const nowMs = now.getTime();
  const badTime = (what: string, value: unknown): GuardRefusal | null => {
    const ms = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isFinite(ms) && ms <= nowMs + window.aheadMs && ms >= nowMs - window.behindMs) return null;
    return {
      code: 'UPDATE_BAD_TIME',
      message: `${what} is the server's time: within ${Math.round(window.behindMs / 1000)} s before and ${Math.round(window.aheadMs / 1000)} s after its clock (${now.toISOString()}); when it happened goes in the event time`,
    };
  };
  return (container, key, content) => {
    const [root] = container.path;
    if (part === 'meta' && root === ROOTS.meta && container.path.length === 1 && key === 'id' && content.kind === 'values') {
      if (content.values[0] !== incidentId) return { code: 'UPDATE_WRONG_PLACE', message: `the metadata's id must be this incident's (${incidentId})` };
      return null;
    }
    if (part === 'log' && root === ROOTS.log && container.path.length === 1 && content.kind === 'values') {
      const known = container.live instanceof Y.Array ? logIds(container.live) : null;
      for (const raw of content.values) {
        const entry = parseJsonObject(raw);
        const id = entry?.id;
        if (typeof id !== 'string') continue; // the shape rules refuse it
        if (seen.has(id) || known?.has(id)) return duplicate(`log entry ${id}`);
        seen.add(id);
        count.records += 1;
        const late = badTime(`log entry ${id}: recordedAt`, entry?.recordedAt);
        if (late) return late;
      }
      return null;
    }
    if (part === 'log' && root === VERIFICATIONS_ROOT && content.kind === 'values') {
      count.records += content.values.length;
      return null;
    }
    if (RECORD_PARTS.has(part) && root === ROOTS[part] && key !== null) {
      if (container.path.length === 1 && content.kind === 'type') {
        // A record is created once: a second map at its key in the same update would replace the
        // first (and its provenance). A map put at an existing record's key is a removal of that
        // record, which the part's rules refuse (UPDATE_FORBIDDEN_DELETE) whatever the update.
        if (seen.has(key)) return duplicate(`record ${key}`);
        seen.add(key);
        return null;
      }
      // A new record's creation time (an existing record's is fixed: authorFields.ts).
      if (container.path.length === 2 && key === 'createdAt' && container.live === null && content.kind === 'values') {
        return badTime(`${container.path[1]}.createdAt`, content.values[0]);
      }
    }
    return null;
  };
}

function duplicate(what: string): GuardRefusal {
  return { code: 'UPDATE_DUPLICATE_ID', message: `${what}: this id is already used in this incident (ids are never reused)` };
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
  log.observe((event) => {
    for (const item of event.changes.added) for (const raw of item.content.getContent()) add(raw);
  });
  LOG_IDS.set(log, set);
  ids = set;
  return ids;
}
