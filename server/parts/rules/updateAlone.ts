import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/**
 * Applies what `update` adds to `doc` onto `alone` (a fresh document), as if the document's
 * earlier items of each of its writers were there, and says whether all of it integrated.
 *
 * - Only what `doc` lacks is applied (`Y.diffUpdate` against its state vector): items at clocks
 *   the document already has are skipped there without being read, so a forged copy of them
 *   must not show here.
 * - Yjs integrates a writer's items in clock order only, so a writer's later update, alone,
 *   would integrate nothing. The document's clocks of each writer are given first as Yjs's own
 *   garbage-collected placeholders (no parent, no content); the update's items then integrate
 *   wherever they depend on nothing else: a new record with its fields does. An item placed next
 *   to a placeholder has no parent to land in and is dropped, as Yjs drops items next to
 *   collected ones (in the document it lands where that earlier item is, never in a new record).
 * - An item that needs another writer's item (or a dropped one's successor) waits; then false:
 *   `alone` may miss later items of that writer, and nothing may be concluded from it.
 */
export function applyAlone(alone: Y.Doc, update: Uint8Array, doc: Y.Doc): boolean {
  const fresh = Y.diffUpdate(update, Y.encodeStateVector(doc));
  const placeholders = documentClocks([...Y.parseUpdateMeta(fresh).from.keys()], doc);
  if (placeholders) Y.applyUpdate(alone, placeholders);
  Y.applyUpdate(alone, fresh);
  return alone.store.pendingStructs === null;
}

/**
 * An update (format v1: docs of Yjs's encoding) holding one GC struct per writer, covering
 * clocks 0 up to the document's state for it; null when the document has none of their items.
 */
function documentClocks(writers: number[], doc: Y.Doc): Uint8Array | null {
  const known = writers.map((client) => [client, Y.getState(doc.store, client)] as const).filter(([, clock]) => clock > 0);
  if (known.length === 0) return null;
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, known.length);
  for (const [client, clock] of known) {
    encoding.writeVarUint(e, 1); // structs of this writer
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 0); // first clock
    encoding.writeUint8(e, 0); // struct kind 0: GC
    encoding.writeVarUint(e, clock); // its length
  }
  encoding.writeVarUint(e, 0); // delete set: no writer
  return encoding.toUint8Array(e);
}
