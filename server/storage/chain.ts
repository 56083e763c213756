import { createHash } from 'node:crypto';

/**
 * The hash chain of a document's journal. Each record's hash covers its own fields and the hash
 * of the record before it, so changing, removing or reordering any record changes every hash
 * after it. The encoding is length-prefixed and documented in docs/TIMELINE.md, so anyone can
 * recompute it with another tool:
 *
 *   sha256( "crisis-cell/journal/v1" 0x00
 *           u32be(len doc)    doc (UTF-8)
 *           u64be(seq)
 *           i64be(at, milliseconds since 1970-01-01T00:00:00Z)
 *           u32be(len author) author (UTF-8)
 *           u32be(len update) update bytes
 *           prev hash (32 bytes; 32 zero bytes for seq 1) )
 */
export const HASH_BYTES = 32;
export const GENESIS_HASH = '0'.repeat(HASH_BYTES * 2);
const DOMAIN = Buffer.from('crisis-cell/journal/v1\0', 'utf8');

export interface HashedFields {
  doc: string;
  seq: number;
  at: Date;
  author: string;
  update: Uint8Array;
}

/** Lowercase hex sha256 of one record chained to `prevHash` (hex). */
export function recordHash(fields: HashedFields, prevHash: string): string {
  return recordHashBytes(fields, Buffer.from(prevHash, 'hex')).toString('hex');
}

export function recordHashBytes(fields: HashedFields, prevHash: Uint8Array): Buffer {
  if (prevHash.byteLength !== HASH_BYTES) throw new Error(`prev hash must be ${HASH_BYTES} bytes`);
  const docLen = Buffer.byteLength(fields.doc, 'utf8');
  const authorLen = Buffer.byteLength(fields.author, 'utf8');
  const updateLen = fields.update.byteLength;
  // One buffer, one hash call: this runs for every record of every export and verification.
  const buf = Buffer.allocUnsafe(DOMAIN.length + 4 + docLen + 8 + 8 + 4 + authorLen + 4 + updateLen + HASH_BYTES);
  let o = DOMAIN.copy(buf, 0);
  o = buf.writeUInt32BE(docLen, o);
  o += buf.write(fields.doc, o, 'utf8');
  o = buf.writeBigUInt64BE(BigInt(fields.seq), o);
  o = buf.writeBigInt64BE(BigInt(fields.at.getTime()), o);
  o = buf.writeUInt32BE(authorLen, o);
  o += buf.write(fields.author, o, 'utf8');
  o = buf.writeUInt32BE(updateLen, o);
  buf.set(fields.update, o);
  o += updateLen;
  buf.set(prevHash, o);
  return createHash('sha256').update(buf).digest();
}

/** Hashes a batch that follows `prevHash`, in order: what an append stores beside each record. */
export function chainBatch<T extends HashedFields>(records: T[], prevHash: string): Array<T & { hash: string; prevHash: string }> {
  let prev = prevHash;
  return records.map((r) => {
    const hash = recordHash(r, prev);
    const out = { ...r, hash, prevHash: prev };
    prev = hash;
    return out;
  });
}
