import type * as Y from 'yjs';
import { ROOTS } from '../../../shared/model/parts';
import type { Refusal } from '../partModule';
import { type SealRule, checkSealedRecords, frozen } from '../rules/sealedRecords';

/**
 * A notification draft is sealed once sent: what went to the authority is what the record
 * keeps. A correction is a new draft (a complementary notification).
 */
const SENT_DRAFTS: SealRule = {
  root: ROOTS.regulatory,
  isSealed: (draft) => draft.status === 'sent',
  compare: frozen,
  refusal: (id, why) => `draft ${id} was sent and is sealed: ${why}`,
};

export function checkSealedDrafts(doc: Y.Doc, update: Uint8Array, touched: ReadonlySet<string>): Refusal | null {
  return checkSealedRecords(doc, update, SENT_DRAFTS, touched);
}
