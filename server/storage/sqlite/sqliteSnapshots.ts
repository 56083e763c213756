import type Database from 'better-sqlite3';
import type { DocName } from '../../../shared/model/parts';
import type { Snapshot } from '../documentStore';
import { bufferOf, bytesOf } from '../driverBytes';

/** Bytes of a snapshot written per transaction. */
export const SNAPSHOT_PART_BYTES = 1024 * 1024;

/**
 * Snapshots in the SQLite file, written a part at a time. better-sqlite3 holds the event loop
 * while it writes, and one 40 MB snapshot (a 100,000-entry log) took 0.2–0.6 s to write and sync
 * in one statement (`npm run bench -- snapshot`), during which every socket of the node waited.
 * Here each megabyte is its own transaction, a turn of the event loop apart, and the snapshot
 * becomes the document's only once every part is on disk: `snapshot_heads` names it, in a last
 * transaction that also drops the parts of older ones. Parts of a snapshot that never got its
 * head (a crash midway) are never read, and go with the next one.
 *
 * The `snapshots` table, one row per document, is what servers before schema version 8 read and
 * write: it is read here too, and the newer of the two wins. A document's row is deleted once it
 * has a newer snapshot in parts (23–27 ms for a 39 MB row, measured alone). A server downgraded
 * to an older version then loads that document from its whole journal: slower, and just as
 * complete.
 */
export class SqliteSnapshots {
  private readonly stmts;
  /** Per document, the last save asked for: saves of one document run one after the other. */
  private readonly saving = new Map<DocName, Promise<void>>();

  constructor(private readonly db: Database.Database) {
    this.stmts = {
      legacy: db.prepare<[string], { seq: number; update_bytes: Buffer; state_vector: Buffer }>('SELECT seq, update_bytes, state_vector FROM snapshots WHERE doc = ?'),
      head: db.prepare<[string], { seq: number; parts: number; state_vector: Buffer }>('SELECT seq, parts, state_vector FROM snapshot_heads WHERE doc = ?'),
      parts: db.prepare<[string, number, number], { bytes: Buffer }>('SELECT bytes FROM snapshot_parts WHERE doc = ? AND seq = ? AND idx < ? ORDER BY idx'),
      putPart: db.prepare('INSERT OR REPLACE INTO snapshot_parts (doc, seq, idx, bytes) VALUES (?, ?, ?, ?)'),
      setHead: db.prepare('INSERT INTO snapshot_heads (doc, seq, parts, state_vector) VALUES (?, ?, ?, ?) ON CONFLICT(doc) DO UPDATE SET seq = excluded.seq, parts = excluded.parts, state_vector = excluded.state_vector'),
      dropOlderParts: db.prepare('DELETE FROM snapshot_parts WHERE doc = ? AND seq < ?'),
      dropParts: db.prepare('DELETE FROM snapshot_parts WHERE doc = ? AND seq = ?'),
      dropLegacy: db.prepare('DELETE FROM snapshots WHERE doc = ?'),
    };
  }

  /** The document's newest complete snapshot, or null. */
  read(doc: DocName): Snapshot | null {
    const head = this.stmts.head.get(doc);
    const legacy = this.stmts.legacy.get(doc);
    if (head && (!legacy || head.seq >= legacy.seq)) {
      const parts = this.stmts.parts.all(doc, head.seq, head.parts);
      if (parts.length === head.parts) return { seq: head.seq, update: join(parts.map((p) => p.bytes)), stateVector: bytesOf(head.state_vector) };
    }
    return legacy ? { seq: legacy.seq, update: bytesOf(legacy.update_bytes), stateVector: bytesOf(legacy.state_vector) } : null;
  }

  /** Keeps `snapshot` unless the document already has a newer one; resolves once it is the document's, on disk. */
  save(doc: DocName, snapshot: Snapshot): Promise<void> {
    // One at a time per document (two rooms of one document, one closing as the other loads, may
    // both save): each starts once the one before is stored, and sees it.
    const before = this.saving.get(doc);
    const run = before ? before.then(() => this.write(doc, snapshot)) : this.write(doc, snapshot);
    const settled = run.catch(() => undefined);
    this.saving.set(doc, settled);
    void settled.then(() => {
      if (this.saving.get(doc) === settled) this.saving.delete(doc);
    });
    return run;
  }

  /** Resolves once no snapshot is being written (before the connection closes). */
  async settled(): Promise<void> {
    while (this.saving.size > 0) await Promise.all([...this.saving.values()]);
  }

  private async write(doc: DocName, snapshot: Snapshot): Promise<void> {
    if (this.newestSeq(doc) >= snapshot.seq) return;
    const bytes = snapshot.update;
    const parts = Math.max(1, Math.ceil(bytes.length / SNAPSHOT_PART_BYTES));
    // IMMEDIATE, as every write transaction on this connection: the commit thread writes to the same file.
    const putPart = this.db.transaction((idx: number) => {
      // Parts of this seq left by a crash midway go first: only this save's may follow.
      if (idx === 0) this.stmts.dropParts.run(doc, snapshot.seq);
      this.stmts.putPart.run(doc, snapshot.seq, idx, bufferOf(bytes.subarray(idx * SNAPSHOT_PART_BYTES, (idx + 1) * SNAPSHOT_PART_BYTES)));
    });
    for (let idx = 0; idx < parts; idx++) {
      if (idx > 0) await nextTurn();
      putPart.immediate(idx);
    }
    this.db
      .transaction(() => {
        // A snapshot as new written meanwhile by another connection (an older server's row) stays; these parts go.
        if (this.newestSeq(doc) >= snapshot.seq) {
          if (this.stmts.head.get(doc)?.seq !== snapshot.seq) this.stmts.dropParts.run(doc, snapshot.seq);
          return;
        }
        this.stmts.setHead.run(doc, snapshot.seq, parts, bufferOf(snapshot.stateVector));
        // Older only: a newer snapshot's parts may be on their way.
        this.stmts.dropOlderParts.run(doc, snapshot.seq);
        this.stmts.dropLegacy.run(doc);
      })
      .immediate();
  }

  private newestSeq(doc: DocName): number {
    return Math.max(this.stmts.head.get(doc)?.seq ?? 0, this.stmts.legacy.get(doc)?.seq ?? 0);
  }
}

/** After the I/O of this turn: the sockets' reads and writes go between two parts. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function join(parts: Buffer[]): Uint8Array {
  return parts.length === 1 ? bytesOf(parts[0]!) : bytesOf(Buffer.concat(parts));
}
