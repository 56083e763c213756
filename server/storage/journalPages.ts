import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DocName } from '../../shared/model/parts';
import type { DocumentStore, JournalRecord } from './documentStore';

/**
 * Records read per query: large enough to amortise the round trip, small enough that replaying
 * one page (tens of milliseconds on a large log) is all the event loop waits between turns.
 */
export const JOURNAL_PAGE = 1_000;

/**
 * Reads a document's journal up to `headSeq`, one page ahead of the caller, so the database
 * works while the previous page is replayed. Between pages the event loop gets a turn: SQLite
 * reads synchronously, so without it replaying a 100,000-record journal (the first timeline,
 * handover or export after a restart) would hold every socket of the node for seconds.
 */
export async function* journalPages(store: DocumentStore, doc: DocName, headSeq: number, fromSeq = 0): AsyncGenerator<JournalRecord[]> {
  let after = fromSeq;
  const read = (from: number) => (from < headSeq ? store.readJournal(doc, from, Math.min(JOURNAL_PAGE, headSeq - from)) : Promise.resolve([]));
  let next = read(after);
  for (let pages = 0; ; pages++) {
    // Read up to the head: done, without waiting for a turn (a warm replay reads one page).
    if (pages > 0 && after >= headSeq) return;
    if (pages > 0) await nextTurn();
    const page = await next;
    if (page.length === 0) return;
    after = page[page.length - 1]!.seq;
    next = read(after);
    yield page;
  }
}
