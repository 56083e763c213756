import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JOURNAL_PAGE, journalPages } from '../../server/storage/journalPages';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { docName } from '../../shared/model/parts';
import { onTeardown } from '../helpers/testServer';

describe('reading a journal page by page', () => {
  test('reads every record once, in order, and gives the event loop a turn between pages (SQLite reads synchronously)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-pages-'));
    const store = new SqliteStore(path.join(dir, 'db.sqlite'));
    onTeardown(async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const doc = docName('pagesincident1', 'log');
    const total = JOURNAL_PAGE * 3 + 7;
    for (let i = 0; i < total; i += 500) {
      await store.append(doc, Array.from({ length: Math.min(500, total - i) }, (_, k) => ({ author: 'Alice', at: new Date(), update: Uint8Array.of(0, (i + k) % 256) })));
    }

    // What a replay would do: count the pages consumed before a callback queued on the event loop runs.
    const seqs: number[] = [];
    let pagesBeforeTurn = -1;
    setImmediate(() => {
      pagesBeforeTurn = seqs.length / JOURNAL_PAGE;
    });
    for await (const page of journalPages(store, doc, total)) for (const r of page) seqs.push(r.seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // The first page is consumed in the caller's turn; the next waits for the loop's turn.
    expect(pagesBeforeTurn).toBe(1);
    // From a seq on, and bounded by a head below the journal's end.
    const tail: number[] = [];
    for await (const page of journalPages(store, doc, JOURNAL_PAGE * 2, JOURNAL_PAGE + 5)) for (const r of page) tail.push(r.seq);
    expect(tail).toEqual(Array.from({ length: JOURNAL_PAGE - 5 }, (_, i) => JOURNAL_PAGE + 6 + i));
  });
});
