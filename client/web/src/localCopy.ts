import * as Y from 'yjs';
import { IndexeddbPersistence, storeState } from 'y-indexeddb';
import { SERVER_ORIGIN } from '../../sdk/docSync';
import { clientsThatMayHaveAdded } from '../../../shared/docs/notedClients';

/** Items a server transaction adds from which its copy is written after the next paint, whole. */
const LARGE_SERVER_TRANSACTION = 1_000;

/** Items (clock units) a transaction added, from its state vectors (only under the ids it may add to, when noted). */
function itemsAdded(tr: Y.Transaction): number {
  let n = 0;
  for (const client of clientsThatMayHaveAdded(tr)) n += (tr.afterState.get(client) ?? 0) - (tr.beforeState.get(client) ?? 0);
  return n;
}

/**
 * The browser's copy of one document (y-indexeddb), which stores every update as it happens
 * (and has Yjs encode every transaction for that, its own load included, which it then skips),
 * but for a large server transaction (the join answer of a large document: 100,000 entries):
 * y-indexeddb's listener would have Yjs encode that transaction again (a second pass over the
 * whole log) and store it before the view can paint. Such a transaction is stored after the
 * next paint instead, as the document's whole state (`storeState`, which also compacts the
 * stored updates). What the server sent is durable there: a page closed before the copy is
 * written fetches it again at the next join. Local edits are never deferred (only what the
 * server sent is).
 */
export function openLocalCopy(name: string, doc: Y.Doc): IndexeddbPersistence {
  const store = new IndexeddbPersistence(name, doc);
  let scheduled = false;
  const onCleanup = (tr: Y.Transaction) => {
    // Called just before Yjs encodes the transaction for its 'update' listeners. The copy's own
    // load is never stored again by y-indexeddb: its listener would only make Yjs encode it.
    const own = tr.origin === store;
    if (store._destroyed || (!own && (tr.origin !== SERVER_ORIGIN || itemsAdded(tr) < LARGE_SERVER_TRANSACTION))) return;
    doc.off('update', store._storeUpdate);
    // Back once this synchronous run is over (the whole state written later covers it all).
    queueMicrotask(() => {
      if (!store._destroyed) doc.on('update', store._storeUpdate);
    });
    if (own || scheduled) return;
    scheduled = true;
    const write = () => {
      scheduled = false;
      if (!store._destroyed) void storeState(store, true).catch(() => undefined);
    };
    // After the frame that shows it (requestIdleCallback waits for the frame; a timeout where absent).
    if (typeof requestIdleCallback === 'function') requestIdleCallback(write, { timeout: 2_000 });
    else setTimeout(write, 200);
  };
  doc.on('afterTransactionCleanup', onCleanup);
  doc.on('destroy', () => doc.off('afterTransactionCleanup', onCleanup));
  const destroy = store.destroy;
  store.destroy = () => {
    doc.off('afterTransactionCleanup', onCleanup);
    return destroy();
  };
  return store;
}
