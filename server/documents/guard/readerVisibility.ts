import * as Y from 'yjs';
import { readerLooksAt } from '../../../shared/docs/reader';
import type { Container } from '../../parts/shape/containers';
import type { InsertedContent } from '../../parts/shape/partPolicy';
import type { PartModule, Refusal as GuardRefusal } from '../../parts/partModule';
import { onScratchCopy } from '../../parts/rules/scratchCopy';
import { applyAlone } from '../../parts/rules/updateAlone';

/**
 * Admission refuses what the shared reader (shared/docs/reader.ts) would not see (issue 13,
 * item 2). Yjs accepts an item anywhere its encoding points: a map key on the log's array, a
 * keyed value inside a decision's history list or a text, a record missing fields. The live
 * views, REST, `?at=`, handover and the SDK never show such content, while a reader of the raw
 * journal could: the cell and the evidence would differ. So every item an update adds must land
 * where the reader looks, and every record it touches must still read as a record.
 */
export function checkReaderSees(container: Container, key: string | null, content: InsertedContent): GuardRefusal | null {
  // Deleted content carries nothing to see (an item inserted and removed in one transaction).
  if (content.kind === 'deleted') return null;
  if (readerLooksAt(container.kind, key)) return null;
  const where = [...container.path, key ?? '[]'].join('.');
  return { code: 'UPDATE_INVISIBLE', message: `${where}: no reader looks there (${key === null ? 'a value without a key in a map' : `a key on a ${container.kind}`})` };
}

/**
 * Every record the update writes into must read as a whole afterwards: a record the reader
 * would drop, such as a task missing a required field, would be in the journal and in no view.
 * A record the server already reads stays readable under any update the guard admits (each
 * field is checked alone, a field is replaced but never removed, a record is never replaced),
 * so only the others are tried: first on a document holding this update alone (a new record's
 * fields all come with it; `applyAlone` stands in for its writer's earlier items, without which
 * Yjs would integrate nothing of a writer's second update, and says when that is not enough),
 * else on a scratch copy of the whole document, whose cost grows with the document. The real
 * document is left alone.
 */
export function checkRecordsRead(part: Pick<PartModule, 'name' | 'roots' | 'readRecord'>, doc: Y.Doc, bytes: Uint8Array, touched: ReadonlySet<string>): GuardRefusal | null {
  const read = part.readRecord;
  const root = part.roots[0]?.name;
  // Parts without keyed records (the log, the metadata) have no record to drop.
  if (read === null || root === undefined || touched.size === 0) return null;
  const unread = [...touched].filter((id) => read(doc, id) === null);
  if (unread.length === 0) return null;
  const refusal = (id: string): GuardRefusal => ({ code: 'UPDATE_INVISIBLE', message: `${part.name}.${id}: the record would not read as a whole (missing or inconsistent fields)` });
  const alone = new Y.Doc();
  let pending: string[];
  try {
    alone.getMap(root);
    const whole = applyAlone(alone, bytes, doc);
    // An id that ever had a value in the document (a removed record) is judged on the copy:
    // there, an entry of the update may land after the old one, or lose to it. So is every id
    // when part of the update could not integrate alone.
    const existing = doc.getMap(root)._map;
    pending = whole ? unread.filter((id) => existing.has(id) || !alone.getMap(root).has(id)) : unread;
    for (const id of unread) if (!pending.includes(id) && read(alone, id) === null) return refusal(id);
  } catch {
    // Yjs could not integrate it alone: judge it on the whole document (which refuses what cannot apply).
    pending = unread;
  } finally {
    alone.destroy();
  }
  if (pending.length === 0) return null;
  return onScratchCopy(doc, bytes, (scratch) => {
    for (const id of pending) if (read(scratch, id) === null) return refusal(id);
    return null;
  });
}
