import * as Y from 'yjs';
import type { Logger } from '../logger';

/**
 * Runs `apply` (a transaction made with `origin`) and captures the *effective* update: only what
 * was new to the document, as Yjs reports it. A failure half-way is returned, not thrown: what
 * Yjs integrated before failing is in the document and must be journaled all the same.
 */
export function applyCapturing(doc: Y.Doc, origin: unknown, apply: () => void, logger: Logger, name: string): { effective: Uint8Array | null; failure: unknown } {
  let effective: Uint8Array | null = null;
  const capture = (update: Uint8Array, o: unknown) => {
    if (o === origin) effective = update;
  };
  // Remote records may legitimately wait here: one that arrived after a hole (a message lost
  // while the fan-out was down) until catch-up brings the missing record. Those must stay: their
  // seqs are marked as applied, so dropping them would lose other nodes' edits on this node.
  const hadPending = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  doc.on('update', capture);
  let failure: unknown = null;
  try {
    apply();
  } catch (err) {
    failure = err;
  } finally {
    doc.off('update', capture);
  }
  // An inspected client update never leaves anything pending (the guard checks its dependencies
  // against what is integrated), so pending structs appearing now mean the guard missed one.
  if (!hadPending && (doc.store.pendingStructs || doc.store.pendingDs)) {
    logger.error({ doc: name }, 'an inspected update left pending structs; the guard missed a dependency');
    // Never keep them: they would integrate later under whoever sends the missing piece, unjournaled.
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
  }
  return { effective, failure };
}
