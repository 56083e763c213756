import * as Y from 'yjs';

/**
 * Applies `update` to `doc` and returns the keys of the records (children of `root`) that the
 * transaction touched, including changes deep inside a record (a decision's history or
 * statement). Uses the transaction's own change set: no path computation, no full scan.
 */
export function applyAndCollect(doc: Y.Doc, root: Y.Map<unknown>, update: Uint8Array): Set<string> {
  const touched = new Set<string>();
  const collect = (tr: Y.Transaction): void => {
    for (const [type, keys] of tr.changed) {
      if ((type as unknown) === root) {
        for (const key of keys) if (key !== null) touched.add(key);
        continue;
      }
      const id = recordKeyOf(type, root);
      if (id !== null) touched.add(id);
    }
  };
  doc.on('afterTransaction', collect);
  try {
    Y.applyUpdate(doc, update);
  } finally {
    doc.off('afterTransaction', collect);
  }
  return touched;
}

/** The key under `root` of the record that contains `type`, or null when it is not inside `root`. */
function recordKeyOf(type: Y.AbstractType<Y.YEvent<Y.AbstractType<unknown>>>, root: Y.Map<unknown>): string | null {
  let item = type._item;
  while (item) {
    const parent = item.parent as unknown;
    if (parent === root) return item.parentSub;
    if (!(parent instanceof Y.AbstractType)) return null;
    item = (parent as Y.AbstractType<Y.YEvent<Y.AbstractType<unknown>>>)._item;
  }
  return null;
}
