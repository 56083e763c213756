import type { PoolClient } from 'pg';
import { GENESIS_HASH, recordHashBytes } from '../chain';

const PAGE = 5_000;

interface LegacyRow {
  seq: string;
  at: Date;
  author: string;
  update_bytes: Buffer;
}

/**
 * Upgrades a journal created before records were hashed (same choice as SQLite, see
 * sqlite/migrate.ts and docs/TIMELINE.md): adds the hash columns, seals every existing record
 * and fills doc_heads.hash, noting in legacy_seals which records were sealed at upgrade. Runs
 * inside the migration transaction, under its advisory lock, with the UPDATE guard disabled for
 * the time of that transaction only (ALTER TABLE is transactional). Returns the records sealed.
 * Part of migration 2 ("hash-chain", postgres/migrations.ts); the column checks keep it
 * idempotent, as the baseline must be: a schema from before versions may be hashed already.
 */
export async function migratePostgresJournal(client: PoolClient, now: Date): Promise<number> {
  const { rows: present } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'doc_heads' AND column_name = 'hash'`,
  );
  const { rows: journalHash } = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'journal' AND column_name = 'hash'`,
  );
  if (Number(present[0]!.n) > 0 && Number(journalHash[0]!.n) > 0) return 0;
  await client.query('ALTER TABLE journal ADD COLUMN IF NOT EXISTS hash bytea, ADD COLUMN IF NOT EXISTS prev_hash bytea');
  await client.query('ALTER TABLE doc_heads ADD COLUMN IF NOT EXISTS hash bytea');

  const { rows: docs } = await client.query<{ doc: string }>('SELECT DISTINCT doc FROM journal WHERE hash IS NULL');
  if (docs.length === 0) return 0;
  await client.query('ALTER TABLE journal DISABLE TRIGGER journal_no_change');
  let sealed = 0;
  for (const { doc } of docs) {
    let prev: Buffer = Buffer.from(GENESIS_HASH, 'hex');
    let last = 0;
    for (;;) {
      const { rows } = await client.query<LegacyRow>('SELECT seq, at, author, update_bytes FROM journal WHERE doc = $1 AND seq > $2 ORDER BY seq LIMIT $3', [doc, last, PAGE]);
      if (rows.length === 0) break;
      const seqs: number[] = [];
      const hashes: Buffer[] = [];
      const prevs: Buffer[] = [];
      for (const row of rows) {
        const seq = Number(row.seq);
        const hash = recordHashBytes({ doc, seq, at: row.at, author: row.author, update: row.update_bytes }, prev);
        seqs.push(seq);
        hashes.push(hash);
        prevs.push(prev);
        prev = hash;
        last = seq;
      }
      await client.query(
        `UPDATE journal j SET hash = u.hash, prev_hash = u.prev_hash
         FROM unnest($2::bigint[], $3::bytea[], $4::bytea[]) AS u(seq, hash, prev_hash)
         WHERE j.doc = $1 AND j.seq = u.seq`,
        [doc, seqs, hashes, prevs],
      );
      sealed += rows.length;
    }
    await client.query('INSERT INTO doc_heads (doc, seq, hash) VALUES ($1, $2, $3) ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, hash = excluded.hash', [doc, last, prev]);
    await client.query('INSERT INTO legacy_seals (doc, through_seq, sealed_at) VALUES ($1, $2, $3) ON CONFLICT (doc) DO NOTHING', [doc, last, now]);
  }
  await client.query('ALTER TABLE journal ENABLE TRIGGER journal_no_change');
  return sealed;
}
