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
  const doc = Buffer.from(fields.doc, 'utf8');
  const author = Buffer.from(fields.author, 'utf8');
  const fixed = Buffer.alloc(4 + 8 + 8);
  fixed.writeUInt32BE(doc.byteLength, 0);
  fixed.writeBigUInt64BE(BigInt(fields.seq), 4);
  fixed.writeBigInt64BE(BigInt(fields.at.getTime()), 12);
  const authorLen = Buffer.alloc(4);
  authorLen.writeUInt32BE(author.byteLength, 0);
  const updateLen = Buffer.alloc(4);
  updateLen.writeUInt32BE(fields.update.byteLength, 0);
  return createHash('sha256')
    .update(DOMAIN)
    .update(fixed.subarray(0, 4))
    .update(doc)
    .update(fixed.subarray(4))
    .update(authorLen)
    .update(author)
    .update(updateLen)
    .update(fields.update)
    .update(prevHash)
    .digest();
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

export function isHash(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
