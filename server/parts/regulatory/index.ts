import { PART_ROOTS, ROOTS } from '../../../shared/model/parts';
import { readRecordOf } from '../../../shared/docs/reader';
import type { PartModule } from '../partModule';
import { recordAdmission } from '../rules/records';
import { regulatoryPolicy } from './policy';
import { checkSealedDrafts } from './sealed';
import { RegulatoryReplayer } from './replay';

/** Notification drafts: sealed once sent (sealed.ts); a draft's kind is fixed at creation (a CNIL draft never becomes a NIS2 one). */
export const regulatoryPart: PartModule = {
  name: 'regulatory',
  roots: PART_ROOTS.regulatory,
  policy: regulatoryPolicy,
  seals: true,
  readRecord: (doc, id) => readRecordOf('regulatory', doc, id),
  admission: (ctx) =>
    recordAdmission(ROOTS.regulatory, { author: ['createdBy', 'sentBy'], fixed: ['kind'] }, ctx, {
      check: (doc, bytes, update) => checkSealedDrafts(doc, bytes, update.touchedRecords),
    }),
  replayer: () => new RegulatoryReplayer(),
};
