import * as Y from 'yjs';
import { Task, TaskFieldsSchema, TaskInput, TaskInputSchema, TaskPatch, TaskPatchSchema, TaskStatus } from '../model/tasks';
import { newId } from '../model/ids';
import { ROOTS } from '../model/parts';
import { childMaps, readRecord, writeFields } from './yfields';

/** Typed view of the task board: a Y.Map of tasks, each a Y.Map of plain fields. */
export class TaskBoardDoc {
  readonly root: Y.Map<unknown>;

  constructor(readonly doc: Y.Doc) {
    this.root = doc.getMap<unknown>(ROOTS.tasks);
  }

  list(): Task[] {
    const out: Task[] = [];
    for (const [, map] of childMaps(this.root)) {
      const task = readRecord(map, TaskFieldsSchema);
      if (task) out.push(task);
    }
    return out.sort((a, b) => a.order - b.order || a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): Task | null {
    const map = this.root.get(id);
    return map instanceof Y.Map ? readRecord(map as Y.Map<unknown>, TaskFieldsSchema) : null;
  }

  create(input: TaskInput, author: string, now: Date): Task {
    const fields = TaskInputSchema.parse(input);
    const task = TaskFieldsSchema.parse({
      ...fields,
      id: newId(),
      order: this.nextOrder(fields.status),
      createdBy: author,
      createdAt: now.toISOString(),
    });
    this.doc.transact(() => {
      const map = new Y.Map<unknown>();
      this.root.set(task.id, map);
      writeFields(map, task);
    });
    return task;
  }

  update(id: string, patch: TaskPatch): Task {
    const checked = TaskPatchSchema.parse(patch);
    const map = this.requireMap(id);
    this.doc.transact(() => writeFields(map, checked));
    return this.get(id) ?? this.fail(id);
  }

  /** Moves a task to a column; `beforeId` names the task it should sit above (end of column when absent). */
  move(id: string, status: TaskStatus, beforeId?: string | null): Task {
    return this.update(id, { status, order: this.orderBefore(status, beforeId ?? null, id) });
  }

  assign(id: string, assignee: string | null): Task {
    return this.update(id, { assignee });
  }

  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.root.observeDeep(handler);
    return () => this.root.unobserveDeep(handler);
  }

  private column(status: TaskStatus, except?: string): Task[] {
    return this.list().filter((t) => t.status === status && t.id !== except);
  }

  private nextOrder(status: TaskStatus): number {
    const column = this.column(status);
    const last = column[column.length - 1];
    return last ? last.order + 1 : 1;
  }

  private orderBefore(status: TaskStatus, beforeId: string | null, moving: string): number {
    const column = this.column(status, moving);
    const index = beforeId ? column.findIndex((t) => t.id === beforeId) : -1;
    if (index < 0) {
      const last = column[column.length - 1];
      return last ? last.order + 1 : 1;
    }
    const after = column[index]!;
    const before = column[index - 1];
    return before ? (before.order + after.order) / 2 : after.order - 1;
  }

  private requireMap(id: string): Y.Map<unknown> {
    const map = this.root.get(id);
    if (!(map instanceof Y.Map)) return this.fail(id);
    return map as Y.Map<unknown>;
  }

  private fail(id: string): never {
    throw new Error(`no task ${id}`);
  }
}
