import { setImmediate as nextTurn } from 'node:timers/promises';
import * as Y from 'yjs';
import { DOC_PARTS, type DocPart, docName } from '../../shared/model/parts';
import type { IncidentState } from '../../shared/model/incident';
import type { TimelineEvent, TimelineKind } from '../../shared/timeline/events';
import { EventFilter, type TimelineFilter, TimelineFilterSchema } from '../../shared/timeline/filter';
import type { DocumentStore, JournalRecord } from '../storage/documentStore';
import { journalPages } from '../storage/journalPages';
import type { PartReplayer } from '../parts/replay/partReplayer';
import type { PartModule } from '../parts/partModule';
import { declareRoots, partModule, registeredParts } from '../parts/registry';
import { hasDeletes } from '../parts/log/itemPositions';
import { mergeByTime } from './mergeByTime';
import { withAuthorNames } from './authors';
import { readStateOf, stateAt } from './stateAt';
import { MergedTimeline } from './mergedTimeline';
import { type ChainProblem, ChainChecker } from '../evidence/chainChecker';
import { logIndexOf, parseLogAhead } from '../parts/log/logIndex';
import type { LogEntry } from '../../shared/model/log';

/** Incidents kept replayed: the few a cell is drafting and handing over at the same time. */
const INCIDENTS_KEPT = 4;
/** Every event: the cache replays once for all filters, each answer filters what it needs. */
const EVERYTHING = new EventFilter(TimelineFilterSchema.parse({}));

/** One document's replay, as far as `seq`. */
interface PartReplay {
  module: PartModule;
  replayer: PartReplayer;
  seq: number;
  hash: string;
  events: TimelineEvent[];
  /** The same events by kind, each list in time order: a question about one kind (the verifications up to a time) reads its list alone. */
  byKind: Map<TimelineKind, TimelineEvent[]>;
  /** The document's hash chain, checked record by record as they are replayed (as openTimeline does). */
  checker: ChainChecker;
}

/** One served document applied to a Y.Doc as far as `seq`; `lastAtMs`: the latest record time in it. */
interface DocReplay {
  doc: Y.Doc;
  seq: number;
  lastAtMs: number;
}

interface IncidentReplay {
  parts: PartReplay[];
  docs: Map<DocPart, DocReplay>;
  /** The state but the log last read from `docs`, and the seqs it was read at: read again only after new records. */
  state: { seqs: string; value: StateButLog } | null;
  /** Every part's events in one time-ordered array (made on the first windowed question). */
  merged?: MergedTimeline;
}

/**
 * Handover and report drafts ask the journal the same questions again and again: the timeline
 * of a window, the incident as it stood at a time. Replaying a 100,000-entry journal for each
 * answer costs seconds; this keeps each incident replayed up to the journal's head and, on the
 * next question, replays only the records committed since (checked to chain to the last one
 * replayed, else replayed again from the start). Answers are the same as a fresh replay's
 * (test/timeline/replayCache.test.ts).
 */
export class JournalReplayCache {
  private readonly incidents = new Map<string, IncidentReplay>();
  /** Per incident, the catch-up in progress: two questions never replay the same records twice. */
  private readonly running = new Map<string, Promise<IncidentReplay>>();

  constructor(private readonly store: DocumentStore) {}

  /** The incident's timeline as `openTimeline(store, incidentId, filter)` would give it (no extra sources, no author names). */
  async timeline(incidentId: string, filter: TimelineFilter): Promise<AsyncIterable<TimelineEvent[]>> {
    const replay = await this.caughtUp(incidentId);
    const compiled = new EventFilter(filter);
    // One kind asked: its own list (several kinds keep the parts' order between kinds at the same time).
    const only = filter.kinds.length === 1 ? filter.kinds[0]! : null;
    // Each part's events are in server-time order: the window is found by binary search, and only it is filtered.
    const streams = replay.parts.map((p) => slices(inWindow(only ? (p.byKind.get(only) ?? []) : p.events, compiled.fromMs, compiled.toMs), (e) => compiled.accepts(e)));
    return withAuthorNames(mergeByTime(streams), compiled, undefined);
  }

  /**
   * Every event of the incident's parts in time order, up to the journal's head (no extra
   * sources, no author names): what timeline windows are cut from; with the problems found in
   * the hash chains of the records replayed (each record is checked once, when it is replayed:
   * a record changed after that is found by the exports and `verify`, which read it all again).
   */
  async merged(incidentId: string): Promise<{ merged: MergedTimeline; problems: ChainProblem[] }> {
    const replay = await this.caughtUp(incidentId);
    replay.merged ??= new MergedTimeline();
    replay.merged.update(replay.parts.map((p) => p.events));
    return { merged: replay.merged, problems: replay.parts.flatMap((p) => (p.checker.problem ? [p.checker.problem] : [])) };
  }

