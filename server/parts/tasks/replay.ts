import * as Y from 'yjs';
import { TaskBoardDoc } from '../../../shared/docs/taskBoardDoc';
import type { Task, TaskField } from '../../../shared/model/tasks';
import type { FieldChanges, TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';
import { type PartReplayer, eventBase, keep } from '../replay/partReplayer';
import { applyAndCollect } from '../replay/changedRecords';

/** Changes that are their own event kinds, or noise (a card's position within its column). */
const NOT_AN_UPDATE: ReadonlySet<TaskField> = new Set<TaskField>(['status', 'assignee', 'order', 'id', 'createdBy', 'createdAt']);

/**
 * The board through the shared typed view: each record is applied to one Y.Doc, and only the
 * tasks it touched are read back and compared with what they were before it.
 */
export class TasksReplayer implements PartReplayer {
  readonly part = 'tasks' as const;
  private readonly doc = new Y.Doc();
  private readonly board = new TaskBoardDoc(this.doc);
  private readonly known = new Map<string, Task>();

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    const touched = applyAndCollect(this.doc, this.board.root, record.update);
    const events: TimelineEvent[] = [];
    let n = 0;
    const base = () => eventBase(this.part, record, n++);
    for (const id of touched) {
      const after = this.board.get(id);
      // Not a valid task yet (or any more): nothing a reader could name.
      if (!after) continue;
      const before = this.known.get(id);
      this.known.set(id, after);
      const ref = { taskId: after.id, title: after.title };
      if (!before) {
        events.push({ ...base(), kind: 'task.created', data: { ...ref, status: after.status, assignee: after.assignee, priority: after.priority, dueAt: after.dueAt } });
        continue;
      }
      const changes = diffTask(before, after);
      if (Object.keys(changes).length > 0) events.push({ ...base(), kind: 'task.updated', data: { ...ref, changes } });
      if (before.assignee !== after.assignee) events.push({ ...base(), kind: 'task.assigned', data: { ...ref, from: before.assignee, to: after.assignee } });
      if (before.status !== after.status) {
        events.push(
          after.status === 'done'
            ? { ...base(), kind: 'task.done', data: { ...ref, from: before.status } }
            : { ...base(), kind: 'task.moved', data: { ...ref, from: before.status, to: after.status } },
        );
      }
    }
    return keep(filter, events);
  }

  /** The board as the replay has it now (for "state at time T"). */
  tasks(): Task[] {
    return this.board.list();
  }
}

function diffTask(before: Task, after: Task): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(after) as TaskField[]) {
    if (NOT_AN_UPDATE.has(key)) continue;
    const from = before[key];
    const to = after[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}
