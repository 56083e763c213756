import { sign, verify } from 'node:crypto';
import type { JournalHead, StoredCheckpoint } from '../storage/documentStore';
import { type CheckpointKey, keyIdOf, publicKeyFromRaw } from './checkpointKey';

/**
 * A checkpoint is the signed statement "document D had N records, the last one hashing to H,
 * at time T". Without it, an insider with database access could rewrite a record and recompute
 * every hash after it; with one exported off the machine (file or paper), the rewrite shows.
 *
 * What is signed is this exact UTF-8 text (also printed on paper, so it can be checked by
 * hand with any Ed25519 tool):
 *
 *   crisis-cell checkpoint v1
 *   document: <incident id>:<part>
 *   seq: <number of records>
 *   head: <hash of record seq, 64 hex digits>
 *   signed-at: <ISO 8601 UTC, milliseconds>
 *   key: <key id>
 */
export function checkpointText(c: Pick<StoredCheckpoint, 'doc' | 'seq' | 'head' | 'signedAt' | 'keyId'>): string {
  return ['crisis-cell checkpoint v1', `document: ${c.doc}`, `seq: ${c.seq}`, `head: ${c.head}`, `signed-at: ${c.signedAt.toISOString()}`, `key: ${c.keyId}`, ''].join('\n');
}

export function signCheckpoint(key: CheckpointKey, head: JournalHead, signedAt: Date): StoredCheckpoint {
  const unsigned = { doc: head.doc, seq: head.seq, head: head.hash, signedAt, keyId: key.keyId };
  const signature = sign(null, Buffer.from(checkpointText(unsigned), 'utf8'), key.privateKey);
  return { ...unsigned, publicKey: key.publicRaw.toString('base64'), signature: signature.toString('base64') };
}

/** Whether the signature is the one its own public key made over its own fields, and the key id names that key. */
export function checkpointSignatureValid(c: StoredCheckpoint): boolean {
  try {
    const raw = Buffer.from(c.publicKey, 'base64');
    if (keyIdOf(raw) !== c.keyId) return false;
    return verify(null, Buffer.from(checkpointText(c), 'utf8'), publicKeyFromRaw(raw), Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}
