import type { Task } from '../../../../../shared/model/tasks';
import { useI18n } from '../common/common';
import { OPEN_STATUSES, isOverdue } from './taskData';

/** "◷ 14:30 · in 25 min" or "⚠ 14:30 · 10 min late": a task's due time, relative to now. */
export function DueLabel({ task, now }: { task: Task; now: Date }) {
  const i18n = useI18n();
  if (!task.dueAt) return null;
  const due = Date.parse(task.dueAt);
  const late = isOverdue(task, now);
  return (
    <span class={`due${late ? ' overdue' : ''}`} data-overdue={late}>
      {late ? '⚠ ' : '◷ '}
      <time dateTime={task.dueAt}>{i18n.shortTime(task.dueAt, now)}</time>
      {OPEN_STATUSES.has(task.status) && <span class="due-rel"> · {late ? i18n.t.overdueBy(i18n.duration(now.getTime() - due)) : i18n.t.dueIn(i18n.duration(due - now.getTime()))}</span>}
    </span>
  );
}
