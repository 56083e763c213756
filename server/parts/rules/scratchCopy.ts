import * as Y from 'yjs';
import { AppError } from '../../errors';

/**
 * Runs `inspect` on a copy of `doc` with `update` applied, so a rule can judge the result
 * whatever Yjs encoding the update used; the real document is left alone. An update Yjs cannot
 * integrate would fail on the real document too: refused as UPDATE_MALFORMED.
 */
export function onScratchCopy<T>(doc: Y.Doc, update: Uint8Array, inspect: (scratch: Y.Doc) => T): T {
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    try {
      Y.applyUpdate(scratch, update);
    } catch {
      throw new AppError('UPDATE_MALFORMED', 'the update could not be applied');
    }
    return inspect(scratch);
  } finally {
    scratch.destroy();
  }
}
