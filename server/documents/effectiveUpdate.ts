import * as decoding from 'lib0/decoding';
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
 * A client's update made ready for applyCapturing: `apply` is Y.applyUpdate, and `sent`, asked
 * afterwards, offers the update's own bytes only if Yjs read every one of them. Yjs ignores
 * whatever follows the delete set; such bytes must never be journaled or passed on (they would
 * carry anything a member likes, up to the update's size limit, into the evidence and to every
 * screen).
 */
export function clientApplication(doc: Y.Doc, bytes: Uint8Array, spans: SentUpdate['spans'] | null, origin: unknown): { apply: () => void; sent: () => SentUpdate | null } {
  let readAll = false;
  return {
    apply: () => {
      const decoder = decoding.createDecoder(bytes);
      Y.readUpdate(decoder, doc, origin);
      readAll = decoder.pos === bytes.length;
    },
    sent: () => (readAll && spans ? { bytes, spans } : null),
  };
}

/**
 * Runs `apply` (a transaction made with `origin`) and captures the *effective* update: only what
 * was new to the document. A failure half-way is returned, not thrown: what Yjs integrated
 * before failing is in the document and must be journaled all the same.
 *
 * `sent`, asked once `apply` has run, is the client's update when its bytes may stand for what
 * the document gained (null when not, e.g. Yjs left bytes unread). If the document took all of
 * it as new as items, in one transaction that deleted nothing and with nothing else waiting to
 * integrate, what it gained is exactly the sent update: its bytes are journaled as they are
 * (copied, so a socket's buffer is not kept). That is every log entry a member writes.
 * Otherwise the bytes are written from the transaction as Yjs would emit them
 * (transactionUpdate.ts). The room never listens to Yjs's `'update'`: Yjs then encodes every
 * transaction whether or not its bytes are wanted, about 8 % of a flooded node's CPU
 * (docs/PERFORMANCE.md).
 */
export function applyCapturing(doc: Y.Doc, origin: unknown, apply: () => void, logger: Logger, name: string, sent?: () => SentUpdate | null): { effective: Uint8Array | null; failure: unknown } {
  let transaction: Y.Transaction | null = null;
  // Taken when the transaction begins, not when its observers run: an observer that throws
  // stops the others, and a transaction missed would leave its content in the document unjournaled.
  const capture = (tr: Y.Transaction) => {
    if (tr.origin === origin) transaction = tr;
  };
  // Remote records may legitimately wait here: one that arrived after a hole (a message lost
  // while the fan-out was down) until catch-up brings the missing record. Those must stay: their
  // seqs are marked as applied, so dropping them would lose other nodes' edits on this node.
  const hadPending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  doc.on('beforeTransaction', capture);
  let failure: unknown = null;
  try {
    apply();
  } catch (err) {
    failure = err;
  } finally {
    doc.off('beforeTransaction', capture);
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
  const whole = failure === null && !hadPending && !leftPending ? sent?.() : null;
  return { effective: whole && integratedWhole(tr, whole) ? new Uint8Array(whole.bytes) : encodeTransactionUpdate(tr), failure };
}

/**
 * Whether `tr` deleted nothing and moved each client of `sent` exactly over its span, and what
 * it stored there are items: an item Yjs cannot place (its right neighbour collected) is stored
 * as collected, and the sent bytes would then record an insertion the document never had.
 */
function integratedWhole(tr: Y.Transaction, sent: SentUpdate): boolean {
  if (tr.deleteSet.clients.size > 0 || sent.spans.size === 0) return false;
  for (const [client, span] of sent.spans) {
    if ((tr.beforeState.get(client) ?? 0) !== span.from || (tr.afterState.get(client) ?? 0) !== span.to) return false;
    const structs = tr.doc.store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, span.from); i < structs.length; i++) if (!(structs[i] instanceof Y.Item)) return false;
  }
  return true;
}
