import { DOC_PARTS, type DocName, type DocPart, docName } from '../../shared/model/parts';
import type { TimelineEvent } from '../../shared/timeline/events';
import { EventFilter, type TimelineFilter } from '../../shared/timeline/filter';
import type { DocumentStore, JournalHead, JournalRecord } from '../storage/documentStore';
import { ChainChecker, type ChainProblem } from '../evidence/chainChecker';
import type { PartReplayer } from './replay/partReplayer';
import { LogReplayer, scanWithdrawals } from './replay/logReplay';
import { TasksReplayer } from './replay/tasksReplay';
import { DecisionsReplayer } from './replay/decisionsReplay';
import { MetaReplayer } from './replay/metaReplay';
import { RegulatoryReplayer } from './replay/regulatoryReplay';
import { ReportsReplayer } from './replay/reportsReplay';
import type { TimelineSource } from './sources';
import { mergeByTime } from './mergeByTime';
import { type DescribeAuthors, withAuthorNames } from './authors';

/** Records read per query: large enough to amortise the round trip, small enough to stream. */
export const JOURNAL_PAGE = 2_000;

export interface TimelineOptions {
  sources?: TimelineSource[];
  /** Names for author ids (accounts); without it, authors are printed as the journal has them. */
  describeAuthors?: DescribeAuthors;
  /** Called as records are replayed: done and total records of the incident's documents (one per part, DOC_PARTS). */
  onProgress?: (done: number, total: number) => void;
}

export interface TimelineRun {
  incidentId: string;
  /** Where each document's journal ended when the run started; the run replays exactly up to there. */
  heads: JournalHead[];
  totalRecords: number;
  events: AsyncIterable<TimelineEvent[]>;
  /** After `events` is exhausted: the first chain problem of each document, if any (every export also verifies). */
  problems(): ChainProblem[];
}

export function replayerFor(part: DocPart): PartReplayer {
  switch (part) {
    case 'meta':
      return new MetaReplayer();
    case 'log':
      return new LogReplayer();
    case 'tasks':
      return new TasksReplayer();
    case 'decisions':
      return new DecisionsReplayer();
    case 'reports':
      return new ReportsReplayer();
    case 'regulatory':
      return new RegulatoryReplayer();
  }
}

/** The heads of an incident's documents, one per part, in DOC_PARTS order. */
export async function incidentHeads(store: DocumentStore, incidentId: string): Promise<JournalHead[]> {
  return Promise.all(DOC_PARTS.map((part) => store.journalHead(docName(incidentId, part))));
}

/**
 * Reads a document's journal up to `headSeq`, one page ahead of the caller, so the database
 * works while the previous page is replayed.
 */
export async function* journalPages(store: DocumentStore, doc: DocName, headSeq: number, fromSeq = 0): AsyncGenerator<JournalRecord[]> {
  let after = fromSeq;
  const read = (from: number) => (from < headSeq ? store.readJournal(doc, from, Math.min(JOURNAL_PAGE, headSeq - from)) : Promise.resolve([]));
  let next = read(after);
  for (;;) {
    const page = await next;
    if (page.length === 0) return;
    after = page[page.length - 1]!.seq;
    next = read(after);
    yield page;
  }
}

/**
 * The timeline of an incident, replayed from its journal: each document's records in order
 * through its replayer, merged by server time with the extra sources. The chain of every
 * document is checked on the way, so an export also says whether its journal is intact.
 */
export async function openTimeline(store: DocumentStore, incidentId: string, filter: TimelineFilter, options: TimelineOptions = {}): Promise<TimelineRun> {
  const compiled = new EventFilter(filter);
  const heads = await incidentHeads(store, incidentId);
  const totalRecords = heads.reduce((n, h) => n + h.seq, 0);
  const checkers = heads.map((h) => new ChainChecker(h.doc));
  let done = 0;
  const progress = (n: number) => {
    done += n;
    options.onProgress?.(done, totalRecords);
  };

  async function* partEvents(index: number): AsyncGenerator<TimelineEvent[]> {
    const head = heads[index]!;
    const part = DOC_PARTS[index]!;
    // The log reads its deletes ahead, so each withdrawn entry's own event says it was withdrawn.
    const replayer = part === 'log' && compiled.wantsGroup('log') ? new LogReplayer(await scanWithdrawals(journalPages(store, head.doc, head.seq))) : replayerFor(part);
    const checker = checkers[index]!;
    for await (const page of journalPages(store, head.doc, head.seq)) {
      const out: TimelineEvent[] = [];
      for (const record of page) {
        checker.check(record);
        const events = replayer.apply(record, compiled);
        for (const e of events) out.push(e);
      }
      progress(page.length);
      if (out.length > 0) yield out;
    }
    checker.finish(head);
  }

  const streams = [...DOC_PARTS.map((_, i) => partEvents(i)), ...(options.sources ?? []).map((s) => s.events(incidentId, compiled))];
  return {
    incidentId,
    heads,
    totalRecords,
    events: withAuthorNames(mergeByTime(streams), compiled, options.describeAuthors),
    problems: () => checkers.flatMap((c) => (c.problem ? [c.problem] : [])),
  };
}
