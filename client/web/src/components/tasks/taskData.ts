import { useMemo } from 'preact/hooks';
import type { Decision } from '../../../../../shared/model/decisions';
import type { LogEntry } from '../../../../../shared/model/log';
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

/** The exercise injects of the log, oldest first (none in a real incident). */
export function useInjects(open: OpenIncident): LogEntry[] {
  const tick = useSignal(useMemo(() => (n: () => void) => open.session.onChange('log', n), [open.session]));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the tick is the dependency: the session's documents change in place, and the tick says when
  return useMemo(() => open.session.log.entries().filter((e) => e.inject !== undefined), [open.session, tick]);
}

/**
 * The inject to link, one keystroke away: the latest one nothing links yet (`linkedIds`: the
 * entries tasks link, or decisions are based on), passing over `skip` (those already linked to
 * this task); else the latest one not in `skip`. Null: no inject left.
 */
export function injectToLink(injects: readonly LogEntry[], linkedIds: Iterable<string>, skip: readonly string[] = []): LogEntry | null {
  const skipped = new Set<string>(skip);
  const candidates = [...injects].reverse().filter((e) => !skipped.has(e.id));
  const linked = new Set<string>(linkedIds);
  return candidates.find((e) => !linked.has(e.id)) ?? candidates[0] ?? null;
}
