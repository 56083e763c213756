import type * as Y from 'yjs';
import type { DocPart } from '../../../shared/model/parts';
import { readRecordOf, readerLooksAt } from '../../../shared/docs/reader';
import type { Container } from './containers';
import type { InsertedContent } from './partPolicy';
import type { GuardRefusal } from './updateGuard';
import { onScratchCopy } from './scratchCopy';

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
 * Every record the update writes into must read as a whole afterwards (tried on a scratch copy;
 * the real document is left alone): a record the reader would drop, such as a task missing a
 * required field, would be in the journal and in no view.
 */
export function checkRecordsRead(part: DocPart, doc: Y.Doc, bytes: Uint8Array, touched: ReadonlySet<string>): GuardRefusal | null {
  if (part === 'log' || part === 'meta' || touched.size === 0) return null;
  return onScratchCopy(doc, bytes, (scratch) => {
    for (const id of touched) {
      if (readRecordOf(part, scratch, id) === null) return { code: 'UPDATE_INVISIBLE', message: `${part}.${id}: the record would not read as a whole (missing or inconsistent fields)` };
    }
    return null;
  });
}
