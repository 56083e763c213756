import { setImmediate as nextTurn } from 'node:timers/promises';
import type * as Y from 'yjs';
import { LogDoc } from '../../../shared/docs/logDoc';
import type { LogEntry, Verification } from '../../../shared/model/log';
import { LOG_PAGE_MAX } from '../../../shared/protocol/logPage';

/**
 * A log document's entries by id and its amendment chains, kept as entries are appended: a
 * handover or a report draft of a 100,000-entry incident looks up the entries it lists and the
 * open alerts, instead of walking and mapping the whole log on every request. A transaction
 * that deletes (an entry withdrawn in its grace period) marks the index stale; the next
 * question rebuilds it from the document.
 */
export class LogIndex {
  private readonly byId = new Map<string, LogEntry>();
  /** Entry id → the ids of the entries that amend it. */
  private readonly amendedBy = new Map<string, string[]>();
  /** Chain root id → its effective (latest) version, for the chains whose effective version is an alert. */
  private readonly alertChains = new Map<string, LogEntry>();
  /** Entry id → the order it came in: the later of two versions recorded in the same millisecond wins, as in document order. */
  private readonly order = new Map<string, number>();
  /** The newest LOG_PAGE_MAX entries by time of writing, then document order, oldest first. */
  private newestKept: LogEntry[] = [];
  private stale = true;
  /** Bumped when a chain becomes, stays with a new version, or stops being an alert. */
  private alertsVersion = 0;
  /** The last open-alert list, and what it was computed from: a handover asks again without the alerts having changed. */
  private openCache: { version: number; verifications: number; list: ReadonlyArray<OpenAlert> } | null = null;

