import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/**
 * Applies `update` to `doc` (a fresh document) as if each of its writers' earlier items were
 * there. Yjs integrates a writer's items only in clock order, so a writer's second update, alone
 * on an empty document, would integrate nothing: every item waits for clocks 0..n-1. Those
 * clocks are given first as garbage-collected placeholders (Yjs's own GC struct, which has no
 * parent and no content), and the update's items then integrate wherever they depend on nothing
 * else: a new record with its fields does. An item placed next to one of the placeholders (an
 * entry after its writer's previous one in an array, a field of a record the writer made
 * before) has no parent to land in and is dropped, as Yjs drops items next to collected ones:
 * callers must treat what is missing here as unknown, never as absent from the real document.
 */
export function applyAlone(doc: Y.Doc, update: Uint8Array): void {
  const placeholders = earlierClocks(Y.parseUpdateMeta(update).from);
  if (placeholders) Y.applyUpdate(doc, placeholders);
  Y.applyUpdate(doc, update);
}

/**
 * An update (format v1: docs of Yjs's encoding) holding one GC struct per writer, covering
 * clocks 0 up to where the writer's items in the update begin; null when they all begin at 0.
 */
function earlierClocks(from: Map<number, number>): Uint8Array | null {
  const gaps = [...from].filter(([, clock]) => clock > 0);
  if (gaps.length === 0) return null;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, gaps.length);
  for (const [client, clock] of gaps) {
    encoding.writeVarUint(e, 1); // structs of this writer
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 0); // first clock
    encoding.writeUint8(e, 0); // struct kind 0: GC
    encoding.writeVarUint(e, clock); // its length
  }
  encoding.writeVarUint(e, 0); // delete set: no writer
  return encoding.toUint8Array(e);
}
