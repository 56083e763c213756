import type { InsertCheck, RecordedTimeWindow, Refusal } from '../partModule';

/**
 * Fields that say where a record lives and when it was written are the server's, not the
 * writer's (issue 13, item 1): a record's id is unique within its part and never reused
 * (`UPDATE_DUPLICATE_ID`; a record map put over an existing one is a removal, refused by the
 * part's rules as UPDATE_FORBIDDEN_DELETE), and its recorded time (`recordedAt`, `createdAt`) is
 * within `window` of the server's clock (`UPDATE_BAD_TIME`). Event times (`eventAt`, `dueAt`,
 * `foundAt`…) stay the writer's: they say when something happened, which may be long before.
 * The part-specific checks: the metadata's id (meta/index.ts), the log's entries (log/placement.ts).
 */
export function badTime(now: Date, window: RecordedTimeWindow, what: string, value: unknown): Refusal | null {
  const nowMs = now.getTime();
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isFinite(ms) && ms <= nowMs + window.aheadMs && ms >= nowMs - window.behindMs) return null;
  return {
    code: 'UPDATE_BAD_TIME',
    message: `${what} is the server's time: within ${Math.round(window.behindMs / 1000)} s before and ${Math.round(window.aheadMs / 1000)} s after its clock (${now.toISOString()}); when it happened goes in the event time`,
  };
}

export function duplicate(what: string): Refusal {
  return { code: 'UPDATE_DUPLICATE_ID', message: `${what}: this id is already used in this incident (ids are never reused)` };
}

/**
 * For a part whose records are a root map keyed by id (a record is created as a new map at its
 * key): each record created once per update, and a new record's `createdAt` the server's time.
 * One per update (it remembers the ids the update brings).
 */
export function recordPlacement(root: string, now: Date, window: RecordedTimeWindow): InsertCheck {
  const seen = new Set<string>();
  return (container, key, content) => {
    if (container.path[0] !== root || key === null) return null;
    if (container.path.length === 1 && content.kind === 'type') {
      // A record is created once: a second map at its key in the same update would replace the
      // first (and its provenance). A map put at an existing record's key is a removal of that
      // record, which the part's rules refuse (UPDATE_FORBIDDEN_DELETE) whatever the update.
      if (seen.has(key)) return duplicate(`record ${key}`);
      seen.add(key);
      return null;
    }
    // A new record's creation time (an existing record's is fixed: rules/authorFields.ts).
    if (container.path.length === 2 && key === 'createdAt' && container.live === null && content.kind === 'values') {
      return badTime(now, window, `${container.path[1]}.createdAt`, content.values[0]);
    }
    return null;
  };
}