  constructor(readonly log: LogDoc) {
    log.onAppended((added, _origin, ids) => {
      if (!this.stale) added.forEach((e, i) => this.add(e, ids[i]));
    });
    log.doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.deleteSet.clients.size > 0) this.stale = true;
    });
  }

  get(id: string): LogEntry | undefined {
    this.fresh();
    return this.byId.get(id);
  }

  /** The next question rebuilds the index from the whole log (made, or a withdrawal since). */
  get needsRebuild(): boolean {
    return this.stale;
  }

  /** How many entries the log holds. */
  get size(): number {
    this.fresh();
    return this.order.size;
  }

  /** The newest `limit` entries (at most LOG_PAGE_MAX) by time of writing, then document order, oldest first. */
  newest(limit: number): LogEntry[] {
    this.fresh();
    return this.newestKept.slice(-Math.min(limit, LOG_PAGE_MAX));
  }

  /** The entries that correct `id` directly, in the order they came. */
  amendmentsOf(id: string): LogEntry[] {
    this.fresh();
    return (this.amendedBy.get(id) ?? []).flatMap((c) => this.byId.get(c) ?? []);
  }

  /**
   * The alerts still open: an alert is a chain (an entry and the amendments that correct it, or
   * correct those); its effective version is the latest one written. The chain is open when its
   * effective version is in the `alert` category and neither that version nor the original is
   * currently refuted. So an alert is closed by refuting it, or by amending it with a version of
   * another category ("alert lifted", posted as information). Oldest first.
   */
  openAlerts(): ReadonlyArray<OpenAlert> {
    this.fresh();
    const verifications = this.log.verificationArray.length;
    if (this.openCache?.version === this.alertsVersion && this.openCache.verifications === verifications) return this.openCache.list;
    const out: Array<OpenAlert & { rootOrder: number }> = [];
    for (const [rootId, effective] of this.alertChains) {
      const root = this.byId.get(rootId)!;
      const verification = this.log.currentVerification(effective);
      if (verification === 'refuted' || this.log.currentVerification(root) === 'refuted') continue;
      out.push({ entry: effective, verification, rootOrder: this.order.get(rootId)! });
    }
    // Ties (two alerts written in the same millisecond): the chain whose first entry came first.
    out.sort((a, b) => (a.entry.recordedAt < b.entry.recordedAt ? -1 : a.entry.recordedAt > b.entry.recordedAt ? 1 : a.rootOrder - b.rootOrder));
    const list = out.map(({ entry, verification }) => ({ entry, verification }));
    this.openCache = { version: this.alertsVersion, verifications, list };
    return list;
  }

  private fresh(): void {
    if (!this.stale) return;
    this.byId.clear();
    this.amendedBy.clear();
    this.alertChains.clear();
    this.order.clear();
    this.newestKept = [];
    this.alertsVersion++;
    for (const e of this.log.entries()) this.add(e);
    this.stale = false;
  }

  /** `where`: the entry's Yjs id, for one appended (a rebuild reads the entries in document order). */
  private add(e: LogEntry, where?: Y.ID): void {
    this.byId.set(e.id, e);
    this.order.set(e.id, this.order.size);
    this.keepIfNewest(e, where);
    if (e.amends && e.amends !== e.id) {
      const list = this.amendedBy.get(e.amends);
      if (list) list.push(e.id);
      else this.amendedBy.set(e.amends, [e.id]);
    }
    // Amendments that came before the entry they amend were chains of their own until now.
    for (const child of this.amendedBy.get(e.id) ?? []) if (this.alertChains.delete(child)) this.alertsVersion++;
    const root = this.rootOf(e.id);
    const effective = this.latestOf(root);
    if (effective.category === 'alert') {
      if (this.alertChains.get(root) !== effective) this.alertsVersion++;
      this.alertChains.set(root, effective);
    } else if (this.alertChains.delete(root)) this.alertsVersion++;
  }

  /**
   * Entries come mostly in time order: a new one usually goes at the end, else where it sorts.
   * Among entries of the same millisecond, where the document puts it (as every screen lists
   * them), else after them.
   */
  private keepIfNewest(e: LogEntry, where: Y.ID | undefined): void {
    const kept = this.newestKept;
    if (kept.length >= LOG_PAGE_MAX && e.recordedAt < kept[0]!.recordedAt) return;
    let at = kept.length;
    while (at > 0 && kept[at - 1]!.recordedAt > e.recordedAt) at--;
    let tied = at;
    while (tied > 0 && kept[tied - 1]!.recordedAt === e.recordedAt) tied--;
    if (tied < at && where) at = tied + (this.log.countBefore(e, where, kept.slice(tied, at)) ?? at - tied);
    kept.splice(at, 0, e);
    if (kept.length > LOG_PAGE_MAX) kept.shift();
  }

  /** The first entry of the chain `id` belongs to (an amendment of a missing entry is its own root). */
  private rootOf(id: string): string {
    if (!this.byId.get(id)?.amends) return id;
    let current = id;
    const seen = new Set<string>();
    for (let up = this.byId.get(current)?.amends; up && this.byId.has(up) && !seen.has(current); up = this.byId.get(current)?.amends) {
      seen.add(current);
      current = up;
    }
    return current;
  }

  /** The chain's latest version by `recordedAt` (ties: the one that came later). */
  private latestOf(rootId: string): LogEntry {
    let best = this.byId.get(rootId)!;
    if (!this.amendedBy.has(rootId)) return best;
    const seen = new Set<string>([rootId]);
    const stack = [...(this.amendedBy.get(rootId) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const e = this.byId.get(id);
      if (!e) continue;
      if (e.recordedAt > best.recordedAt || (e.recordedAt === best.recordedAt && this.order.get(e.id)! > this.order.get(best.id)!)) best = e;
      for (const next of this.amendedBy.get(id) ?? []) stack.push(next);
    }
    return best;
  }
}

export interface OpenAlert {
  entry: LogEntry;
  verification: Verification;
}

const views = new WeakMap<Y.Doc, LogDoc>();
const indexes = new WeakMap<Y.Doc, LogIndex>();

/**
 * One typed view per log document: its cache of parsed entries lasts as long as the document,
 * so reading a 100,000-entry log again (each handover) walks it without parsing it.
 */
export function logViewOf(doc: Y.Doc): LogDoc {
  let view = views.get(doc);
  if (!view) {
    view = new LogDoc(doc);
    views.set(doc, view);
  }
  return view;
}

/** The index of a log document, made on the first question and kept as long as the document. */
export function logIndexOf(doc: Y.Doc): LogIndex {
  let index = indexes.get(doc);
  if (!index) {
    index = new LogIndex(logViewOf(doc));
    indexes.set(doc, index);
  }
  return index;
}

/** Entries parsed between two turns of the event loop (a few milliseconds of work). */
const PARSE_SLICE = 2_000;

/**
 * Parses a log document's entries before its index is built from the whole log (the first
 * handover, report draft or page of newest entries after a restart), a slice at a time with the event loop turning in between, so
 * a 100,000-entry log does not hold every socket of the node for a second.
 */
export async function parseLogAhead(doc: Y.Doc): Promise<void> {
  // A kept index follows appends entry by entry: only a rebuild reads the whole log.
  if (!logIndexOf(doc).needsRebuild) return;
  await logViewOf(doc).parseAhead(PARSE_SLICE, () => nextTurn());
}
