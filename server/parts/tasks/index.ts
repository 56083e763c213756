import { PART_ROOTS, ROOTS } from '../../../shared/model/parts';
import { readRecordOf } from '../../../shared/docs/reader';
import type { PartModule } from '../partModule';
import { recordAdmission } from '../rules/records';
import { tasksPolicy } from './policy';
import { TasksReplayer } from './replay';

/** The task board: tasks keyed by id, never removed (cancelled instead). */
export const tasksPart: PartModule = {
  name: 'tasks',
  roots: PART_ROOTS.tasks,
  policy: tasksPolicy,
  seals: false,
  readRecord: (doc, id) => readRecordOf('tasks', doc, id),
  admission: (ctx) => recordAdmission(ROOTS.tasks, { author: ['createdBy'] }, ctx),
  replayer: () => new TasksReplayer(),
};
