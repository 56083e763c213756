import type Database from 'better-sqlite3';
import { GENESIS_HASH, recordHashBytes } from '../chain';

const PAGE = 5_000;

interface LegacyRow {
  seq: number;
  at: number;
  author: string;
  update_bytes: Buffer;
}

/**
 * Upgrades a file written before journal records were hashed: adds the hash columns, then seals
 * every existing record (computes its chained hash) and fills doc_heads, in the caller's
 * transaction, and notes in legacy_seals which records were sealed then. Sealing at upgrade
 * is a choice (docs/TIMELINE.md): the chain vouches for those records from the upgrade on, not
 * before, and the export and `verify` say so.
 *
 * Returns the number of records sealed. Part of migration 2 ("hash-chain", sqlite/migrations.ts),
 * before the triggers are (re)created; drops the UPDATE trigger of the old schema for the time of
 * the transaction. The column check keeps it idempotent, as the baseline must be: a file from
 * before schema versions may or may not have been hashed already.
 */
export function migrateSqliteJournal(db: Database.Database, now: Date): number {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(journal)').all();
  if (columns.some((c) => c.name === 'hash')) return 0;
  db.exec('ALTER TABLE journal ADD COLUMN hash BLOB; ALTER TABLE journal ADD COLUMN prev_hash BLOB;');
  const docs = db.prepare<[], { doc: string }>('SELECT DISTINCT doc FROM journal').all().map((r) => r.doc);
  if (docs.length === 0) return 0;

  db.exec('DROP TRIGGER IF EXISTS journal_no_update');
  const page = db.prepare<[string, number, number], LegacyRow>('SELECT seq, at, author, update_bytes FROM journal WHERE doc = ? AND seq > ? ORDER BY seq LIMIT ?');
  const seal = db.prepare('UPDATE journal SET hash = ?, prev_hash = ? WHERE doc = ? AND seq = ?');
  const head = db.prepare('INSERT INTO doc_heads (doc, seq, hash) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET seq = excluded.seq, hash = excluded.hash');
  const note = db.prepare('INSERT OR REPLACE INTO legacy_seals (doc, through_seq, sealed_at) VALUES (?, ?, ?)');
  let sealed = 0;
  for (const doc of docs) {
    let prev: Buffer = Buffer.from(GENESIS_HASH, 'hex');
    let last = 0;
    for (;;) {
      const rows = page.all(doc, last, PAGE);
      if (rows.length === 0) break;
      for (const row of rows) {
        const hash = recordHashBytes({ doc, seq: row.seq, at: new Date(row.at), author: row.author, update: row.update_bytes }, prev);
        seal.run(hash, prev, doc, row.seq);
        prev = hash;
        last = row.seq;
        sealed += 1;
      }
    }
    head.run(doc, last, prev);
    note.run(doc, last, now.getTime());
  }
  return sealed;
}
