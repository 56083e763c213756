/** An update with no structs and no deletions, as Yjs encodes "nothing": [0, 0]. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
