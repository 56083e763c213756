import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * The update Yjs would emit for `tr` as its `'update'` event (V1), written from the transaction
 * once it has been cleaned up, or null when it changed nothing. It is Yjs's own
 * `writeUpdateMessageFromTransaction` (yjs 13.6, not exported) step for step: the structs each
 * client added since `tr.beforeState`, highest client first, then the transaction's delete set.
 * Listening to `'update'` makes Yjs encode every transaction of the document whether or not the
 * bytes are wanted; the room asks for them only when it cannot journal the client's own
 * (`effectiveUpdate.ts`). test/documents/transactionUpdate.test.ts compares the bytes with Yjs's.
 *
 * One difference in when: Yjs writes right after this transaction's cleanup, the room once every
 * transaction its call started is cleaned up. They differ only if an observer opened another
 * transaction that changed what this one added (the content would read as deleted here); no
 * observer of the server's documents writes to them.
 */
export function encodeTransactionUpdate(tr: Y.Transaction): Uint8Array | null {
  const store = tr.doc.store;
  const changed = [...tr.afterState].some(([client, clock]) => tr.beforeState.get(client) !== clock);
  if (tr.deleteSet.clients.size === 0 && !changed) return null;
  const encoder = new Y.UpdateEncoderV1();
  // Every client with structs past its state before the transaction (from 0 for a new one).
  const from = new Map<number, number>();
  for (const [client, clock] of tr.beforeState) if (Y.getState(store, client) > clock) from.set(client, clock);
  for (const client of store.clients.keys()) if (!tr.beforeState.has(client)) from.set(client, 0);
  encoding.writeVarUint(encoder.restEncoder, from.size);
  for (const [client, since] of [...from].sort((a, b) => b[0] - a[0])) {
    const structs = store.clients.get(client)!;
    const clock = Math.max(since, structs[0]!.id.clock);
    const first = Y.findIndexSS(structs, clock);
    encoding.writeVarUint(encoder.restEncoder, structs.length - first);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, clock);
    structs[first]!.write(encoder, clock - structs[first]!.id.clock);
    for (let i = first + 1; i < structs.length; i++) structs[i]!.write(encoder, 0);
  }
  // The delete set is sorted and merged by the transaction's cleanup, before its observers run.
  encoding.writeVarUint(encoder.restEncoder, tr.deleteSet.clients.size);
  for (const [client, items] of [...tr.deleteSet.clients].sort((a, b) => b[0] - a[0])) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, items.length);
    for (const item of items) {
      encoder.writeDsClock(item.clock);
      encoder.writeDsLen(item.len);
    }
  }
  return encoder.toUint8Array();
}
