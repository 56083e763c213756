import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, recordHashBytes } from '../../../server/storage/chain';

/**
 * A copy of a server's data folder, opened as an insider with file access would: through a raw
 * SQLite handle, after dropping the triggers that make the journal append-only.
 */
export function insiderCopy(dataDir: string, into: string): { dir: string; db: Database.Database } {
  fs.mkdirSync(into, { recursive: true });
  for (const f of fs.readdirSync(dataDir)) fs.copyFileSync(path.join(dataDir, f), path.join(into, f));
  const db = new Database(path.join(into, 'crisis-cell.db'));
  db.exec('DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete; DROP TRIGGER IF EXISTS journal_chained; DROP TRIGGER IF EXISTS checkpoints_no_update; DROP TRIGGER IF EXISTS checkpoints_no_delete;');
  return { dir: into, db };
}

/** Recomputes every hash of `doc`'s chain (and its head) as the documented algorithm says: a careful insider's cover-up. */
export function recomputeChain(db: Database.Database, doc: string): void {
  const rows = db.prepare<[string], { seq: number; at: number; author: string; update_bytes: Buffer }>('SELECT seq, at, author, update_bytes FROM journal WHERE doc = ? ORDER BY seq').all(doc);
  let prev: Buffer = Buffer.from(GENESIS_HASH, 'hex');
  const update = db.prepare('UPDATE journal SET hash = ?, prev_hash = ? WHERE doc = ? AND seq = ?');
  for (const r of rows) {
    const hash = recordHashBytes({ doc, seq: r.seq, at: new Date(r.at), author: r.author, update: r.update_bytes }, prev);
    update.run(hash, prev, doc, r.seq);
    prev = hash;
  }
  db.prepare('UPDATE doc_heads SET seq = ?, hash = ? WHERE doc = ?').run(rows.at(-1)!.seq, prev, doc);
}