  /** The incident as it stood at `at`, as `stateAt` gives it: from the kept documents when nothing later was replayed into them. */
  async stateAt(incidentId: string, at: Date): Promise<IncidentState> {
    const standing = await this.standingAt(incidentId, at);
    // A copy: callers may change what they are given.
    return { ...standing.state, log: structuredClone(standing.entries()) };
  }

  /**
   * The incident as it stood at `at` with its log by id, not copied: what a report draft reads
   * (tasks, decisions, the entries it lists) from a 100,000-entry incident. `state` is a copy.
   */
  async standingAt(incidentId: string, at: Date): Promise<StandingState> {
    const replay = await this.caughtUp(incidentId);
    // The last await: from here on the replayed documents are read as they stand, in one turn.
    await parseLogAhead(replay.docs.get('log')!.doc);
    const docs = DOC_PARTS.map((part) => replay.docs.get(part)!);
    if (docs.some((d) => d.lastAtMs > at.getTime())) {
      const { log, ...state } = await stateAt(this.store, incidentId, at);
      const byId = new Map(log.map((e) => [e.id, e]));
      return { state, entries: () => log, entry: (id) => byId.get(id) };
    }
    const seqs = docs.map((d) => d.seq).join(',');
    if (replay.state?.seqs !== seqs) replay.state = { seqs, value: readStateButLog(docs, incidentId, at) };
    const index = logIndexOf(docs[LOG_AT]!.doc);
    return { state: structuredClone(replay.state.value), entries: () => index.log.entries(), entry: (id) => index.get(id) };
  }

  private caughtUp(incidentId: string): Promise<IncidentReplay> {
    const previous = this.running.get(incidentId) ?? Promise.resolve(null);
    const run = previous.catch(() => null).then(() => this.catchUp(incidentId));
    this.running.set(incidentId, run);
    void run.catch(() => undefined).then(() => {
      if (this.running.get(incidentId) === run) this.running.delete(incidentId);
    });
    return run;
  }

  private async catchUp(incidentId: string): Promise<IncidentReplay> {
    let replay = this.incidents.get(incidentId);
    this.incidents.delete(incidentId);
    if (!replay) replay = { parts: await Promise.all(registeredParts().map((m) => this.freshPart(incidentId, m))), docs: new Map(), state: null };
    else replay.parts = await Promise.all(replay.parts.map((p) => this.extendPart(incidentId, p)));
    for (const part of DOC_PARTS) replay.docs.set(part, await this.extendDoc(incidentId, part, replay.docs.get(part)));
    // Most recently asked last: the first is the one to let go.
    this.incidents.set(incidentId, replay);
    for (const [id, old] of this.incidents) {
      if (this.incidents.size <= INCIDENTS_KEPT) break;
      for (const d of old.docs.values()) d.doc.destroy();
      this.incidents.delete(id);
    }
    return replay;
  }

  /** A part replayed from the start, as openTimeline does (with the part's read-ahead, if it has one). */
  private async freshPart(incidentId: string, module: PartModule): Promise<PartReplay> {
    const name = docName(incidentId, module.name as DocPart);
    const head = await this.store.journalHead(name);
    const replayer = module.timelineReplayer ? await module.timelineReplayer(EVERYTHING, () => journalPages(this.store, name, head.seq)) : module.replayer();
    const replay: PartReplay = { module, replayer, seq: 0, hash: '', events: [], byKind: new Map(), checker: new ChainChecker(name) };
    for await (const page of journalPages(this.store, name, head.seq)) this.applyPage(replay, page);
    replay.checker.finish(head);
    return replay;
  }

  private async extendPart(incidentId: string, replay: PartReplay): Promise<PartReplay> {
    const name = docName(incidentId, replay.module.name as DocPart);
    const head = await this.store.journalHead(name);
    // Nothing new (a document never written has no hash to compare).
    if (head.seq === replay.seq && (replay.seq === 0 || head.hash === replay.hash)) return replay;
    if (head.seq < replay.seq) return this.freshPart(incidentId, replay.module);
    const fresh: JournalRecord[] = [];
    for await (const page of journalPages(this.store, name, head.seq, replay.seq)) for (const r of page) fresh.push(r);
    // Not chained to what was replayed: start again. A part that reads deletes ahead (the log's
    // withdrawals) marked its earlier events by the deletes it knew: new deletes, start again too.
    if (fresh.length === 0 || fresh[0]!.prevHash !== replay.hash) return this.freshPart(incidentId, replay.module);
    if (replay.module.timelineReplayer && fresh.some((r) => hasDeletes(r.update))) return this.freshPart(incidentId, replay.module);
    this.applyPage(replay, fresh);
    replay.checker.finish(head);
    return replay;
  }

