import { ROOTS } from '../../../shared/model/parts';
import { IncidentMetaSchema } from '../../../shared/model/incident';
import type { PartPolicy } from '../shape/partPolicy';
import { checkField, describe, ok } from '../shape/checks';

const metaFields = IncidentMetaSchema.shape;

/** The incident's metadata: one map of plain fields, each checked against its schema. */
export const metaPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    if (container.path.length !== 1 || container.path[0] !== ROOTS.meta || container.kind !== 'map') return `${where}: unknown root`;
    return checkField(metaFields, key, content, where);
  },
  checkDelete(container, key) {
    return container.path.length === 1 && container.path[0] === ROOTS.meta && key !== null ? ok : `${describe(container, key)}: not deletable`;
  },
};
