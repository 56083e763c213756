import type { LogEntry } from '../../../shared/model/log';

/** Comparing the logs that nodes, SDK clients and pages hold at the end of a rolling upgrade. */

export function hasAll(entries: Array<{ id: string }>, ids: Set<string>): boolean {
  if (entries.length < ids.size) return false;
  const have = new Set(entries.map((e) => e.id));
  for (const id of ids) if (!have.has(id)) return false;
  return true;
}

export function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The log in the order the page lists it (oldest first by time of writing, then document order), as ids. */
export function expectedTail(entries: LogEntry[]): string[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.recordedAt < b.e.recordedAt ? -1 : a.e.recordedAt > b.e.recordedAt ? 1 : a.i - b.i))
    .map((x) => x.e.id);
}

/** Whether the rows a page drew are the last rows of `ordered`, in order (the list is anchored at its newest entry). */
export function isTailOf(drawn: string[], ordered: string[]): boolean {
  const start = ordered.length - drawn.length;
  return start >= 0 && drawn.every((id, i) => ordered[start + i] === id);
}
