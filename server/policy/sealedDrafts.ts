import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import type { GuardRefusal } from '../documents/guard/updateGuard';

type Json = Record<string, unknown>;

/**
 * A notification draft is sealed once sent: what went to the authority is what the record
 * keeps. Nothing of it may change, whatever the encoding of the update (an overwrite without a
 * declared delete, a replaced record): checked like sealed decisions, by applying the update to
 * a scratch copy and comparing every sent draft before and after. The copy is made only when a
 * sent draft exists. A correction is a new draft (a complementary notification).
 */
export function checkSealedDrafts(doc: Y.Doc, update: Uint8Array): GuardRefusal | null {
  const before = sentDrafts(doc);
  if (before.size === 0) return null;
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    try {
      Y.applyUpdate(scratch, update);
    } catch {
      return { code: 'UPDATE_MALFORMED', message: 'the update could not be applied' };
    }
    const root = scratch.getMap<unknown>(ROOTS.regulatory);
    for (const [id, was] of before) {
      const now = root.get(id);
      if (!(now instanceof Y.Map)) return sealed(id, 'it can no longer be removed');
      const json = now.toJSON() as Json;
      for (const key of new Set([...Object.keys(was), ...Object.keys(json)])) {
        if (JSON.stringify(was[key]) !== JSON.stringify(json[key])) return sealed(id, `its ${key} can no longer change`);
      }
    }
    return null;
  } finally {
    scratch.destroy();
  }
}

function sentDrafts(doc: Y.Doc): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [id, value] of doc.getMap<unknown>(ROOTS.regulatory).entries()) {
    if (!(value instanceof Y.Map)) continue;
    const json = value.toJSON() as Json;
    if (json.status === 'sent') out.set(id, json);
  }
  return out;
}

function sealed(id: string, why: string): GuardRefusal {
  return { code: 'UPDATE_SEALED', message: `draft ${id} was sent and is sealed: ${why}` };
}
