import * as Y from 'yjs';

/** An update with no structs and no deletions, as Yjs encodes "nothing": [0, 0]. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

type DeleteRanges = Map<number, Array<{ clock: number; len: number }>>;

function deleteRanges(update: Uint8Array): DeleteRanges {
  const { ds } = Y.decodeUpdate(update) as unknown as { ds: { clients: DeleteRanges } };
  return ds.clients;
}

/**
 * Whether `diff` (what this copy has beyond the server's state vector) holds anything the server
 * lacks. Yjs puts a copy's whole delete set in every diff, so a copy that only ever received
 * still produces a non-empty one as soon as a field was overwritten; sending that would be a
 * write (refused, and audited, for a reader). Structs beyond the state vector are new; a
 * deletion is new unless the server's own delete set, which comes with every join reply
 * (`serverUpdates`), covers it.
 */
export function hasNewContent(diff: Uint8Array, serverUpdates: Uint8Array[]): boolean {
  if (isEmptyUpdate(diff)) return false;
  const { structs, ds } = Y.decodeUpdate(diff) as unknown as { structs: unknown[]; ds: { clients: DeleteRanges } };
  if (structs.length > 0) return true;
  if (ds.clients.size === 0) return false;
  const server = new Map<number, Array<{ clock: number; len: number }>>();
  for (const u of serverUpdates) {
    for (const [client, ranges] of deleteRanges(u)) server.set(client, [...(server.get(client) ?? []), ...ranges]);
  }
  for (const [client, ranges] of ds.clients) {
    const known = (server.get(client) ?? []).slice().sort((a, b) => a.clock - b.clock);
    for (const r of ranges) {
      // Walk the server's ranges (sorted) to see whether they cover [clock, clock + len).
      let reach = r.clock;
      for (const k of known) {
        if (k.clock > reach) break;
        reach = Math.max(reach, k.clock + k.len);
        if (reach >= r.clock + r.len) break;
      }
      if (reach < r.clock + r.len) return true;
    }
  }
  return false;
}
