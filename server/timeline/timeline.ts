import { type DocPart, docName } from '../../shared/model/parts';
import type { TimelineEvent } from '../../shared/timeline/events';
import { EventFilter, type TimelineFilter } from '../../shared/timeline/filter';
import type { DocumentStore, JournalHead } from '../storage/documentStore';
import { journalPages } from '../storage/journalPages';
import { ChainChecker, type ChainProblem } from '../evidence/chainChecker';
import type { PartReplayer } from '../parts/replay/partReplayer';
import { partModule, registeredParts } from '../parts/registry';
import type { TimelineSource } from './sources';
import { mergeByTime } from './mergeByTime';
import { type DescribeAuthors, withAuthorNames } from './authors';

// The journal is read page by page from the store; stateAt and regulatoryAtHead import it from here.
export { journalPages };

export interface TimelineOptions {
  sources?: TimelineSource[];
  /** Names for author ids (accounts); without it, authors are printed as the journal has them. */
  describeAuthors?: DescribeAuthors;
  /** Called as records are replayed: done and total records of the incident's documents. */
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

/** A fresh replayer of a part's journal (its module's, server/parts/). */
export function replayerFor(part: DocPart): PartReplayer {
  return partModule(part).replayer();
}

/** The heads of an incident's documents, one per served part, in journal head order (DOC_PARTS first). */
export async function incidentHeads(store: DocumentStore, incidentId: string): Promise<JournalHead[]> {
  return Promise.all(registeredParts().map((part) => store.journalHead(docName(incidentId, part.name as DocPart))));
}

/**
 * The timeline of an incident, replayed from its journal: each document's records in order
 * through its replayer, merged by server time with the extra sources. The chain of every
 * document is checked on the way, so an export also says whether its journal is intact.
 */
export async function openTimeline(store: DocumentStore, incidentId: string, filter: TimelineFilter, options: TimelineOptions = {}): Promise<TimelineRun> {
  const compiled = new EventFilter(filter);
  const parts = registeredParts();
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
    const part = parts[index]!;
    const replayer = part.timelineReplayer ? await part.timelineReplayer(compiled, () => journalPages(store, head.doc, head.seq)) : part.replayer();
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

  const streams = [...parts.map((_, i) => partEvents(i)), ...(options.sources ?? []).map((s) => s.events(incidentId, compiled))];
  return {
    incidentId,
    heads,
    totalRecords,
    events: withAuthorNames(mergeByTime(streams), compiled, options.describeAuthors),
    problems: () => checkers.flatMap((c) => (c.problem ? [c.problem] : [])),
  };
}
