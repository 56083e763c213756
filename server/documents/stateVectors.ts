import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** Union (per-client maximum) of state vectors, encoded as Yjs encodes them. */
export function mergeStateVectors(vectors: Uint8Array[]): Uint8Array {
  const merged = new Map<number, number>();
  for (const sv of vectors) {
    for (const [client, clock] of Y.decodeStateVector(sv)) {
      merged.set(client, Math.max(clock, merged.get(client) ?? 0));
    }
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, merged.size);
  for (const [client, clock] of [...merged].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

export function isEmptyStateVector(sv: Uint8Array): boolean {
  return sv.length === 0 || (sv.length === 1 && sv[0] === 0);
}
