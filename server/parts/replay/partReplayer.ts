import type { DocPart } from '../../../shared/model/parts';
import type { TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';

/**
 * Replays one document's journal, record by record, and says what each record changed as
 * timeline events. State always advances (a task created before `from` must be known when it
 * moves after it); only the events pass through the filter.
 */
export interface PartReplayer {
  /** The part's name (a part registered at run time too: server/parts/registry.ts). */
  readonly part: string;
  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[];
}

/** The fields every event of a journal record shares; `n` numbers the events of one record. */
export function eventBase(part: string, record: JournalRecord, n: number) {
  return {
    id: `${part}:${record.seq}:${n}`,
    at: record.at.toISOString(),
    eventAt: null as string | null,
    // Resolved to a name after replay (server/timeline/authors.ts); the id stays in authorId.
    author: record.author,
    authorId: record.author,
    // The events' type names the six parts the application knows; a part registered at run time is named as it is.
    ref: { part: part as DocPart, seq: record.seq, hash: record.hash },
  };
}

/** Keeps what the filter accepts, numbering events by their position in the record. */
export function keep(filter: EventFilter, events: TimelineEvent[]): TimelineEvent[] {
  return events.filter((e) => filter.accepts(e));
}
