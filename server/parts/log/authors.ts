import { ROOTS } from '../../../shared/model/parts';
import { VERIFICATIONS_ROOT } from '../../../shared/model/verification';
import { parseJsonObject } from '../../../shared/model/common';
import type { InsertCheck } from '../partModule';
import { notYours } from '../rules/authorFields';
import type { VerificationRules } from './verificationRules';

/**
 * A log entry's `author` and a verification record's `by` name the sender; a verification
 * record's `at` and `entryId` must also hold (verificationRules.ts).
 */
export function logAuthorFields(displayName: string, verifications: VerificationRules): InsertCheck {
  return (container, _key, content) => {
    if (content.kind !== 'values' || container.path.length !== 1) return null;
    const [root] = container.path;
    if (root === ROOTS.log) {
      for (const raw of content.values) {
        // One parse for both checks: this runs for every entry of every update.
        const entry = parseJsonObject(raw);
        if (entry?.author !== displayName) return notYours(`a log entry must be written under your own name (${JSON.stringify(displayName)})`);
        // Only the server marks an entry as an exercise inject (server/exercise).
        if (entry.inject !== undefined) return notYours('only the exercise animation writes inject entries');
        if (typeof entry.id === 'string') verifications.noteEntry(entry.id);
      }
      return null;
    }
    if (root === VERIFICATIONS_ROOT) {
      for (const raw of content.values) {
        const record = parseJsonObject(raw);
        if (record?.by !== displayName) return notYours(`a verification change must be recorded under your own name (${JSON.stringify(displayName)})`);
        const problem = verifications.check(record, container.live);
        if (problem) return problem;
      }
    }
    return null;
  };
}
