import type * as Y from 'yjs';
import type { Severity } from '../../../../../shared/model/common';
import type { LogCategory, LogEntry, Verification } from '../../../../../shared/model/log';
import type { LogDoc } from '../../../../../shared/docs/logDoc';
import { fold } from '../common/fold';

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface LogIndex {
  /** Chronological by time of writing, then document order (the same on every screen, whatever order entries arrived in). */
  entries: LogEntry[];
  byId: Map<string, LogEntry>;
  /** Original id → its corrections, oldest first. */
  amendments: Map<string, LogEntry[]>;
  authors: string[];
  /** An entry is an exercise's inject (only an exercise's log holds any). */
  hasInjects: boolean;
  /** Grows at every change of the index: views memoise on it (the arrays change in place). */
  version: number;
}

/** The whole index at once, from entries in document order (the reference the live index must equal). */
export function indexLog(raw: LogEntry[]): LogIndex {
  const live = new LiveIndexState();
  live.rebuild(raw);
  return live.snapshot();
}

/** How many of `ties` (entries written in the same millisecond as `e`, which sits at `where`) come before it in the document; null when unknown. */
type TieRank = (e: LogEntry, where: Y.ID, ties: readonly LogEntry[]) => number | null;

/** The sorted state behind a LogIndex, kept up to date entry by entry. */
class LiveIndexState {
  constructor(private readonly tieRank: TieRank = () => null) {}

  entries: LogEntry[] = [];
  byId = new Map<string, LogEntry>();
  amendments = new Map<string, LogEntry[]>();
  private readonly order = new Map<LogEntry, number>();
  /** Where the entries inserted since the last rebuild sit in the document (the rebuilt ones are in document order already). */
  private readonly placed = new Map<LogEntry, Y.ID>();
  private readonly authorSet = new Set<string>();
  private authors: string[] = [];
  private nextOrder = 0;
  private hasInjects = false;
  version = 0;
  /** Grows at every rebuild: an incremental view made in another epoch starts again. */
  epoch = 0;
  /** Entries inserted since the last rebuild, in arrival order (what incremental views catch up on). */
  readonly inserted: LogEntry[] = [];

  rebuild(raw: LogEntry[]): void {
    this.entries = [];
    this.byId = new Map();
    this.amendments = new Map();
    this.order.clear();
    this.placed.clear();
    this.authorSet.clear();
    this.nextOrder = 0;
    this.hasInjects = false;
    this.inserted.length = 0;
    this.epoch += 1;
    const numbered = raw.map((e) => ({ e, i: this.nextOrder++ }));
    for (const { e, i } of numbered) this.order.set(e, i);
    numbered.sort((a, b) => (a.e.recordedAt < b.e.recordedAt ? -1 : a.e.recordedAt > b.e.recordedAt ? 1 : a.i - b.i));
    for (const { e } of numbered) {
      this.entries.push(e);
      this.note(e);
    }
    this.authors = [...this.authorSet].sort((a, b) => a.localeCompare(b));
    this.version += 1;
  }

  /** Inserts entries that arrived after the others (usually at the end: a binary search otherwise). */
  add(added: LogEntry[], ids: Y.ID[]): void {
    if (added.length === 0) return;
    const authorsBefore = this.authorSet.size;
    for (let i = 0; i < added.length; i++) {
      const e = added[i]!;
      if (this.byId.has(e.id) && this.byId.get(e.id) === e) continue;
      this.order.set(e, this.nextOrder++);
      this.placed.set(e, ids[i]!);
      this.entries.splice(this.positionOf(this.entries, e), 0, e);
      this.note(e);
      this.inserted.push(e);
    }
    if (this.authorSet.size !== authorsBefore) this.authors = [...this.authorSet].sort((a, b) => a.localeCompare(b));
    this.version += 1;
  }

  /**
   * Where `e` goes in a list sorted like the index. After every entry written before it; among
   * entries written in the same millisecond, where the document puts it (`tieRank`), else by
   * `order`: document order for the entries of a rebuild, order of arrival after.
   */
  positionOf(list: LogEntry[], e: LogEntry): number {
    const at = e.recordedAt;
    const last = list[list.length - 1];
    if (!last || last.recordedAt < at) return list.length;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.recordedAt < at) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < list.length && list[end]!.recordedAt === at) end++;
    if (end === lo) return lo;
    const ties = list.slice(lo, end).filter((x) => x !== e);
    const where = this.placed.get(e);
    const ranked = where ? this.tieRank(e, where, ties) : null;
    if (ranked !== null) return lo + ranked;
    const o = this.order.get(e) ?? Infinity;
    let k = lo;
    while (k < end && (this.order.get(list[k]!) ?? -1) < o) k++;
    return k;
  }

  private note(e: LogEntry): void {
    this.byId.set(e.id, e);
    if (e.inject !== undefined) this.hasInjects = true;
    this.authorSet.add(e.author);
    if (e.amends) {
      const list = this.amendments.get(e.amends);
      if (list) list.splice(this.positionOf(list, e), 0, e);
      else this.amendments.set(e.amends, [e]);
    }
  }

  snapshot(): LogIndex {
    return { entries: this.entries, byId: this.byId, amendments: this.amendments, authors: this.authors, hasInjects: this.hasInjects, version: this.version };
  }
}

