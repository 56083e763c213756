import * as Y from 'yjs';
import { ROOTS } from '../../shared/model/parts';
import type { GuardRefusal } from '../documents/guard/updateGuard';

type Json = Record<string, unknown>;

/**
 * A published situation report is sealed: nothing in it may change any more (fields, sections,
 * nor the report's presence), whatever Yjs encoding an update uses. Checked like sealed
 * decisions: the update is applied to a scratch copy and every published report compared
 * before and after. The copy is made only when a published report exists.
 */
export function checkSealedReports(doc: Y.Doc, update: Uint8Array): GuardRefusal | null {
  const before = publishedReports(doc);
  if (before.size === 0) return null;
  const scratch = new Y.Doc();
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc));
    try {
      Y.applyUpdate(scratch, update);
    } catch {
      return { code: 'UPDATE_MALFORMED', message: 'the update could not be applied' };
    }
    const root = scratch.getMap<unknown>(ROOTS.reports);
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

function publishedReports(doc: Y.Doc): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const [id, value] of doc.getMap<unknown>(ROOTS.reports).entries()) {
    if (!(value instanceof Y.Map)) continue;
    if (value.get('status') === 'published') out.set(id, value.toJSON() as Json);
  }
  return out;
}

function sealed(id: string, why: string): GuardRefusal {
  return { code: 'UPDATE_SEALED', message: `report ${id} is published and sealed: ${why}` };
}
