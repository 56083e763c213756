import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { TASK_STATUSES, Task, TaskStatus } from '../../../../../shared/model/tasks';
import type { OpenIncident } from '../../connection';
import { useSignal } from '../../connection';
import { Kbd, announce, useI18n, useNow } from '../common/common';
import { NewTaskForm } from './NewTaskForm';
import { TaskCard } from './TaskCard';
import { TaskEditor } from './TaskEditor';
import { useDecisions, useInjects, useTasks } from './taskData';
import { InjectKeyHint, useInjectLinking } from './InjectLinks';

type CardAction = { kind: 'move'; status: TaskStatus; beforeId: string | null } | { kind: 'focus'; id: string } | { kind: 'edit' } | { kind: 'inject' };

/**
 * What a key does on a card: Shift+arrows move it (to the next column, or up and down its own),
 * arrows move the focus (across columns to the nearest card), Enter or Space open it. Null: not a key of the board.
 */
function cardKeyAction(ev: KeyboardEvent, task: Task, columns: Record<TaskStatus, Task[]>, readOnly: boolean): CardAction | null {
  const column = columns[task.status];
  const i = column.findIndex((x) => x.id === task.id);
  const s = TASK_STATUSES.indexOf(task.status);
  if (ev.shiftKey) {
    if (ev.key === 'ArrowRight' && s < TASK_STATUSES.length - 1) return { kind: 'move', status: TASK_STATUSES[s + 1]!, beforeId: null };
    if (ev.key === 'ArrowLeft' && s > 0) return { kind: 'move', status: TASK_STATUSES[s - 1]!, beforeId: null };
    if (ev.key === 'ArrowUp' && i > 0) return { kind: 'move', status: task.status, beforeId: column[i - 1]!.id };
    if (ev.key === 'ArrowDown' && i < column.length - 1) return { kind: 'move', status: task.status, beforeId: column[i + 2]?.id ?? null };
  } else if (ev.key === 'ArrowDown' && i < column.length - 1) return { kind: 'focus', id: column[i + 1]!.id };
  else if (ev.key === 'ArrowUp' && i > 0) return { kind: 'focus', id: column[i - 1]!.id };
  else if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
    const step = ev.key === 'ArrowRight' ? 1 : -1;
    for (let c = s + step; c >= 0 && c < TASK_STATUSES.length; c += step) {
      const other = columns[TASK_STATUSES[c]!];
      if (other.length > 0) return { kind: 'focus', id: other[Math.min(i, other.length - 1)]!.id };
    }
    return { kind: 'focus', id: task.id };
  }
  if (!readOnly && (ev.key === 'Enter' || ev.key === ' ')) return { kind: 'edit' };
  if (!readOnly && !ev.altKey && !ev.ctrlKey && !ev.metaKey && (ev.key === 'i' || ev.key === 'I')) return { kind: 'inject' };
  return null;
}

