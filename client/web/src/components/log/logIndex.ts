import type { Severity } from '../../../../../shared/model/common';
import type { LogCategory, LogEntry, Verification } from '../../../../../shared/model/log';
import { fold } from '../common/fold';

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface LogIndex {
  /** Chronological by time of writing (then by order in the document). */
  entries: LogEntry[];
  byId: Map<string, LogEntry>;
  /** Original id → its corrections, oldest first. */
  amendments: Map<string, LogEntry[]>;
  authors: string[];
}

export function indexLog(raw: LogEntry[]): LogIndex {
  const entries = raw.map((e, i) => ({ e, i })).sort((a, b) => (a.e.recordedAt < b.e.recordedAt ? -1 : a.e.recordedAt > b.e.recordedAt ? 1 : a.i - b.i)).map((x) => x.e);
  const byId = new Map<string, LogEntry>();
  const amendments = new Map<string, LogEntry[]>();
  const authors = new Set<string>();
  for (const e of entries) {
    byId.set(e.id, e);
    authors.add(e.author);
    if (e.amends) {
      const list = amendments.get(e.amends);
      if (list) list.push(e);
      else amendments.set(e.amends, [e]);
    }
  }
  return { entries, byId, amendments, authors: [...authors].sort((a, b) => a.localeCompare(b)) };
}

const searchCache = new WeakMap<LogEntry, string>();
function searchable(e: LogEntry): string {
  let s = searchCache.get(e);
  if (s === undefined) {
    s = fold(`${e.text} ${e.source ?? ''} ${e.author} ${e.tags.join(' ')}`);
    searchCache.set(e, s);
  }
  return s;
}

export interface Filters {
  text: string;
  category: LogCategory | '';
  minSeverity: Severity | '';
  author: string;
  keyOnly: boolean;
  /** The entry's current state (its last verification record, else its own field). */
  verification: Verification | '';
}
export const NO_FILTERS: Filters = { text: '', category: '', minSeverity: '', author: '', keyOnly: false, verification: '' };

export function filtersActive(filters: Filters): boolean {
  return filters.text.trim() !== '' || filters.category !== '' || filters.minSeverity !== '' || filters.author !== '' || filters.keyOnly || filters.verification !== '';
}

/** The entries the filters let through, in the chosen order. */
export function filterLog(entries: LogEntry[], filters: Filters, verificationOf: (e: LogEntry) => Verification, newestFirst: boolean): LogEntry[] {
  const q = fold(filters.text.trim());
  const minRank = filters.minSeverity ? SEVERITY_RANK[filters.minSeverity] : -1;
  const list = filtersActive(filters)
    ? entries.filter(
        (e) =>
          (!filters.category || e.category === filters.category) &&
          SEVERITY_RANK[e.severity] >= minRank &&
          (!filters.author || e.author === filters.author) &&
          (!filters.keyOnly || e.key) &&
          (!filters.verification || verificationOf(e) === filters.verification) &&
          (!q || searchable(e).includes(q)),
      )
    : entries;
  return newestFirst ? [...list].reverse() : list;
}