/**
 * The index of one log document kept up to date as entries arrive: each transaction's new
 * entries are inserted where they sort (`LogDoc.onAppended`, O(new entries)), so a remote entry
 * in a 100,000-entry log costs a binary search, not a sort of the whole log. Entries are
 * immutable and corrections are new entries; a withdrawal (an entry deleted by its author
 * within the grace period) is the one change that removes anything: the index is rebuilt then.
 */
export class LiveLogIndex {
  private readonly state: LiveIndexState;
  private pending: LogEntry[] = [];
  private pendingIds: Y.ID[] = [];
  private stale = true;
  private last: LogIndex | null = null;

  constructor(readonly log: LogDoc) {
    this.state = new LiveIndexState((e, where, ties) => log.countBefore(e, where, ties));
    log.onAppended((added, _origin, ids) => {
      // A stale index is rebuilt from the document whole: nothing to keep (a first sync brings the whole log).
      if (this.stale) return;
      for (let i = 0; i < added.length; i++) {
        this.pending.push(added[i]!);
        this.pendingIds.push(ids[i]!);
      }
    });
    log.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.deleteSet.clients.size > 0 && tr.changedParentTypes.has(log.array as unknown as Y.AbstractType<Y.YEvent<Y.Array<unknown>>>)) this.stale = true;
    });
  }

  /** The index as of now: the same object as last time when nothing changed. */
  current(): LogIndex {
    if (this.stale) {
      this.stale = false;
      this.pending = [];
      this.pendingIds = [];
      this.state.rebuild(this.log.entries());
    } else if (this.pending.length > 0) {
      const [added, ids] = [this.pending, this.pendingIds];
      this.pending = [];
      this.pendingIds = [];
      this.state.add(added, ids);
    }
    if (this.last?.version !== this.state.version) this.last = this.state.snapshot();
    return this.last;
  }

  /** Rebuilds so far (an incremental view made before the last one starts again). */
  get epoch(): number {
    return this.state.epoch;
  }

  /** Entries inserted since the last rebuild, in arrival order. */
  get inserted(): readonly LogEntry[] {
    return this.state.inserted;
  }

  positionOf(list: LogEntry[], e: LogEntry): number {
    return this.state.positionOf(list, e);
  }
}

const liveIndexes = new WeakMap<LogDoc, LiveLogIndex>();

/** The one live index of a log document (every view of it shares the work). */
export function liveIndexOf(log: LogDoc): LiveLogIndex {
  let index = liveIndexes.get(log);
  if (!index) {
    index = new LiveLogIndex(log);
    liveIndexes.set(log, index);
  }
  return index;
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

/** The test of one entry against the filters. */
function matcher(filters: Filters, verificationOf: (e: LogEntry) => Verification): (e: LogEntry) => boolean {
  const q = fold(filters.text.trim());
  const minRank = filters.minSeverity ? SEVERITY_RANK[filters.minSeverity] : -1;
  return (e) =>
    (!filters.category || e.category === filters.category) &&
    SEVERITY_RANK[e.severity] >= minRank &&
    (!filters.author || e.author === filters.author) &&
    (!filters.keyOnly || e.key) &&
    (!filters.verification || verificationOf(e) === filters.verification) &&
    (!q || searchable(e).includes(q));
}

/** The entries the filters let through, in the chosen order. */
export function filterLog(entries: LogEntry[], filters: Filters, verificationOf: (e: LogEntry) => Verification, newestFirst: boolean): LogEntry[] {
  const list = filtersActive(filters) ? entries.filter(matcher(filters, verificationOf)) : entries;
  return newestFirst ? [...list].reverse() : list;
}

/**
 * The filtered entries of a live index, kept up to date: new entries are tested and inserted
 * one by one while the filters stay the same; a change of filters, of verifications (when
 * filtering on them) or a rebuild of the index filters the whole log again.
 */
export class LiveFilter {
  private key = '';
  private live: LiveLogIndex | null = null;
  private epoch = -1;
  private seen = 0;
  private list: LogEntry[] = [];

  /** Chronological; `verificationKey` changes when any entry's verification may have changed. */
  view(live: LiveLogIndex, index: LogIndex, filters: Filters, verificationOf: (e: LogEntry) => Verification, verificationKey: number): LogEntry[] {
    if (!filtersActive(filters)) return index.entries;
    const key = JSON.stringify(filters) + (filters.verification ? `|${verificationKey}` : '');
    const test = matcher(filters, verificationOf);
    if (key !== this.key || live !== this.live || live.epoch !== this.epoch) {
      this.key = key;
      this.live = live;
      this.epoch = live.epoch;
      this.list = index.entries.filter(test);
    } else {
      for (let i = this.seen; i < live.inserted.length; i++) {
        const e = live.inserted[i]!;
        if (test(e)) this.list.splice(live.positionOf(this.list, e), 0, e);
      }
    }
    this.seen = live.inserted.length;
    return this.list;
  }
}
