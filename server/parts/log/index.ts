import { PART_ROOTS, ROOTS } from '../../../shared/model/parts';
import type { PartModule } from '../partModule';
import { combineInsertChecks } from '../rules/combine';
import { logPolicy } from './policy';
import { logAuthorFields } from './authors';
import { logPlacementRules } from './placement';
import { VerificationRules } from './verificationRules';
import { LogReplayer, scanWithdrawals } from './replay';

/**
 * The log: append-only entries and verification records. An entry may be withdrawn only by its
 * author within the grace period (server/policy/logGrace.ts); a verification record names an
 * entry of the log or of the same update.
 */
export const logPart: PartModule = {
  name: 'log',
  roots: PART_ROOTS.log,
  policy: logPolicy,
  seals: false,
  readRecord: null,
  admission(ctx) {
    // One per update: it gathers the entries the update inserts, which its verification records may name.
    const verifications = new VerificationRules(ctx.now);
    const count = { records: 0 };
    return {
      checkInsert: combineInsertChecks(logAuthorFields(ctx.displayName, verifications), logPlacementRules(ctx.now, ctx.recordedTime, count)),
      judgeDelete(item, placement) {
        if (placement.container.path[0] !== ROOTS.log || ctx.ownerOf(item.id.client) !== ctx.userId) return null;
        if (ctx.recentLog.withinGrace(ctx.doc, item, ctx.userId)) return 'allow';
        return { code: 'UPDATE_SEALED', message: 'this log entry is sealed: post an amendment instead' };
      },
      check: () => verifications.finish(),
      // Entries and verification records added (an entry is never edited).
      created: () => count.records,
      admitted(update) {
        for (const [client, range] of update.added) ctx.recentLog.record(ctx.doc, client, range, ctx.userId);
      },
    };
  },
  replayer: () => new LogReplayer(),
  // The log reads its deletes ahead, so each withdrawn entry's own event says it was withdrawn.
  timelineReplayer: async (filter, journal) => (filter.wantsGroup('log') ? new LogReplayer(await scanWithdrawals(journal())) : new LogReplayer()),
};
