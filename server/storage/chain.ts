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
 *
 * PostgreSQL hashes its appends itself (postgres/journalAppend.ts), in the transaction that
 * picks the seqs: the encoding stays here, cut around the seq and the previous hash
 * (`hashedHead`, `hashedBody`), and the database only joins the pieces.
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

type BodyFields = Pick<HashedFields, 'at' | 'author' | 'update'>;

/** Lowercase hex sha256 of one record chained to `prevHash` (hex). */
export function recordHash(fields: HashedFields, prevHash: string): string {
  return recordHashBytes(fields, Buffer.from(prevHash, 'hex')).toString('hex');
}

export function recordHashBytes(fields: HashedFields, prevHash: Uint8Array): Buffer {
  if (prevHash.byteLength !== HASH_BYTES) throw new Error(`prev hash must be ${HASH_BYTES} bytes`);
  // One buffer, one hash call: this runs for every record of every export and verification.
  const buf = Buffer.allocUnsafe(headLength(fields.doc) + 8 + bodyLength(fields) + fields.update.byteLength + HASH_BYTES);
  let o = writeHead(buf, 0, fields.doc);
  o = buf.writeBigUInt64BE(BigInt(fields.seq), o);
  o = writeBody(buf, o, fields);
  buf.set(fields.update, o);
  buf.set(prevHash, o + fields.update.byteLength);
  return createHash('sha256').update(buf).digest();
}

/** What a record's hash covers before its seq: the domain and the document's name. */
export function hashedHead(doc: string): Buffer {
  const buf = Buffer.allocUnsafe(headLength(doc));
  writeHead(buf, 0, doc);
  return buf;
}

/** What a record's hash covers between its seq and its update bytes: when, who, and how long. */
export function hashedBody(fields: BodyFields): Buffer {
  const buf = Buffer.allocUnsafe(bodyLength(fields));
  writeBody(buf, 0, fields);
  return buf;
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

function headLength(doc: string): number {
  return DOMAIN.length + 4 + Buffer.byteLength(doc, 'utf8');
}

function writeHead(buf: Buffer, at: number, doc: string): number {
  let o = DOMAIN.copy(buf, at);
  o = buf.writeUInt32BE(Buffer.byteLength(doc, 'utf8'), o);
  return o + buf.write(doc, o, 'utf8');
}

/** The body's length without the update bytes themselves, which follow it. */
function bodyLength(fields: BodyFields): number {
  return 8 + 4 + Buffer.byteLength(fields.author, 'utf8') + 4;
}

function writeBody(buf: Buffer, at: number, fields: BodyFields): number {
  let o = buf.writeBigInt64BE(BigInt(fields.at.getTime()), at);
  o = buf.writeUInt32BE(Buffer.byteLength(fields.author, 'utf8'), o);
  o += buf.write(fields.author, o, 'utf8');
  return buf.writeUInt32BE(fields.update.byteLength, o);
}
