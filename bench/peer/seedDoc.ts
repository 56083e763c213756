import * as Y from 'yjs';
import { seedAuthor, seedEntry } from '../lib/seedLog';

/**
 * Fills a Y.Array with `entries` log entries as bench/lib/seedLog.ts seeds this server's log:
 * the same entries (JSON strings), one transaction each, by 50 writers in turn (each its own
 * Yjs client id), so the encoded document has the same structure on both sides.
 */
export function seedLogDoc(array: Y.Array<string>, entries: number, writers = 50): void {
  const doc = array.doc!;
  const start = Date.now() - entries * 1000;
  const clientIds = Array.from({ length: writers }, (_, i) => 1_000_000 + i * 7919);
  for (let i = 0; i < entries; i++) {
    const w = i % writers;
    doc.clientID = clientIds[w]!;
    const author = seedAuthor(w);
    doc.transact(() => array.insert(array.length, [JSON.stringify(seedEntry(i, start, author))]), author);
  }
}
