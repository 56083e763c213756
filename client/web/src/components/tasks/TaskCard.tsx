import type { Decision } from '../../../../../shared/model/decisions';
import type { LogEntry } from '../../../../../shared/model/log';
import type { Task } from '../../../../../shared/model/tasks';
import { PriorityBadge, WaitingBadge, useI18n } from '../common/common';
import { DueLabel } from './DueLabel';
import { isOverdue } from './taskData';
import { CardInjects } from './InjectLinks';

export interface TaskCardProps {
  task: Task;
  decisions: Decision[];
  /** The exercise injects among its linked entries (the injects it answers). */
  injects: LogEntry[];
  now: Date;
  waiting: boolean;
  dragging: boolean;
  readOnly: boolean;
  onKey: (ev: KeyboardEvent) => void;
  onFocus: () => void;
  onEdit: () => void;
  onDragStart: () => void;
  onDragEnd: () => void;
  onRevealEntry: (id: string) => void;
}

/** One task on the board: focusable, draggable, opened by Enter or a double click; `i` links it to the latest inject it does not answer yet. */
export function TaskCard({ task, decisions, injects, now, waiting, dragging, readOnly, onKey, onFocus, onEdit, onDragStart, onDragEnd, onRevealEntry }: TaskCardProps) {
  const { t, enums } = useI18n();
  return (
    <li
      class={`card prio-${task.priority}${isOverdue(task, now) ? ' overdue' : ''}${dragging ? ' dragging' : ''}`}
      tabIndex={0}
      draggable={!readOnly}
      data-testid="task-card"
      data-task-id={task.id}
      data-status={task.status}
      aria-label={`${task.title} — ${enums.status[task.status]}, ${enums.priority[task.priority]}${task.assignee ? `, ${task.assignee}` : ''}`}
      onKeyDown={onKey}
      onFocus={onFocus}
      onDblClick={() => !readOnly && onEdit()}
      onDragStart={(ev) => {
        if (readOnly) return;
        onDragStart();
        ev.dataTransfer?.setData('text/plain', task.id);
        if (ev.dataTransfer) ev.dataTransfer.effectAllowed = 'move';
      }}
      onDragEnd={onDragEnd}
    >
      <div class="card-head">
        <PriorityBadge priority={task.priority} />
        {waiting && <WaitingBadge />}
      </div>
      <p class="card-title">{task.title}</p>
      <div class="card-meta">
        <span class={`assignee${task.assignee ? '' : ' none'}`}>{task.assignee ?? t.unassigned}</span>
        <DueLabel task={task} now={now} />
      </div>
      <CardInjects injects={injects} onReveal={onRevealEntry} />
      {(task.logLinks.length > 0 || task.decisionLinks.length > 0) && (
        <p class="card-links">
          {task.logLinks.length > 0 && (
            <button
              type="button"
              class="link-button small"
              onClick={(ev) => {
                ev.stopPropagation();
                onRevealEntry(task.logLinks[0]!);
              }}
              title={t.linkedEntries}
            >
              ☰ {t.linkedCount(task.logLinks.length)}
            </button>
          )}
          {task.decisionLinks.length > 0 && (
            <span>
              ⚖ {decisions.filter((d) => task.decisionLinks.includes(d.id)).map((d) => d.title).join(', ')}
            </span>
          )}
        </p>
      )}
      {!readOnly && (
        <button type="button" class="small ghost card-edit" onClick={onEdit} aria-label={`${t.edit}${t.colon} ${task.title}`}>
          ✎ {t.edit}
        </button>
      )}
    </li>
  );
}
