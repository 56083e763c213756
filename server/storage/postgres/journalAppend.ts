import type { PoolClient } from 'pg';
import type { DocName } from '../../../shared/model/parts';
import type { JournalRecord, NewRecord } from '../documentStore';
import { hashedBody, hashedHead } from '../chain';

/**
 * Migration 7 ("journal-append"): an append in one statement. The upsert on doc_heads takes the
 * row lock that orders appenders of one document across nodes; the seqs, the hashes (the pieces
 * of server/storage/chain.ts joined around the seq and the previous hash), the rows and the new
 * head then follow inside PostgreSQL, and the lock goes with the commit. Before, the lock was
 * held across two round trips to a node whose event loop was busy elsewhere, and the other
 * node's appends queued behind it.
 *
 * The OUT columns are prefixed so that they never shadow a column of the tables the body reads.
 */
export const POSTGRES_JOURNAL_APPEND = `
CREATE OR REPLACE FUNCTION journal_append(
  p_doc text, p_head bytea, p_bodies bytea[], p_updates bytea[], p_at timestamptz[], p_authors text[]
) RETURNS TABLE (out_first_seq bigint, out_prev_hash bytea, out_hashes bytea[]) LANGUAGE plpgsql AS $$
DECLARE
  n_records integer := cardinality(p_updates);
  last_seq  bigint;
  prev      bytea;
  hashes    bytea[] := ARRAY[]::bytea[];
  prevs     bytea[] := ARRAY[]::bytea[];
BEGIN
  IF n_records IS NULL OR n_records = 0 OR cardinality(p_bodies) <> n_records OR cardinality(p_at) <> n_records OR cardinality(p_authors) <> n_records THEN
    RAISE EXCEPTION 'journal_append: % updates with % bodies, % times and % authors', n_records, cardinality(p_bodies), cardinality(p_at), cardinality(p_authors)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  INSERT INTO doc_heads AS h (doc, seq, hash) VALUES (p_doc, n_records, decode(repeat('00', 32), 'hex'))
    ON CONFLICT (doc) DO UPDATE SET seq = h.seq + excluded.seq
    RETURNING h.seq, h.hash INTO last_seq, prev;
  out_first_seq := last_seq - n_records + 1;
  out_prev_hash := coalesce(prev, decode(repeat('00', 32), 'hex'));
  prev := out_prev_hash;
  FOR i IN 1..n_records LOOP
    prevs[i] := prev;
    prev := sha256(p_head || int8send(out_first_seq + i - 1) || p_bodies[i] || p_updates[i] || prev);
    hashes[i] := prev;
  END LOOP;
  INSERT INTO journal (doc, seq, at, author, update_bytes, hash, prev_hash)
    SELECT p_doc, out_first_seq + r.n - 1, r.at, r.author, r.update_bytes, r.hash, r.prev_hash
    FROM unnest(p_at, p_authors, p_updates, hashes, prevs) WITH ORDINALITY AS r(at, author, update_bytes, hash, prev_hash, n);
  UPDATE doc_heads SET hash = prev WHERE doc = p_doc;
  out_hashes := hashes;
  RETURN NEXT;
END
$$;
`;

interface AppendedRow {
  out_first_seq: string;
  out_prev_hash: Buffer;
  out_hashes: Buffer[];
}

/**
 * Journals `records` with the next seqs of `doc`: one statement, so outside a transaction it is
 * its own, and its answer comes once committed. Inside the caller's transaction (a new
 * incident) it takes the head lock until that commit.
 */
export async function appendIn(client: Pick<PoolClient, 'query'>, doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
  const { rows } = await client.query<AppendedRow>('SELECT out_first_seq, out_prev_hash, out_hashes FROM journal_append($1, $2, $3, $4, $5, $6)', [
    doc,
    hashedHead(doc),
    records.map(hashedBody),
    records.map((r) => r.update),
    records.map((r) => r.at),
    records.map((r) => r.author),
  ]);
  const row = rows[0]!;
  const first = Number(row.out_first_seq);
  let prevHash = row.out_prev_hash.toString('hex');
  return records.map((r, i) => {
    const hash = row.out_hashes[i]!.toString('hex');
    const out = { doc, seq: first + i, at: r.at, author: r.author, update: r.update, hash, prevHash };
    prevHash = hash;
    return out;
  });
}
