import { ROOTS } from '../../../shared/model/parts';
import { EncodedLogEntrySchema } from '../../../shared/model/log';
import { EncodedVerificationRecordSchema, VERIFICATIONS_ROOT } from '../../../shared/model/verification';
import type { PartPolicy } from '../shape/partPolicy';
import { checkValues, describe } from '../shape/checks';

/**
 * The log is append-only: plain entries in one array, verification records in a second one,
 * nothing ever deleted.
 */
export const logPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    if (container.path.length === 1 && container.path[0] === VERIFICATIONS_ROOT && container.kind === 'array') return checkValues(EncodedVerificationRecordSchema, content, where);
    if (container.path.length !== 1 || container.path[0] !== ROOTS.log || container.kind !== 'array') return `${where}: the log holds only its entries and verifications arrays`;
    return checkValues(EncodedLogEntrySchema, content, where);
  },
  checkDelete(container, key) {
    if (container.path[0] === VERIFICATIONS_ROOT) return `${describe(container, key)}: verification records are never deleted (record a new state)`;
    return `${describe(container, key)}: log entries are never deleted (post an amendment)`;
  },
};
