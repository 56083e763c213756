import { PART_ROOTS, ROOTS } from '../../../shared/model/parts';
import { readRecordOf } from '../../../shared/docs/reader';
import { DECISION_HISTORY_KEY } from '../../../shared/docs/decisionsDoc';
import type { InsertCheck, PartModule } from '../partModule';
import { notYours } from '../rules/authorFields';
import { recordAdmission } from '../rules/records';
import { decisionsPolicy } from './policy';
import { checkSealedDecisions } from './sealed';
import { checkDecisionAuthority } from './authority';
import { DecisionsReplayer } from './replay';

/** Each status change in a decision's history is recorded under the sender's name. */
function historyAuthors(displayName: string): InsertCheck {
  return (container, _key, content) => {
    if (content.kind !== 'values' || container.path.length !== 3 || container.path[2] !== DECISION_HISTORY_KEY) return null;
    for (const change of content.values) {
      if ((change as { by?: unknown } | null)?.by !== displayName) return notYours(`a status change must be recorded under your own name (${JSON.stringify(displayName)})`);
    }
    return null;
  };
}

/**
 * Decisions: sealed once approved (sealed.ts); a sender who may not decide only proposes
 * (authority.ts).
 */
export const decisionsPart: PartModule = {
  name: 'decisions',
  roots: PART_ROOTS.decisions,
  policy: decisionsPolicy,
  seals: true,
  readRecord: (doc, id) => readRecordOf('decisions', doc, id),
  admission: (ctx) =>
    recordAdmission(ROOTS.decisions, { author: ['createdBy', 'decidedBy'] }, ctx, {
      checkInsert: historyAuthors(ctx.displayName),
      check: (doc, bytes, update) => checkSealedDecisions(doc, bytes, update.touchedRecords) ?? (ctx.mayDecide ? null : checkDecisionAuthority(doc, bytes, update.touchedRecords)),
    }),
  replayer: () => new DecisionsReplayer(),
};
