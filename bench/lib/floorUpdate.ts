import type * as Y from 'yjs';

/** The update one local change makes to `doc`: what a floor relay's client sends, as a provider would. */
export function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  try {
    change();
  } finally {
    doc.off('update', capture);
  }
  if (update === null) throw new Error('the change made no update');
  return update;
}
