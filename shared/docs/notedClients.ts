import * as Y from 'yjs';

/**
 * Which client id a transaction may have added items under, noted on the transaction when it
 * opens, so that a reader of what it added need not walk every client id the document has.
 *
 * Yjs walks every client id ever seen several times per transaction (its state vectors before
 * and after, its merge of structs, its encoding for 'update' listeners: yjs/yjs#415), and a long
 * incident holds one id per page load that wrote: about 5,000 make each update cost milliseconds
 * (docs/PERFORMANCE.md). Those walks are Yjs's; ours is not needed when the transaction is known
 * whole and brings items of one id: one update of one writer applied alone, or one local edit.
 */
const NOTED = Symbol('the one client id that may add items');

/** Ids the caller did not give are read from the update only from this many on: below, the walk costs less (a few µs). */
const MANY_IDS = 256;
/** Nor from an update larger than this: reading its ids costs about what applying it does, next to which the walk is small. */
const NOTE_MAX_BYTES = 64 * 1024;

/**
 * `Y.applyUpdate(doc, update, origin)`, as one transaction noted with the one id the update
 * brings items under (`clients`: the ids, when the caller decoded them already). Applied plainly,
 * so walked, when another transaction is open (this one would be only part of it), when structs
 * held back from an earlier update could join in under other ids, and when the update brings
 * several writers: the walk then reports their entries in the order it always has.
 */
export function applyUpdateNoted(doc: Y.Doc, update: Uint8Array, origin: unknown, clients?: Iterable<number>): void {
  if (doc._transaction !== null || doc.store.pendingStructs !== null || (!clients && (doc.store.clients.size < MANY_IDS || update.byteLength > NOTE_MAX_BYTES))) {
    Y.applyUpdate(doc, update, origin);
    return;
  }
  const ids = [...(clients ?? Y.parseUpdateMeta(update).to.keys())];
  if (ids.length > 1) {
    Y.applyUpdate(doc, update, origin);
    return;
  }
  // local = false, as Y.applyUpdate's own transaction: observers see the same transaction.
  Y.transact(doc, (tr) => {
    note(tr, ids);
    Y.applyUpdate(doc, update, origin);
  }, origin, false);
}

/** Runs a local edit (items only under `doc.clientID`) as its own transaction, noted; inside another, as part of it. */
export function transactLocalNoted(doc: Y.Doc, edit: () => void): void {
  if (doc._transaction !== null) return edit();
  // Origin null and local, as Yjs opens a transaction for an edit made outside one.
  Y.transact(doc, (tr) => {
    note(tr, [doc.clientID]);
    edit();
  }, null, true);
}

/** The client ids `tr` may have added items under: the one noted on it, or else every id of the document. */
export function clientsThatMayHaveAdded(tr: Y.Transaction): Iterable<number> {
  return (tr.meta.get(NOTED) as number[] | undefined) ?? tr.afterState.keys();
}

/** Notes `ids` on a transaction nothing has changed yet (a 'beforeTransaction' listener could have). */
function note(tr: Y.Transaction, ids: number[]): void {
  if (tr.changed.size === 0 && tr.deleteSet.clients.size === 0) tr.meta.set(NOTED, ids);
}
