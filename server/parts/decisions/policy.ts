import { ROOTS } from '../../../shared/model/parts';
import { DECISION_STATEMENT_MAX, DecisionFieldsSchema, DecisionStatusChangeSchema } from '../../../shared/model/decisions';
import { DECISION_HISTORY_KEY, DECISION_STATEMENT_KEY } from '../../../shared/docs/decisionsDoc';
import type { PartPolicy } from '../shape/partPolicy';
import { checkField, checkRecordSlot, checkText, checkValues, describe, ok } from '../shape/checks';

const decisionFields = DecisionFieldsSchema.shape;

/** Decisions: plain fields, a statement drafted together (text) and an append-only status history; nothing is removed. */
export const decisionsPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    const [root, , nested] = container.path;
    if (root !== ROOTS.decisions) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && container.kind === 'map') {
      if (key === DECISION_STATEMENT_KEY) return content.kind === 'deleted' || (content.kind === 'type' && content.type === 'text') ? ok : `${where}: must be text`;
      if (key === DECISION_HISTORY_KEY) return content.kind === 'deleted' || (content.kind === 'type' && content.type === 'array') ? ok : `${where}: must be a list`;
      return checkField(decisionFields, key, content, where);
    }
    if (container.path.length === 3 && nested === DECISION_STATEMENT_KEY && container.kind === 'text') {
      return checkText(container, content, where, DECISION_STATEMENT_MAX);
    }
    if (container.path.length === 3 && nested === DECISION_HISTORY_KEY && container.kind === 'array') {
      return checkValues(DecisionStatusChangeSchema, content, where);
    }
    return `${where}: not part of a decision`;
  },
  checkDelete(container, key) {
    const [root, , nested] = container.path;
    if (root === ROOTS.decisions && container.path.length === 2 && key !== DECISION_HISTORY_KEY && key !== DECISION_STATEMENT_KEY) return ok;
    if (root === ROOTS.decisions && container.path.length === 3 && nested === DECISION_STATEMENT_KEY) return ok;
    return `${describe(container, key)}: decisions and their history are never removed`;
  },
};
