import { PART_ROOTS, ROOTS } from '../../../shared/model/parts';
import { readRecordOf } from '../../../shared/docs/reader';
import type { PartModule } from '../partModule';
import { recordAdmission } from '../rules/records';
import { reportsPolicy } from './policy';
import { checkSealedReports } from './sealed';
import { checkReportRules } from './reportRules';
import { ReportsReplayer } from './replay';

/** Situation reports: drafted together, sealed once published (sealed.ts), published by the rules of reportRules.ts. */
export const reportsPart: PartModule = {
  name: 'reports',
  roots: PART_ROOTS.reports,
  policy: reportsPolicy,
  seals: true,
  readRecord: (doc, id) => readRecordOf('reports', doc, id),
  admission: (ctx) =>
    recordAdmission(ROOTS.reports, { author: ['createdBy', 'publishedBy'] }, ctx, {
      check: (doc, bytes, update) => checkSealedReports(doc, bytes, update.touchedRecords) ?? checkReportRules(doc, bytes, ctx.displayName, new Date(), update.fieldWrites),
    }),
  replayer: () => new ReportsReplayer(),
};