  private applyPage(replay: PartReplay, page: JournalRecord[]): void {
    for (const record of page) {
      replay.checker.check(record);
      for (const e of replay.replayer.apply(record, EVERYTHING)) {
        replay.events.push(e);
        const list = replay.byKind.get(e.kind);
        if (list) list.push(e);
        else replay.byKind.set(e.kind, [e]);
      }
    }
    const last = page[page.length - 1];
    if (last) {
      replay.seq = last.seq;
      replay.hash = last.hash;
    }
  }

  /** A served document brought up to its head (records applied one page per transaction, as stateAt does). */
  private async extendDoc(incidentId: string, part: DocPart, kept: DocReplay | undefined): Promise<DocReplay> {
    const name = docName(incidentId, part);
    const head = await this.store.journalHead(name);
    let replay = kept;
    if (!replay || head.seq < replay.seq) {
      replay?.doc.destroy();
      const doc = new Y.Doc();
      declareRoots(doc, partModule(part));
      replay = { doc, seq: 0, lastAtMs: -Infinity };
    }
    const target = replay;
    for await (const page of journalPages(this.store, name, head.seq, target.seq)) {
      target.doc.transact(() => {
        for (const r of page) {
          Y.applyUpdate(target.doc, r.update);
          target.lastAtMs = Math.max(target.lastAtMs, r.at.getTime());
        }
      });
      target.seq = page[page.length - 1]!.seq;
    }
    return target;
  }
}

/** An empty document in place of the log: readStateOf checks the other parts, the log is read through its kept index. */
const NO_LOG = new Y.Doc();
const LOG_AT = DOC_PARTS.indexOf('log');

type StateButLog = Omit<IncidentState, 'log'>;

/** The incident at a time, its log by id. */
export interface StandingState {
  state: StateButLog;
  /** The log's entries, in document order: shared with the cache, not to be changed. */
  entries(): LogEntry[];
  /** An entry of the log by id. */
  entry(id: string): LogEntry | undefined;
}

/** The state readStateOf gives, but the log: entries are read through the kept document's index, not parsed and copied per question. */
function readStateButLog(docs: DocReplay[], incidentId: string, at: Date): StateButLog {
  const { log: _empty, ...state } = readStateOf(docs.map((d, i) => (i === LOG_AT ? NO_LOG : d.doc)), incidentId, at);
  return state;
}

/** The events of a time-ordered list whose time is within [fromMs, toMs] (and a few around: the caller filters them again). */
function inWindow(events: TimelineEvent[], fromMs: number, toMs: number): TimelineEvent[] {
  const firstAtOrAfter = (ms: number) => {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Date.parse(events[mid]!.at) < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = Number.isFinite(fromMs) ? firstAtOrAfter(fromMs) : 0;
  const end = Number.isFinite(toMs) ? firstAtOrAfter(toMs + 1) : events.length;
  return start === 0 && end === events.length ? events : events.slice(start, end);
}

/** Events filtered between two turns of the event loop. */
const EVENT_SLICE = 5_000;

/**
 * A part's events that pass the filter, a slice at a time with the event loop turning in
 * between: a handover since the opening of a 100,000-entry incident walks them all. Only the
 * events there are now: a later catch-up appends to the same list.
 */
function slices(events: TimelineEvent[], accepts: (e: TimelineEvent) => boolean): AsyncGenerator<TimelineEvent[]> {
  // Taken now, not at the first pull (a generator's body starts then).
  const end = events.length;
  return (async function* () {
    for (let i = 0; i < end; i += EVENT_SLICE) {
      if (i > 0) await nextTurn();
      const slice: TimelineEvent[] = [];
      for (let k = i; k < Math.min(i + EVENT_SLICE, end); k++) if (accepts(events[k]!)) slice.push(events[k]!);
      if (slice.length > 0) yield slice;
    }
  })();
}

const caches = new WeakMap<DocumentStore, JournalReplayCache>();

/** The replay cache of a store (one per store: every answer from it shares the replays). */
export function replayCacheOf(store: DocumentStore): JournalReplayCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = new JournalReplayCache(store);
    caches.set(store, cache);
  }
  return cache;
}
