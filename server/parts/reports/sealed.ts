import type * as Y from 'yjs';
import { ROOTS } from '../../../shared/model/parts';
import type { Refusal } from '../partModule';
import { type SealRule, checkSealedRecords, frozen } from '../rules/sealedRecords';

/** A published situation report is sealed: nothing in it may change any more (fields, sections, nor its presence). */
const PUBLISHED_REPORTS: SealRule = {
  root: ROOTS.reports,
  isSealed: (report) => report.status === 'published',
  compare: frozen,
  refusal: (id, why) => `report ${id} is published and sealed: ${why}`,
};

export function checkSealedReports(doc: Y.Doc, update: Uint8Array, touched: ReadonlySet<string>): Refusal | null {
  return checkSealedRecords(doc, update, PUBLISHED_REPORTS, touched);
}