/** The card a dropped one lands before: the first (other than the dragged one) whose middle is below the pointer; null: at the end. */
function dropBeforeId(ev: DragEvent, dragId: string | null): string | null {
  const list = (ev.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[data-task-id]');
  for (const card of list) {
    if (card.dataset.taskId === dragId) continue;
    const box = card.getBoundingClientRect();
    if (ev.clientY < box.top + box.height / 2) return card.dataset.taskId ?? null;
  }
  return null;
}

/**
 * The task board: a column per status; move by drag and drop or by keyboard. Read only
 * (observers): no new task, no move, no editor; the arrows still walk the cards.
 */
interface TaskBoardProps {
  open: OpenIncident;
  people: string[];
  onRevealEntry: (id: string) => void;
  addRef: { current: HTMLInputElement | null };
  readOnly?: boolean;
}

export function TaskBoard({ open, people, onRevealEntry, addRef, readOnly = false }: TaskBoardProps) {
  const { session, marks } = open;
  const { t, enums } = useI18n();
  const tasks = useTasks(open);
  const decisions = useDecisions(open);
  const injects = useInjects(open);
  const { linkInject, cardInjects } = useInjectLinking(open, injects, tasks);
  useSignal(useMemo(() => (n: () => void) => marks.onChange(n), [marks]));
  const now = useNow(15_000);
  const [editing, setEditing] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<TaskStatus | null>(null);
  const boardRef = useRef<HTMLDivElement>(null);

  const columns = useMemo(() => {
    const byStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, [] as Task[]])) as Record<TaskStatus, Task[]>;
    for (const task of tasks) byStatus[task.status].push(task);
    return byStatus;
  }, [tasks]);

  useEffect(() => {
    if (!focusId) return;
    const el = boardRef.current?.querySelector<HTMLElement>(`[data-task-id="${focusId}"]`);
    if (el && document.activeElement !== el) el.focus();
  });

  const move = (task: Task, status: TaskStatus, beforeId: string | null) => {
    if (readOnly) return;
    session.moveTask(task.id, status, beforeId);
    marks.add('tasks', task.id);
    setFocusId(task.id);
    announce(t.moved(task.title, enums.status[status]));
  };

  const onCardKey = (ev: KeyboardEvent, task: Task) => {
    const action = cardKeyAction(ev, task, columns, readOnly);
    if (!action) return;
    ev.preventDefault();
    if (action.kind === 'move') move(task, action.status, action.beforeId);
    else if (action.kind === 'focus') setFocusId(action.id);
    else if (action.kind === 'inject') linkInject(task);
    else setEditing(task.id);
  };



  const editingTask = editing ? tasks.find((x) => x.id === editing) ?? null : null;

  return (
    <section class="board-view" aria-label={t.tasksLabel}>
      {!readOnly && <NewTaskForm open={open} people={people} addRef={addRef} injects={injects} tasks={tasks} />}
      {!readOnly && (
        <p class="board-keys">
          <Kbd>Shift+←/→</Kbd> <Kbd>Shift+↑/↓</Kbd> <Kbd>⏎</Kbd> — {t.boardKeys}
          {injects.length > 0 && <InjectKeyHint />}
        </p>
      )}
      <div class="board" ref={boardRef}>
        {TASK_STATUSES.map((status) => (
          <section
            class={`column col-${status}${dropTarget === status ? ' drop-target' : ''}`}
            aria-labelledby={`col-${status}`}
            data-testid={`column-${status}`}
            data-status={status}
            onDragOver={(ev) => {
              if (!dragId || readOnly) return;
              ev.preventDefault();
              if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'move';
              if (dropTarget !== status) setDropTarget(status);
            }}
            onDragLeave={(ev) => {
              if (ev.currentTarget === ev.target) setDropTarget(null);
            }}
            onDrop={(ev) => {
              ev.preventDefault();
              const id = dragId ?? ev.dataTransfer?.getData('text/plain') ?? null;
              const task = id ? tasks.find((x) => x.id === id) : undefined;
              setDropTarget(null);
              setDragId(null);
              if (task) move(task, status, dropBeforeId(ev, dragId));
            }}
          >
            <h3 id={`col-${status}`} class="column-title">
              {enums.status[status]} <span class="column-count">{columns[status].length}</span>
            </h3>
            <ol class="cards">
              {columns[status].length === 0 && <li class="column-empty">{t.emptyColumn}</li>}
              {columns[status].map((task) => (
                <TaskCard
                  key={task.id}
                  task={task}
                  decisions={decisions}
                  injects={cardInjects(task)}
                  now={now}
                  waiting={marks.has(task.id)}
                  dragging={dragId === task.id}
                  readOnly={readOnly}
                  onKey={(ev) => onCardKey(ev, task)}
                  onFocus={() => setFocusId(task.id)}
                  onEdit={() => setEditing(task.id)}
                  onDragStart={() => setDragId(task.id)}
                  onDragEnd={() => {
                    setDragId(null);
                    setDropTarget(null);
                  }}
                  onRevealEntry={onRevealEntry}
                />
              ))}
            </ol>
          </section>
        ))}
      </div>
      {editingTask && !readOnly && <TaskEditor key={editingTask.id} open={open} task={editingTask} decisions={decisions} people={people} onClose={() => { setEditing(null); setFocusId(editingTask.id); }} onRevealEntry={onRevealEntry} />}
    </section>
  );
}
