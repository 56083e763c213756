import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { z } from 'zod';
import { LogDoc } from '../shared/docs/logDoc';
import { docName } from '../shared/model/parts';
import { newId } from '../shared/model/ids';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';
import { seedAuthor, seedEntry } from './lib/seedLog';

export const SnapshotOptionsSchema = z
  .object({
    entries: z.coerce.number().int().min(1_000).max(1_000_000).default(100_000),
    rounds: z.coerce.number().int().min(1).max(20).default(3),
  })
  .strict();

/**
 * `npm run bench -- snapshot`: what a room's snapshot holds the event loop for on a large log
 * (`DocumentRoom.maybeSnapshot`, taken when the journal tail outgrows a quarter of the last
 * snapshot, and when a room closes). The same calls as the room, on the server's own SQLite
 * store: Yjs encoding the document, the snapshot's write (its commit runs SQLite's WAL checkpoint
 * too, the snapshot having grown the WAL past 1,000 pages), and the next journal append after it.
 * Each is synchronous on the event loop: every socket of the node waits for their sum.
 */
export async function runSnapshotBench(raw: Record<string, string>): Promise<object> {
  const opts = SnapshotOptionsSchema.parse(raw);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-snapshot-bench-'));
  const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
  try {
    const doc = new Y.Doc();
    const log = new LogDoc(doc);
    const start = Date.now() - opts.entries * 1000;
    for (let i = 0; i < opts.entries; i++) {
      doc.clientID = 1_000_000 + (i % 50) * 7919;
      doc.transact(() => log.array.insert(log.array.length, [JSON.stringify(seedEntry(i, start, seedAuthor(i % 50)))]));
    }
    const name = docName(newId(), 'log');
    const entry = new Y.Doc();
    const encodeMs: number[] = [];
    const writeMs: number[] = [];
    const nextAppendMs: number[] = [];
    let bytes = 0;
    for (let round = 1; round <= opts.rounds; round++) {
      let t = performance.now();
      const update = Y.encodeStateAsUpdate(doc);
      const stateVector = Y.encodeStateVector(doc);
      encodeMs.push(performance.now() - t);
      bytes = update.length;
      t = performance.now();
      await store.saveSnapshot(name, { seq: round, update, stateVector });
      writeMs.push(performance.now() - t);
      new LogDoc(entry).array.push([JSON.stringify(seedEntry(round, start, seedAuthor(0)))]);
      t = performance.now();
      await store.append(name, [{ author: 'bench', at: new Date(), update: Y.encodeStateAsUpdate(entry) }]);
      nextAppendMs.push(performance.now() - t);
    }
    return {
      bench: 'snapshot',
      storage: 'sqlite',
      entries: opts.entries,
      rounds: opts.rounds,
      snapshotMb: Math.round((bytes / 1_048_576) * 10) / 10,
      encodeMs: rounded(encodeMs),
      writeMs: rounded(writeMs),
      nextAppendMs: rounded(nextAppendMs),
    };
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function rounded(ms: number[]): number[] {
  return ms.map((v) => Math.round(v * 10) / 10);
}
