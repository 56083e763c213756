import { ROOTS } from '../../../shared/model/parts';
import { RegulatoryDraftSchema, SENT_FIELDS } from '../../../shared/model/regulatory';
import type { PartPolicy } from '../shape/partPolicy';
import { checkField, checkRecordSlot, describe, ok } from '../shape/checks';

const draftFields = RegulatoryDraftSchema.shape;

/**
 * Notification drafts: records keyed by id holding plain fields, each checked against its
 * schema. Marking a draft sent is the server's act (it writes the log entry too), so a client's
 * update may not write `status: sent` nor the sent-by/via/reference/time fields.
 */
export const regulatoryPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    if (container.path[0] !== ROOTS.regulatory) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && container.kind === 'map') {
      if (content.kind === 'values' && key === 'status' && content.values[0] !== 'draft') return `${where}: a draft is marked sent through the server (POST …/regulatory/:draftId/send)`;
      if (content.kind === 'values' && key !== null && (SENT_FIELDS as readonly string[]).includes(key) && content.values[0] !== null) return `${where}: set by the server when the draft is sent`;
      return checkField(draftFields, key, content, where);
    }
    return `${where}: drafts hold plain fields only`;
  },
  checkDelete(container, key) {
    // Overwriting a field deletes its previous value; a draft itself is never removed.
    if (container.path[0] === ROOTS.regulatory && container.path.length === 2) return ok;
    return `${describe(container, key)}: drafts are never removed`;
  },
};
