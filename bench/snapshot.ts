import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { z } from 'zod';
import { LogDoc } from '../shared/docs/logDoc';
import { docName, type DocName } from '../shared/model/parts';
import { DocumentRoom } from '../server/documents/room';
import { SnapshotCompactor } from '../server/documents/snapshotCompactor';
import { InProcessFanout } from '../server/fanout/inProcessFanout';
import { createLogger } from '../server/logger';
import { createMetrics } from '../server/metrics';
import type { Snapshot } from '../server/storage/documentStore';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';
import { seedAuthor, seedEntry, seedIncident } from './lib/seedLog';
import { watchStalls } from './lib/stallWatch';

export const SnapshotOptionsSchema = z
  .object({
    entries: z.coerce.number().int().min(1_000).max(1_000_000).default(100_000),
    rounds: z.coerce.number().int().min(1).max(20).default(2),
  })
  .strict();

/** Entries per record while the tail grows to the next snapshot. */
const PER_RECORD = 500;

/** The server's SQLite store, telling when a snapshot reaches it and when it is stored. */
class TimedStore extends SqliteStore {
  stored: (() => void) | null = null;
  writeMs: number[] = [];

  override async saveSnapshot(doc: DocName, snapshot: Snapshot): Promise<void> {
    const started = performance.now();
    await super.saveSnapshot(doc, snapshot);
    this.writeMs.push(performance.now() - started);
    this.stored?.();
  }
}

/**
 * `npm run bench -- snapshot`: what a room's snapshot of a large log costs the node's event loop
 * (`RoomSnapshots`: taken when the journal tail outgrows a quarter of the last snapshot, and when
 * a room closes). On the server's SQLite store, a log of `--entries` entries is seeded with its
 * snapshot; then, each round, a room writes records of 500 entries until its next snapshot is
 * due, stops writing, and the longest stall of the event loop is measured from the moment the
 * snapshot starts until it is stored, its start included (`offLoop`: built on the compactor's
 * thread, written a part per turn). Beside it, in the same round, what the same snapshot cost on the event loop before
 * (`onLoop`): Yjs encoding the live document, then one statement writing it.
 */
export async function runSnapshotBench(raw: Record<string, string>): Promise<object> {
  const opts = SnapshotOptionsSchema.parse(raw);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-snapshot-bench-'));
  const store = new TimedStore(path.join(dataDir, 'crisis-cell.db'));
  const compactor = new SnapshotCompactor();
  const logger = createLogger('silent', 'snapshot-bench');
  try {
    const name = docName(await seedIncident(store, opts.entries), 'log');
    const room = await DocumentRoom.load(name, { store, fanout: new InProcessFanout('snapshot-bench'), delivery: { update: () => undefined, awareness: () => undefined }, logger, metrics: createMetrics({ connections: () => 0, documents: () => 1 }).room, snapshots: compactor });
    const reference = new Database(path.join(dataDir, 'before.db'));
    reference.pragma('journal_mode = WAL');
    reference.pragma('synchronous = FULL');
    reference.exec('CREATE TABLE snapshots (doc TEXT PRIMARY KEY, seq INTEGER NOT NULL, update_bytes BLOB NOT NULL, state_vector BLOB NOT NULL)');
    const writeBefore = reference.prepare('INSERT INTO snapshots (doc, seq, update_bytes, state_vector) VALUES (?, ?, ?, ?) ON CONFLICT(doc) DO UPDATE SET seq = excluded.seq, update_bytes = excluded.update_bytes, state_vector = excluded.state_vector');
    const rounds: object[] = [];
    let written = opts.entries;
    const start = Date.now() - opts.entries * 1000;
    for (let round = 1; round <= opts.rounds; round++) {
      // Write until the room starts its snapshot (the compactor is asked), then nothing more.
      let begun = 0;
      let startMs = 0;
      const compact = compactor.compact.bind(compactor);
      compactor.compact = (base, tail) => {
        begun = performance.now();
        // Its synchronous part (the tail packed, the last snapshot copied to the thread) runs before the watcher below starts.
        const started = compact(base, tail);
        startMs = performance.now() - begun;
        return started;
      };
      const stored = new Promise<void>((resolve) => (store.stored = resolve));
      while (begun === 0) {
        const entries: string[] = [];
        for (let i = 0; i < PER_RECORD; i++, written++) entries.push(JSON.stringify(seedEntry(written, start, seedAuthor(written % 50))));
        // One push: each push walks Yjs's list to its end.
        await room.change('bench', (doc) => new LogDoc(doc).array.push(entries));
        await new Promise((resolve) => setImmediate(resolve));
      }
      const stall = watchStalls();
      await stored;
      const offLoop = { snapshotMs: Math.round(performance.now() - begun), startMs: round1(startMs), longestStallMs: Math.round(Math.max(startMs, stall.stop())), writeMs: round1(store.writeMs.at(-1)!) };
      compactor.compact = compact;

      // The same document's snapshot on the event loop, as before: encoding, then the write.
      const onLoop = room.read((doc) => {
        const t = performance.now();
        const update = Y.encodeStateAsUpdate(doc);
        const stateVector = Y.encodeStateVector(doc);
        return { update, stateVector, encodeMs: performance.now() - t };
      });
      // The one statement the store wrote it with before schema version 8, into a file of its own (its WAL does not weigh on the next round).
      const t = performance.now();
      writeBefore.run(name, room.seq, onLoop.update, onLoop.stateVector);
      const onLoopWriteMs = performance.now() - t;
      rounds.push({ round, entries: written, snapshotMb: Math.round((onLoop.update.length / 1_048_576) * 10) / 10, offLoop, onLoop: { encodeMs: round1(onLoop.encodeMs), writeMs: round1(onLoopWriteMs), longestStallMs: Math.round(onLoop.encodeMs + onLoopWriteMs) } });
    }
    await room.close();
    reference.close();
    // The process holds the room's document, the bench's copies and, while it works, the compactor's own copy.
    const memory = { peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
    return { bench: 'snapshot', storage: 'sqlite', seededEntries: opts.entries, perRecord: PER_RECORD, rounds, memory };
  } finally {
    await compactor.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
