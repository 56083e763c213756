import * as Y from 'yjs';
import type { Logger } from '../logger';
import { encodeTransactionUpdate } from './transactionUpdate';

/**
 * A client's update as it arrived, with what its structs cover (ClientUpdate.wholeSpans): per
 * client, the clocks from..to without a gap, and no deletes.
 */
export interface SentUpdate {
  bytes: Uint8Array;
  spans: ReadonlyMap<number, { from: number; to: number }>;
}

/**
 * Runs `apply` (a transaction made with `origin`) and captures the *effective* update: only what
 * was new to the document. A failure half-way is returned, not thrown: what Yjs integrated
 * before failing is in the document and must be journaled all the same.
 *
 * When `sent` is given and the document took all of it as new, in one transaction that deleted
 * nothing and with nothing else waiting to integrate, what the document gained is exactly the
 * sent update: its bytes are journaled as they are (copied, so a socket's buffer is not kept).
 * That is every log entry a member writes. Otherwise the bytes are written from the transaction
 * as Yjs would emit them (transactionUpdate.ts). The room never listens to Yjs's `'update'`:
 * Yjs then encodes every transaction whether or not its bytes are wanted, about 8 % of a flooded
 * node's CPU (docs/PERFORMANCE.md).
 */
export function applyCapturing(doc: Y.Doc, origin: unknown, apply: () => void, logger: Logger, name: string, sent?: SentUpdate): { effective: Uint8Array | null; failure: unknown } {
  let transaction: Y.Transaction | null = null;
  const capture = (tr: Y.Transaction) => {
    if (tr.origin === origin) transaction = tr;
  };
  // Remote records may legitimately wait here: one that arrived after a hole (a message lost
  // while the fan-out was down) until catch-up brings the missing record. Those must stay: their
  // seqs are marked as applied, so dropping them would lose other nodes' edits on this node.
  const hadPending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  doc.on('afterTransaction', capture);
  let failure: unknown = null;
  try {
    apply();
  } catch (err) {
    failure = err;
  } finally {
    doc.off('afterTransaction', capture);
  }
  // An inspected client update never leaves anything pending (the guard checks its dependencies
  // against what is integrated), so pending structs appearing now mean the guard missed one.
  const leftPending = !hadPending && (doc.store.pendingStructs !== null || doc.store.pendingDs !== null);
  if (leftPending) {
    logger.error({ doc: name }, 'an inspected update left pending structs; the guard missed a dependency');
    // Never keep them: they would integrate later under whoever sends the missing piece, unjournaled.
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
  }
  const tr: Y.Transaction | null = transaction;
  if (!tr) return { effective: null, failure };
  // Structs waiting before may have integrated with these: then the document gained more than was sent.
  const whole = sent !== undefined && failure === null && !hadPending && !leftPending && integratedWhole(tr, sent);
  return { effective: whole ? new Uint8Array(sent.bytes) : encodeTransactionUpdate(tr), failure };
}

/** Whether `tr` deleted nothing and moved each client of `sent` exactly over its span. */
function integratedWhole(tr: Y.Transaction, sent: SentUpdate): boolean {
  if (tr.deleteSet.clients.size > 0 || sent.spans.size === 0) return false;
  for (const [client, span] of sent.spans) {
    if ((tr.beforeState.get(client) ?? 0) !== span.from || (tr.afterState.get(client) ?? 0) !== span.to) return false;
  }
  return true;
}
