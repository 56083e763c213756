import { ROOTS } from '../../../shared/model/parts';
import { TaskFieldsSchema } from '../../../shared/model/tasks';
import type { PartPolicy } from '../shape/partPolicy';
import { checkField, checkRecordSlot, describe, ok } from '../shape/checks';

const taskFields = TaskFieldsSchema.shape;

/** Tasks: records keyed by id holding plain fields, each checked against its schema; a task is never removed (it is cancelled). */
export const tasksPolicy: PartPolicy = {
  checkInsert(container, key, content) {
    const where = describe(container, key);
    const [root, , extra] = container.path;
    if (root !== ROOTS.tasks) return `${where}: unknown root`;
    if (container.path.length === 1) return checkRecordSlot(container, key, content, where);
    if (container.path.length === 2 && extra === undefined && container.kind === 'map') return checkField(taskFields, key, content, where);
    return `${where}: tasks hold plain fields only`;
  },
  checkDelete(container, key) {
    // Overwriting a field deletes its previous value; removing a task does not exist (cancel it).
    if (container.path[0] === ROOTS.tasks && container.path.length === 2) return ok;
    return `${describe(container, key)}: tasks are never removed (set status to cancelled)`;
  },
};
