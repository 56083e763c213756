import type { DocName } from '../../shared/model/parts';
import type { DocumentStore, JournalRecord } from './documentStore';

/** Records read per query: large enough to amortise the round trip, small enough to stream. */
export const JOURNAL_PAGE = 2_000;

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
