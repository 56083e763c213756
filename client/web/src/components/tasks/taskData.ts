import { useMemo } from 'preact/hooks';
import type { Decision } from '../../../../../shared/model/decisions';
import type { Priority, Task, TaskStatus } from '../../../../../shared/model/tasks';
import { type OpenIncident, useSignal } from '../../connection';

/** The statuses of a task still to be done (counted open, can be overdue). */
export const OPEN_STATUSES: ReadonlySet<TaskStatus> = new Set(['todo', 'in_progress', 'blocked']);
export const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export function isOverdue(task: Task, now: Date): boolean {
  return task.dueAt !== null && OPEN_STATUSES.has(task.status) && Date.parse(task.dueAt) < now.getTime();
}

export function useTasks(open: OpenIncident): Task[] {
  const tick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('tasks', n), [open.session]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  return useMemo(() => open.session.tasks.list(), [open.session, tick]);
}

export function useDecisions(open: OpenIncident): Decision[] {
  const tick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('decisions', n), [open.session]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  return useMemo(() => open.session.decisions.list(), [open.session, tick]);
}
